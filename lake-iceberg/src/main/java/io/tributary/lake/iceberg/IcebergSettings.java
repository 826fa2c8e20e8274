package io.tributary.lake.iceberg;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When the Iceberg archiver commits: whichever comes first of a record count or the age of the
 * oldest uncommitted record.
 *
 * @param topic the enriched topic, whose offsets the commits record
 */
public record IcebergSettings(String topic, int commitRecords, Duration commitInterval) {
  public IcebergSettings {
    requireNonNull(topic, "topic is null");
    requireNonNull(commitInterval, "commitInterval is null");
    if (commitRecords < 1) {
      throw new IllegalArgumentException("commitRecords must be positive, not " + commitRecords);
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commitInterval must be positive, not " + commitInterval);
    }
  }
}
