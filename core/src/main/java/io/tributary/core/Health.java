package io.tributary.core;

import static java.util.Objects.requireNonNull;

/** Whether a component can do its job now, and why not. */
public record Health(boolean ready, String detail) {
  public Health {
    requireNonNull(detail, "detail is null");
  }

  public static Health ok(String detail) {
    return new Health(true, detail);
  }

  public static Health down(String detail) {
    return new Health(false, detail);
  }
}
