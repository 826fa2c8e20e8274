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
 * @param requestTimeout a request not received in full this long after its first byte gets 408
 *     and its connection is closed (a client trickling bytes cannot hold a connection forever)
 * @param maxConnections connections beyond this many are answered 503 and closed at once
 * @param maxBufferedBytes request body bytes held in memory across all connections while they are
 *     received; a request that would go over gets 503 (must allow one body of the largest limit)
 */
public record CollectorSettings(
    String bind,
    int port,
    int maxRequestBytes,
    SegmentLimits segmentLimits,
    List<String> trustedProxies,
    Duration idleTimeout,
    int ioThreads,
    Duration requestTimeout,
    int maxConnections,
    long maxBufferedBytes) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 256L * 1024 * 1024;

  public CollectorSettings {
    requireNonNull(bind, "bind is null");
    requireNonNull(segmentLimits, "segmentLimits is null");
    requireNonNull(trustedProxies, "trustedProxies is null");
    requireNonNull(idleTimeout, "idleTimeout is null");
    requireNonNull(requestTimeout, "requestTimeout is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
    }
    if (maxBufferedBytes < maxRequestBytes) {
      throw new IllegalArgumentException("maxBufferedBytes (" + maxBufferedBytes
          + ") must be at least maxRequestBytes (" + maxRequestBytes + ")");
    }
    trustedProxies = List.copyOf(trustedProxies);
  }

  public static CollectorSettings defaults(String bind, int port) {
    return new CollectorSettings(bind, port, 500 * 1024, SegmentLimits.DEFAULT, List.of(),
        Duration.ofSeconds(60), Math.max(1, Runtime.getRuntime().availableProcessors()),
        DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_BUFFERED_BYTES);
  }

  public CollectorSettings withTrustedProxies(List<String> proxies) {
    return new CollectorSettings(bind, port, maxRequestBytes, segmentLimits, proxies, idleTimeout,
        ioThreads, requestTimeout, maxConnections, maxBufferedBytes);
  }

  public CollectorSettings withMaxRequestBytes(int bytes) {
    return new CollectorSettings(bind, port, bytes, segmentLimits, trustedProxies, idleTimeout,
        ioThreads, requestTimeout, maxConnections, maxBufferedBytes);
  }

  /** The connection limits: request timeout, connection count, and bytes buffered across connections. */
  public CollectorSettings withConnectionLimits(Duration requestTimeout, int maxConnections,
      long maxBufferedBytes) {
    return new CollectorSettings(bind, port, maxRequestBytes, segmentLimits, trustedProxies,
        idleTimeout, ioThreads, requestTimeout, maxConnections, maxBufferedBytes);
  }
}
