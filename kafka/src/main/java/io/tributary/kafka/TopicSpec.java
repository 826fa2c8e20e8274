package io.tributary.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** A topic Tributary needs, created at start when missing. */
public record TopicSpec(String name, int partitions, short replicationFactor, Duration retention) {
  public TopicSpec {
    requireNonNull(name, "name is null");
    requireNonNull(retention, "retention is null");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replicationFactor must be at least 1: " + replicationFactor);
    }
  }
}
