package io.tributary.collector;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * The Snowplow collector endpoints.
 *
 * @param source source name given to events that arrive over the Snowplow protocol
 * @param maxRequestBytes larger requests are kept as size-violation bad rows (the tracker gets 200)
 * @param cookieDomain domain of the {@code sp} cookie, or null for the collector's host
 * @param pathAliases extra paths (to dodge ad blockers) and the standard path each stands for
 */
public record SnowplowSettings(
    boolean enabled,
    String source,
    int maxRequestBytes,
    String cookieName,
    String cookieDomain,
    boolean cookieSecure,
    Duration cookieMaxAge,
    Map<String, String> pathAliases) {

  public SnowplowSettings {
    requireNonNull(source, "source is null");
    requireNonNull(cookieName, "cookieName is null");
    requireNonNull(cookieMaxAge, "cookieMaxAge is null");
    pathAliases = pathAliases == null ? Map.of() : Map.copyOf(pathAliases);
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
    }
  }

  public static SnowplowSettings defaults() {
    return new SnowplowSettings(true, "snowplow", 1024 * 1024, "sp", null, true,
        Duration.ofDays(365), Map.of());
  }

  public static SnowplowSettings disabled() {
    return new SnowplowSettings(false, "snowplow", 1024 * 1024, "sp", null, true,
        Duration.ofDays(365), Map.of());
  }
}
