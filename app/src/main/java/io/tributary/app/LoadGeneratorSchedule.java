package io.tributary.app;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out request slots to the connections until the count or the deadline is reached. At a fixed
 * rate, slot {@code i} is intended to start at {@code start + i / rate} whenever it is claimed: a
 * connection that falls behind sends late and its latency counts from the intended time, so a slow
 * server is not hidden by the generator waiting for it (no coordinated omission). Flat out, a slot is
 * intended to start when it is claimed. Thread-safe.
 */
final class LoadGeneratorSchedule {
  /** A request to send: its number in the run and when it should start (System.nanoTime scale). */
  record Slot(long index, long intendedNanos) {}

  private final long startNanos;
  private final double intervalNanos;
  private final long maxRequests;
  private final long runNanos;
  private final AtomicLong next = new AtomicLong();
  private volatile boolean stopped;

  /**
   * @param rate requests per second, 0 for flat out
   * @param count the most requests, 0 for no limit
   * @param duration how long to send, null for no limit
   */
  LoadGeneratorSchedule(long startNanos, double rate, long count, Duration duration) {
    this.startNanos = startNanos;
    this.intervalNanos = rate > 0 ? 1e9 / rate : 0;
    this.maxRequests = count > 0 ? count : Long.MAX_VALUE;
    this.runNanos = duration == null ? Long.MAX_VALUE : duration.toNanos();
  }

  /** The next slot, or null when the run is over: the count is reached or the deadline has passed. */
  Slot claim(long nowNanos) {
    if (stopped || nowNanos - startNanos >= runNanos) {
      return null;
    }
    long i = next.getAndIncrement();
    if (i >= maxRequests) {
      return null;
    }
    if (intervalNanos == 0) {
      return new Slot(i, nowNanos);
    }
    long offset = (long) (i * intervalNanos);
    return offset >= runNanos ? null : new Slot(i, startNanos + offset);
  }

  /** Ends the run early: no more slots. */
  void stop() {
    stopped = true;
  }

  long startNanos() {
    return startNanos;
  }
}
