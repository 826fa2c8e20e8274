package io.tributary.enrich;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

  /** Per replay: raw record id → whether it passed. Keyed by record so a re-processing after a
   * stage restart does not count a record twice. */
  private final Map<String, Map<String, Boolean>> outcomes = new ConcurrentHashMap<>();

  void processed(String replayId, String rawId, boolean passed) {
    outcomes.computeIfAbsent(replayId, id -> new ConcurrentHashMap<>())
        .put(rawId == null ? "unreadable" : rawId, passed);
  }

  public Counts counts(String replayId) {
    Map<String, Boolean> byRecord = outcomes.getOrDefault(replayId, Map.of());
    long recovered = byRecord.values().stream().filter(Boolean::booleanValue).count();
    return new Counts(recovered, byRecord.size() - recovered);
  }
}
