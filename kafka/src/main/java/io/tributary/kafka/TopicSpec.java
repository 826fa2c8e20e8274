package io.tributary.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A topic Tributary needs, created at start when missing.
 *
 * @param minInsyncReplicas replicas that must have a record before the broker acknowledges it to an
 *     {@code acks=all} producer (our collector): with 3 replicas and 2, one broker may fail without
 *     losing an acknowledged record or stopping writes
 */
public record TopicSpec(String name, int partitions, short replicationFactor, int minInsyncReplicas,
    Duration retention) {
  public TopicSpec(String name, int partitions, short replicationFactor, Duration retention) {
    this(name, partitions, replicationFactor, replicationFactor >= 3 ? 2 : 1, retention);
  }

  public TopicSpec {
    requireNonNull(name, "name is null");
    requireNonNull(retention, "retention is null");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replicationFactor must be at least 1: " + replicationFactor);
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication "
          + "factor " + replicationFactor + ": " + minInsyncReplicas);
    }
  }
}
