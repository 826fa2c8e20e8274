package io.tributary.warehouse;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Micro-batching of the loader: a batch is committed when it holds {@code maxEvents} events or its
 * oldest record has waited {@code maxDelay}, whichever comes first. While more records wait in the
 * log (the loader is catching up), the oldest may wait up to {@link #catchUpDelay()} instead, so
 * that a backlog is loaded in fewer, larger transactions.
 *
 * <p>Likewise for checkpoints (DuckDB moving the write-ahead log into the database file): the loader
 * runs one after a commit once it is caught up and the log holds {@code checkpointWalBytes}; while
 * it is behind, DuckDB checkpoints by itself only at a much larger log.
 *
 * @param consumer name under which offsets are stored (one per loading pipeline)
 * @param dedupeWindow an event whose id was loaded less than this long before (by receive time) is
 *     not loaded again
 */
public record LoaderSettings(String consumer, String topic, int maxEvents, Duration maxDelay,
    Duration dedupeWindow, long checkpointWalBytes) {

  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(24);
  /**
   * About one DuckDB row group (122,880 rows) of events with their derived tables, so that each
   * checkpoint compresses whole row groups once. At DuckDB's own 16 MB, every checkpoint wrote a
   * small row group that later ones merged again and again as it grew: three times the checkpoint
   * work, and a stall of seconds in the commit each time a row group filled (BENCHMARKS.md).
   */
  public static final long DEFAULT_CHECKPOINT_WAL_BYTES = 256L << 20;

  public LoaderSettings(String consumer, String topic, int maxEvents, Duration maxDelay) {
    this(consumer, topic, maxEvents, maxDelay, DEFAULT_DEDUPE_WINDOW);
  }

  public LoaderSettings(String consumer, String topic, int maxEvents, Duration maxDelay,
      Duration dedupeWindow) {
    this(consumer, topic, maxEvents, maxDelay, dedupeWindow, DEFAULT_CHECKPOINT_WAL_BYTES);
  }

  /** How long the oldest record of a batch may wait while the loader is behind: 10 × maxDelay. */
  public Duration catchUpDelay() {
    return maxDelay.multipliedBy(10);
  }

  public LoaderSettings {
    requireNonNull(consumer, "consumer is null");
    requireNonNull(topic, "topic is null");
    requireNonNull(maxDelay, "maxDelay is null");
    requireNonNull(dedupeWindow, "dedupeWindow is null");
    if (checkpointWalBytes < 0) {
      throw new IllegalArgumentException("checkpointWalBytes must not be negative: "
          + checkpointWalBytes);
    }
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
    }
  }
}
