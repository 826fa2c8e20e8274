package io.tributary.warehouse;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Micro-batching of the loader: a batch is committed when it holds {@code maxEvents} events or its
 * oldest record has waited {@code maxDelay}, whichever comes first. While more records wait in the
 * log (the loader is catching up), the oldest may wait up to {@link #catchUpDelay()} instead, so
 * that a backlog is loaded in fewer, larger transactions.
 *
 * @param consumer name under which offsets are stored (one per loading pipeline)
 * @param dedupeWindow an event whose id was loaded less than this long before (by receive time) is
 *     not loaded again
 */
public record LoaderSettings(String consumer, String topic, int maxEvents, Duration maxDelay,
    Duration dedupeWindow) {

  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(24);

  public LoaderSettings(String consumer, String topic, int maxEvents, Duration maxDelay) {
    this(consumer, topic, maxEvents, maxDelay, DEFAULT_DEDUPE_WINDOW);
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
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
    }
  }
}
