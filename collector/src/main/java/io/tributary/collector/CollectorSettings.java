package io.tributary.collector;

import static java.util.Objects.requireNonNull;

import io.tributary.core.SegmentLimits;
import java.time.Duration;
import java.util.List;

/**
 * How the HTTP collector listens and what it accepts.
 *
 * @param maxRequestBytes largest request body after gzip decoding; larger ones get 413
 * @param trustedProxies addresses or CIDR ranges whose {@code X-Forwarded-For} is believed
 * @param idleTimeout a connection with no traffic for this long is closed
 */
public record CollectorSettings(
    String bind,
    int port,
    int maxRequestBytes,
    SegmentLimits segmentLimits,
    List<String> trustedProxies,
    Duration idleTimeout,
    int ioThreads) {

  public CollectorSettings {
    requireNonNull(bind, "bind is null");
    requireNonNull(segmentLimits, "segmentLimits is null");
    requireNonNull(trustedProxies, "trustedProxies is null");
    requireNonNull(idleTimeout, "idleTimeout is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
    }
    trustedProxies = List.copyOf(trustedProxies);
  }

  public static CollectorSettings defaults(String bind, int port) {
    return new CollectorSettings(bind, port, 500 * 1024, SegmentLimits.DEFAULT, List.of(),
        Duration.ofSeconds(60), Math.max(1, Runtime.getRuntime().availableProcessors()));
  }
}
