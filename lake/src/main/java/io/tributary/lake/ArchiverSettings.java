package io.tributary.lake;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When the archiver publishes a file: whichever comes first of a record count, an uncompressed size,
 * or the age of the oldest buffered record.
 *
 * @param prefix lake path under which the files go ({@code raw})
 */
public record ArchiverSettings(String prefix, int maxRecords, long maxBytes, Duration maxAge) {
  public ArchiverSettings {
    requireNonNull(prefix, "prefix is null");
    requireNonNull(maxAge, "maxAge is null");
    if (maxRecords < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("maxRecords and maxBytes must be positive");
    }
  }
}
