package io.tributary.warehouse;

import static io.tributary.warehouse.Segment.batch;
import static io.tributary.warehouse.Segment.record;
import static io.tributary.warehouse.Segment.track;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ManualClock;
import io.tributary.core.SourcedRecord;
import io.tributary.core.tables.SchemaColumnTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader's index of loaded event ids ({@link EventIdIndex}) against what can happen to the
 * database beside it: every case must leave each event loaded exactly once within the window.
 */
class EventLoaderIndexTest {
  private static final Instant T = Instant.parse("2030-01-01T10:00:00Z");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(T);
  private Path file;
  private DuckDbWarehouse warehouse;

  @BeforeEach
  void openWarehouse() {
    file = dir.resolve("data/warehouse.duckdb");
    warehouse = DuckDbWarehouse.open(file);
  }

  @AfterEach
  void closeWarehouse() {
    warehouse.close();
  }

  private EventLoader loader(boolean indexed, Duration window) {
    EventLoader loader = new EventLoader(warehouse,
        new LoaderSettings("loader", "raw", 1000, Duration.ofSeconds(5), window), clock,
        EventLoader.RAW_SEGMENT, EventLoader.DEFAULT_MAX_COLUMNS_PER_TABLE, true,
        SchemaColumnTypes.NONE, List.of(), indexed);
    loader.open(List.of(0));
    return loader;
  }

  private EventLoader indexed() {
    return loader(true, Duration.ofHours(1));
  }

  private static SourcedRecord event(long offset, String messageId, Instant received) {
    return record(0, offset, "raw-" + offset, received, batch(track(messageId, "Order Completed")));
  }

  /** Loads one batch; returns how many of its events were new. */
  private static long load(EventLoader loader, SourcedRecord... records) {
    long before = loader.loadedEvents();
    loader.write(List.of(records));
    loader.flush(true);
    return loader.loadedEvents() - before;
  }

