package io.tributary.enrich;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per replay, the re-injected raw records the enrich stage has processed and how many of them
 * now pass. Thread-safe (the stage writes, the admin API reads). Kept in memory: a restart during a
 * replay loses the counts, not the data.
 */
public final class ReplayProgress {
  /** Processed records of one replay: {@code recovered} passed, {@code stillBad} failed again. */
  public record Counts(long recovered, long stillBad) {
    public long processed() {
      return recovered + stillBad;
    }
  }

  private final Map<String, AtomicLong[]> counts = new ConcurrentHashMap<>();

  void processed(String replayId, boolean passed) {
    AtomicLong[] c = counts.computeIfAbsent(replayId, id -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    c[passed ? 0 : 1].incrementAndGet();
  }

  public Counts counts(String replayId) {
    AtomicLong[] c = counts.get(replayId);
    return c == null ? new Counts(0, 0) : new Counts(c[0].get(), c[1].get());
  }
}
