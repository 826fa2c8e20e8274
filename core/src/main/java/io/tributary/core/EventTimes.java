package io.tributary.core;

import java.time.Duration;
import java.time.Instant;

/** When an event happened, from the times a tracker and the collector recorded. */
public final class EventTimes {
  private EventTimes() {}

  /**
   * The true timestamp when the tracker vouches for one; otherwise the device's creation time
   * corrected for its clock skew, {@code received − (sent − created)} (Segment's and Snowplow's
   * rule); the creation time when nothing was sent; the receive time when the device gave none, or
   * when it claims to have sent the event before creating it or the correction would put the event
   * before year 1 (its clock cannot be trusted then).
   */
  public static Instant derive(Instant received, Instant sent, Instant created, Instant trueTime) {
    if (trueTime != null) {
      return trueTime;
    }
    if (created == null) {
      return received;
    }
    if (sent == null) {
      return created;
    }
    if (created.isAfter(sent)) {
      return received;
    }
    Duration skew = Duration.between(created, sent);
    // Compared in seconds: Duration.between(MIN, received) overflows its nanosecond path and throws
    // (caught inside the JDK) on every call, which cost a third of the Segment enrichment time.
    if (skew.getSeconds() >= received.getEpochSecond() - Timestamps.MIN.getEpochSecond()) {
      return received;
    }
    return received.minus(skew);
  }
}
