package io.tributary.core;

/**
 * Size limits of the Segment-compatible API (Segment's own: 32 KB per event, 500 KB per request).
 *
 * @param maxEventBytes largest single event, in bytes of its JSON
 * @param maxBatchEvents most events one batch may hold
 */
public record SegmentLimits(int maxEventBytes, int maxBatchEvents) {
  public static final SegmentLimits DEFAULT = new SegmentLimits(32 * 1024, 2500);

  public SegmentLimits {
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
    }
    if (maxBatchEvents <= 0) {
      throw new IllegalArgumentException("maxBatchEvents must be positive: " + maxBatchEvents);
    }
  }
}
