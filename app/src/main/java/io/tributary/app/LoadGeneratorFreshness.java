package io.tributary.app;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Times how long acknowledged events take to become queryable in {@code events}. Sample {@code k} of
 * {@code n} is taken by the first request at or after {@code k/n} of the planned count or duration,
 * whichever comes first; a sampled request that fails hands its sample to the next one. The samples
 * are polled for every ~100 ms, during the run and up to a time limit after it; once the oldest
 * pending sample is older than 2 s, every 1/20 of its age (at most 1 s), so a server far behind is
 * not asked ten times a second to look through everything it loaded since.
 */
final class LoadGeneratorFreshness {
  /** Which of some event ids are visible now. */
  interface Probe {
    /**
     * @param oldestAckMillisAgo how long ago the oldest of them was acknowledged: none was loaded
     *     before that, so the probe need not look at older rows
     * @throws IOException when the server cannot be asked now (polling goes on)
     * @throws IllegalStateException when asking will never work (e.g. a refused token): polling stops
     */
    Set<String> visible(Collection<String> eventIds, long oldestAckMillisAgo) throws IOException;
  }

  /**
   * @param visibleMillis ack → visible, per sample that appeared, sorted
   * @param error why polling stopped early, or null
   */
  record Result(int planned, int acked, List<Long> visibleMillis, int neverAppeared, String error) {
    Result {
      visibleMillis = List.copyOf(visibleMillis);
    }
  }

  static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long MAX_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The poll interval as a share of the oldest pending sample's age: at most 5 % of a figure. */
  private static final int AGE_PER_INTERVAL = 20;

  private final int samples;
  private final long plannedRequests;
  private final long plannedNanos;
  private final Probe probe;
  private final LongSupplier nanoClock;
  private int taken;
  private int handedBack;
  /** Acked event id → ack time, until it is seen. */
  private final Map<String, Long> pending = new LinkedHashMap<>();
  private final List<Long> visibleMillis = new ArrayList<>();
  private int acked;
  private String error;

  /**
   * @param count the planned requests, 0 when unbounded
   * @param duration the planned duration, null when unbounded
   */
  LoadGeneratorFreshness(int samples, long count, Duration duration, Probe probe, LongSupplier nanoClock) {
    this.samples = samples;
    this.plannedRequests = count;
    this.plannedNanos = duration == null ? 0 : duration.toNanos();
    this.probe = probe;
    this.nanoClock = nanoClock;
  }

  /** Whether the request about to be sent carries a sample (its first event). */
  synchronized boolean claim(long requestIndex, long elapsedNanos) {
    if (handedBack > 0) {
      handedBack--;
      return true;
    }
    if (taken >= samples) {
      return false;
    }
    boolean due = plannedRequests > 0 && requestIndex >= taken * plannedRequests / samples
        || plannedNanos > 0 && elapsedNanos >= (long) ((double) taken * plannedNanos / samples);
    if (due) {
      taken++;
    }
    return due;
  }

  /** The sampled request was not acknowledged: the next request takes its sample. */
  synchronized void failed() {
    handedBack++;
  }

  synchronized void acked(String eventId, long ackNanos) {
    acked++;
    pending.put(eventId, ackNanos);
  }

  synchronized boolean done() {
    return pending.isEmpty() || error != null;
  }

  /** Asks once for the pending samples; false once polling should stop for good. */
  boolean pollOnce() {
    List<String> ids;
    long oldestAck;
    synchronized (this) {
      if (error != null) {
        return false;
      }
      ids = new ArrayList<>(pending.keySet());
      oldestAck = oldestAck();
    }
    if (ids.isEmpty()) {
      return true;
    }
    long asked = nanoClock.getAsLong();
    Set<String> seen;
    try {
      seen = probe.visible(ids, TimeUnit.NANOSECONDS.toMillis(Math.max(0, asked - oldestAck)));
    } catch (IOException e) {
      return true;
    } catch (IllegalStateException e) {
      synchronized (this) {
        error = e.getMessage();
      }
      return false;
    }
    synchronized (this) {
      for (String id : seen) {
        Long ack = pending.remove(id);
        if (ack != null) {
          visibleMillis.add(TimeUnit.NANOSECONDS.toMillis(Math.max(0, asked - ack)));
        }
      }
    }
    return true;
  }

  /** Polls (see the class doc for how often) until {@code keepGoing} is false or polling stops. */
  void pollWhile(java.util.function.BooleanSupplier keepGoing) throws InterruptedException {
    while (keepGoing.getAsBoolean() && pollOnce()) {
      TimeUnit.NANOSECONDS.sleep(nextPollNanos());
    }
  }

  /**
   * How long to wait before the next poll: a figure is only known to within the interval, so the
   * interval follows the oldest pending sample's age.
   */
  synchronized long nextPollNanos() {
    long oldestAge = pending.isEmpty() ? 0 : nanoClock.getAsLong() - oldestAck();
    return Math.min(MAX_POLL_NANOS, Math.max(POLL_NANOS, oldestAge / AGE_PER_INTERVAL));
  }

  /** When the oldest pending sample was acknowledged (acks from several senders come unordered). */
  private long oldestAck() {
    long oldest = Long.MAX_VALUE;
    for (long ack : pending.values()) {
      oldest = Math.min(oldest, ack);
    }
    return oldest;
  }

  synchronized Result result() {
    List<Long> sorted = new ArrayList<>(visibleMillis);
    sorted.sort(null);
    return new Result(samples, acked, sorted, pending.size(), error);
  }
}
