package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import io.tributary.core.BadRowType;

/**
 * One reason an event cannot be a good event: the kind of failure and a message naming the field
 * (or JSON path, or schema) and the rule it broke.
 */
public record Failure(BadRowType type, String message) {
  public Failure {
    requireNonNull(type, "type is null");
    requireNonNull(message, "message is null");
  }
}
