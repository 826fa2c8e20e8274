package io.tributary.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventIdIndexTest {
  private static final EventIdIndex.State STATE =
      new EventIdIndex.State("db-1", 86_400, Map.of(0, 7L, 3, 2L), 1_000L, 500L, 400L);

  @TempDir Path dir;

  @Test
  void anIdCountsAsLoadedOnlyIfItsReceiveTimeIsWithinTheWindow() throws Exception {
    try (EventIdIndex index = EventIdIndex.open(dir, Duration.ofHours(24))) {
      index.add(List.of("a", "b"), new long[] {100, 200}, STATE);

      assertThat(index.loadedSince(List.of("a", "b", "c"), 100)).containsExactly(true, true, false);
      assertThat(index.loadedSince(List.of("a", "b", "c"), 150)).containsExactly(false, true, false);
      assertThat(index.loadedSince(List.of("b", "a"), 201)).containsExactly(false, false);
      assertThat(index.loadedSince(List.of(), 0)).isEmpty();
    }
  }

  @Test
  void idsAndStateSurviveReopening() throws Exception {
    try (EventIdIndex index = EventIdIndex.open(dir, Duration.ofHours(24))) {
      assertThat(index.state()).as("a new index").isNull();
      index.add(List.of("a"), new long[] {100}, STATE);
    }
    try (EventIdIndex index = EventIdIndex.open(dir, Duration.ofHours(24))) {
      assertThat(index.state()).isEqualTo(STATE);
      assertThat(index.loadedSince(List.of("a", "A"), 0)).containsExactly(true, false);
    }
  }

  @Test
  void clearingForgetsEveryIdAndKeepsTheNewState() throws Exception {
    EventIdIndex.State next = new EventIdIndex.State("db-2", 3_600, Map.of(), 9L, 9L, null);
    try (EventIdIndex index = EventIdIndex.open(dir, Duration.ofHours(24))) {
      index.add(List.of("a"), new long[] {100}, STATE);
      index.clear(next);
      assertThat(index.loadedSince(List.of("a"), 0)).containsExactly(false);
      assertThat(index.state()).isEqualTo(next);
    }
    try (EventIdIndex index = EventIdIndex.open(dir, Duration.ofHours(1))) {
      assertThat(index.state()).isEqualTo(next);
    }
  }

  @Test
  void anIdIsLoadedAgainWithALaterReceiveTime() throws Exception {
    try (EventIdIndex index = EventIdIndex.open(dir, Duration.ofHours(24))) {
      index.add(List.of("a"), new long[] {100}, STATE);
      index.add(List.of("a"), new long[] {900}, STATE);
      assertThat(index.loadedSince(List.of("a"), 500)).containsExactly(true);
    }
  }
}
