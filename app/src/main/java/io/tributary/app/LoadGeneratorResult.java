package io.tributary.app;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one load run.
 *
 * @param cpuNanos the CPU time this process used while sending (0 when unknown)
 * @param requestBytes the size of one request body
 * @param bytesSent the request bodies that were answered over HTTP
 * @param latencyMicros every HTTP answer's latency, from the request's intended start
 * @param errorMessages the first answer body or exception message per error kind
 * @param freshness null when not measured; {@code freshnessNote} says why
 */
record LoadGeneratorResult(
    LoadGeneratorSettings settings,
    Instant startedAt,
    long elapsedNanos,
    long cpuNanos,
    int requestBytes,
    long requests,
    long okRequests,
    long ackedEvents,
    long bytesSent,
    Histogram latencyMicros,
    Map<Integer, Long> errorsByStatus,
    Map<String, Long> errorsByException,
    Map<String, String> errorMessages,
    LoadGeneratorFreshness.Result freshness,
    String freshnessNote) {
  LoadGeneratorResult {
    requireNonNull(settings, "settings is null");
    requireNonNull(latencyMicros, "latencyMicros is null");
    errorsByStatus = Map.copyOf(errorsByStatus);
    errorsByException = Map.copyOf(errorsByException);
    errorMessages = Map.copyOf(errorMessages);
  }

  long errors() {
    return requests - okRequests;
  }

  double seconds() {
    return elapsedNanos / 1e9;
  }

  double ackedEventsPerSecond() {
    return elapsedNanos == 0 ? 0 : ackedEvents / seconds();
  }

  double requestsPerSecond() {
    return elapsedNanos == 0 ? 0 : requests / seconds();
  }

  /** Latency percentile in milliseconds; 0 when nothing was answered. */
  double latencyMillis(double percentile) {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxLatencyMillis() {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
  }
}
