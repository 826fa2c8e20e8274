package io.tributary.app;

import static java.util.Objects.requireNonNull;

import io.tributary.core.ConfigException;
import java.net.URI;
import java.time.Duration;

/**
 * One load run, resolved and checked: where to send, what, how hard and for how long.
 *
 * @param baseUrl the server, e.g. {@code http://127.0.0.1:8080}; the mode's path is appended
 * @param writeKey the source's write key (Basic auth user); null only for Snowplow
 * @param token the admin token for the freshness queries; null skips freshness
 * @param rate requests per second across all connections; 0 sends flat out
 * @param duration when to stop sending; null when only {@code count} bounds the run
 * @param count how many requests to send at most; 0 when only {@code duration} bounds the run
 * @param eventBytes the approximate size of one serialized event
 * @param timeout how long one request may take before it counts as an error
 * @param warmup how long to send before the run proper, leaving it out of every figure
 */
record LoadGeneratorSettings(
    URI baseUrl,
    String writeKey,
    String token,
    BenchMode mode,
    int batch,
    int connections,
    double rate,
    Duration duration,
    long count,
    int eventBytes,
    Duration timeout,
    int freshnessSamples,
    Duration warmup) {
  /** The connection number is part of each event id (12 bits). */
  static final int MAX_CONNECTIONS = 4096;

  LoadGeneratorSettings {
    requireNonNull(baseUrl, "baseUrl is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(timeout, "timeout is null");
    if (mode.needsWriteKey() && (writeKey == null || writeKey.isBlank())) {
      throw new ConfigException("no write key for --mode " + mode.cliName() + ": pass --write-key, "
          + "declare a source in the config, or run from the directory whose data dir holds "
          + Credentials.FILE);
    }
    check(batch >= 1, "--batch must be at least 1, not " + batch);
    check(connections >= 1 && connections <= MAX_CONNECTIONS,
        "--connections must be between 1 and " + MAX_CONNECTIONS + ", not " + connections);
    check(rate >= 0 && Double.isFinite(rate), "--rate must be 0 (flat out) or more, not " + rate);
    check(duration != null || count > 0, "give --duration, --count or both");
    check(duration == null || duration.toMillis() > 0, "--duration must be positive, not " + duration);
    check(count >= 0, "--count must be positive, not " + count);
    check(eventBytes >= 64 && eventBytes <= 1024 * 1024,
        "--event-bytes must be between 64 and 1048576, not " + eventBytes);
    check(timeout.toMillis() > 0, "--timeout must be positive, not " + timeout);
    check(freshnessSamples >= 0, "--freshness-samples must be 0 or more, not " + freshnessSamples);
    requireNonNull(warmup, "warmup is null");
    check(!warmup.isNegative(), "--warmup must not be negative, not " + warmup);
  }

  /** A run without a warm-up. */
  LoadGeneratorSettings(URI baseUrl, String writeKey, String token, BenchMode mode, int batch,
      int connections, double rate, Duration duration, long count, int eventBytes, Duration timeout,
      int freshnessSamples) {
    this(baseUrl, writeKey, token, mode, batch, connections, rate, duration, count, eventBytes,
        timeout, freshnessSamples, Duration.ZERO);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }

  URI target() {
    return URI.create(stripSlash(baseUrl.toString()) + mode.path());
  }

  URI queryUrl() {
    return URI.create(stripSlash(baseUrl.toString()) + "/api/query");
  }

  int eventsPerRequest() {
    return mode.eventsPerRequest(batch);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