  private List<List<String>> rows(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.rows(c, sql);
    }
  }

  private void reopenWarehouse() {
    warehouse.close();
    warehouse = DuckDbWarehouse.open(file);
  }

  @Test
  void theIndexHoldsEveryLoadedIdAndTheOffsetsAfterThem() throws Exception {
    try (EventLoader loader = indexed()) {
      assertThat(load(loader, event(0, "m1", T), event(1, "m2", T))).isEqualTo(2);
      assertThat(load(loader, event(2, "m1", T.plusSeconds(60)))).as("a duplicate").isZero();
    }
    try (EventIdIndex index = EventIdIndex.open(EventLoader.indexDir(file, "loader"),
        Duration.ofHours(1))) {
      assertThat(index.state().offsets()).isEqualTo(Map.of(0, 3L));
      assertThat(index.loadedSince(List.of("m1", "m2", "m3"), 0)).containsExactly(true, true, false);
    }
  }

  @Test
  void eventsLoadedWhileTheIndexMissedThemAreCaughtUpFromTheDatabase() throws Exception {
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
    }
    // As a crash between the load's commit and the index would leave it: m2 loaded, not indexed.
    try (EventLoader loader = loader(false, Duration.ofHours(1))) {
      load(loader, event(1, "m2", T));
    }
    try (EventLoader loader = indexed()) {
      assertThat(load(loader, event(2, "m2", T.plusSeconds(60)), event(3, "m1", T.plusSeconds(60)),
          event(4, "m3", T.plusSeconds(60)))).isEqualTo(1);
    }
    assertThat(rows("SELECT event_id, count(*) FROM events GROUP BY ALL ORDER BY 1"))
        .containsExactly(List.of("m1", "1"), List.of("m2", "1"), List.of("m3", "1"));
  }

  @Test
  void anIndexBehindByMoreThanTheWindowStartsOverInsteadOfCatchingUp() throws Exception {
    Path indexDir = EventLoader.indexDir(file, "loader");
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
    }
    EventIdIndex.State old;
    try (EventIdIndex index = EventIdIndex.open(indexDir, Duration.ofHours(1))) {
      old = index.state();
      // As if its last batch was loaded two hours ago.
      index.writeState(new EventIdIndex.State(old.database(), old.windowSeconds(), old.offsets(),
          old.indexedThroughMicros() - 7_200_000_000L, old.coveredFromMicros(), null));
    }
    try (EventLoader loader = loader(false, Duration.ofHours(1))) {
      load(loader, event(1, "m2", T));
    }
    try (EventLoader loader = indexed()) {
      assertThat(load(loader, event(2, "m2", T.plusSeconds(60)), event(3, "m1", T.plusSeconds(60)),
          event(4, "m3", T))).isEqualTo(1);
    }
    try (EventIdIndex index = EventIdIndex.open(indexDir, Duration.ofHours(1))) {
      assertThat(index.state().coveredFromMicros()).as("started over")
          .isGreaterThan(old.coveredFromMicros());
      assertThat(index.loadedSince(List.of("m1", "m2", "m3"), 0))
          .containsExactly(false, false, true);
    }
  }

  @Test
  void anIndexOfAnotherDatabaseIsStartedOver() throws Exception {
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
    }
    warehouse.close();
    Files.delete(file);
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
    warehouse = DuckDbWarehouse.open(file);
    // A new database reads the topic again from the start: every event is new to it, also once
    // its offsets are those the index holds.
    try (EventLoader loader = loader(false, Duration.ofHours(1))) {
      load(loader, event(0, "m0", T));
    }
    try (EventLoader loader = indexed()) {
      assertThat(load(loader, event(1, "m1", T))).isEqualTo(1);
    }
    assertThat(rows("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("m0"), List.of("m1"));
  }

  @Test
  void anIndexAheadOfARestoredBackupIsStartedOver() throws Exception {
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
    }
    warehouse.close();
    Path backup = dir.resolve("backup.duckdb");
    Files.copy(file, backup);
    warehouse = DuckDbWarehouse.open(file);
    try (EventLoader loader = indexed()) {
      load(loader, event(1, "m2", T));
    }
    warehouse.close();
    Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
    warehouse = DuckDbWarehouse.open(file);
    // The backup has m1 and offset 1: m2 must load again, m1 stays a duplicate.
    try (EventLoader loader = indexed()) {
      assertThat(load(loader, event(1, "m2", T), event(2, "m1", T.plusSeconds(60)))).isEqualTo(1);
    }
    assertThat(rows("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("m1"), List.of("m2"));
  }

  @Test
  void eventsLoadedBeforeTheIndexExistedStayDuplicatesUntilTheWindowPassesThem()
      throws Exception {
    try (EventLoader loader = loader(false, Duration.ofHours(1))) {
      load(loader, event(0, "m1", T), event(1, "m2", T.plusSeconds(600)));
    }
    reopenWarehouse();
    try (EventLoader loader = indexed()) {
      assertThat(load(loader, event(2, "m1", T.plusSeconds(1800)))).as("within the hour").isZero();
      assertThat(load(loader, event(3, "m3", T.plusSeconds(1800)))).isEqualTo(1);
      // 61 minutes after m1 (still within the hour of m2): m1 is loaded again, m2 is not.
      assertThat(load(loader, event(4, "m1", T.plusSeconds(3660)))).isEqualTo(1);
      assertThat(load(loader, event(5, "m2", T.plusSeconds(3660)))).isZero();
      // Once the window starts after every event loaded before the index, the index alone checks:
      // m3 (received at +30 min) is still a duplicate at +83 min.
      assertThat(load(loader, event(6, "m3", T.plusSeconds(5000)))).isZero();
    }
    assertThat(rows("SELECT raw_id FROM events ORDER BY raw_id")).containsExactly(
        List.of("raw-0"), List.of("raw-1"), List.of("raw-3"), List.of("raw-4"));
  }

  @Test
  void aLongerWindowStartsTheIndexOverAndStillFindsOlderDuplicates() throws Exception {
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
    }
    // 90 minutes later with a two-hour window: the one-hour index may have dropped m1 already.
    try (EventLoader loader = loader(true, Duration.ofHours(2))) {
      assertThat(load(loader, event(1, "m1", T.plusSeconds(5400)))).isZero();
    }
    assertThat(rows("SELECT count(*) FROM events")).containsExactly(List.of("1"));
  }

  @Test
  void aDamagedIndexIsMadeAgain() throws Exception {
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
    }
    Path index = EventLoader.indexDir(file, "loader");
    Files.writeString(index.resolve("CURRENT"), "not a manifest\n");
    try (EventLoader loader = indexed()) {
      assertThat(load(loader, event(1, "m1", T.plusSeconds(60)), event(2, "m2", T))).isEqualTo(1);
      assertThat(load(loader, event(3, "m2", T.plusSeconds(60)))).isZero();
    }
    assertThat(rows("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("m1"), List.of("m2"));
    try (EventIdIndex remade = EventIdIndex.open(index, Duration.ofHours(1))) {
      assertThat(remade.loadedSince(List.of("m1", "m2"), 0)).as("made again after m1")
          .containsExactly(false, true);
    }
  }

  @Test
  void aFailingIndexLeavesTheCheckToDuckDbForAMinuteThenIsOpenedAgainAndCatchesUp()
      throws Exception {
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
      loader.breakIndex();
      assertThat(load(loader, event(1, "m1", T.plusSeconds(60)), event(2, "m2", T))).isEqualTo(1);
      clock.advance(Duration.ofSeconds(30));
      assertThat(load(loader, event(3, "m2", T.plusSeconds(60)), event(4, "m3", T))).isEqualTo(1);
      clock.advance(Duration.ofSeconds(31));
      assertThat(load(loader, event(5, "m3", T.plusSeconds(60)), event(6, "m4", T))).isEqualTo(1);
    }
    assertThat(rows("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("m1"), List.of("m2"), List.of("m3"), List.of("m4"));
    try (EventIdIndex index = EventIdIndex.open(EventLoader.indexDir(file, "loader"),
        Duration.ofHours(1))) {
      assertThat(index.loadedSince(List.of("m1", "m2", "m3", "m4"), 0)).as("caught up")
          .containsExactly(true, true, true, true);
      assertThat(index.state().offsets()).isEqualTo(Map.of(0, 7L));
    }
  }

  @Test
  void anIndexThatCannotBeOpenedLeavesTheCheckToDuckDb() throws Exception {
    try (EventLoader loader = indexed()) {
      load(loader, event(0, "m1", T));
    }
    // Another holder of the index's lock, as a second process would be.
    try (EventIdIndex held = EventIdIndex.open(EventLoader.indexDir(file, "loader"),
            Duration.ofHours(1));
        EventLoader loader = indexed()) {
      assertThat(load(loader, event(1, "m1", T.plusSeconds(60)), event(2, "m2", T))).isEqualTo(1);
    }
    assertThat(rows("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("m1"), List.of("m2"));
  }
}
