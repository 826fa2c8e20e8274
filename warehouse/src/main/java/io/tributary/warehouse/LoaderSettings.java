package io.tributary.warehouse;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Micro-batching of the loader: a batch is committed when it holds {@code maxEvents} events or its
 * oldest record has waited {@code maxDelay}, whichever comes first.
 *
 * @param consumer name under which offsets are stored (one per loading pipeline)
 */
public record LoaderSettings(String consumer, String topic, int maxEvents, Duration maxDelay) {
  public LoaderSettings {
    requireNonNull(consumer, "consumer is null");
    requireNonNull(topic, "topic is null");
    requireNonNull(maxDelay, "maxDelay is null");
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
    }
  }
}
