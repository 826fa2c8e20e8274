package io.tributary.core;

import static java.util.Objects.requireNonNull;

/** A record read from a partitioned log (a topic), with the coordinates that make it replayable. */
public record SourcedRecord(int partition, long offset, long timestampMillis, byte[] value) {
  public SourcedRecord {
    requireNonNull(value, "value is null");
  }
}
