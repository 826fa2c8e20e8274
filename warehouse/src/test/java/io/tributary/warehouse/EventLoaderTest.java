package io.tributary.warehouse;

import io.tributary.core.ManualClock;
import static io.tributary.warehouse.Segment.batch;
import static io.tributary.warehouse.Segment.record;
import static io.tributary.warehouse.Segment.tracks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.RetriableException;
import io.tributary.core.SourcedRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLoaderTest {
  private static final Duration MAX_DELAY = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private DuckDbWarehouse warehouse;

  @BeforeEach
  void openWarehouse() {
    warehouse = DuckDbWarehouse.open(dir.resolve("data/warehouse.duckdb"));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    warehouse.close();
  }

  /** Whether the loaders check duplicates with their {@link EventIdIndex} (the default). */
  boolean indexed() {
    return true;
  }

  EventLoader newLoader(LoaderSettings settings) {
    return new EventLoader(warehouse, settings, clock, EventLoader.RAW_SEGMENT,
        EventLoader.DEFAULT_MAX_COLUMNS_PER_TABLE, true,
        io.tributary.core.tables.SchemaColumnTypes.NONE, List.of(), indexed());
  }

  private EventLoader loader(int maxEvents) {
    return loader("loader", maxEvents);
  }

  private EventLoader loader(String consumer, int maxEvents) {
    EventLoader loader = newLoader(new LoaderSettings(consumer, "raw", maxEvents, MAX_DELAY));
    toClose.add(loader);
    return loader;
  }

  private long events() throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.count(c, "SELECT count(*) FROM events");
    }
  }

  private List<List<String>> query(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.rows(c, sql);
    }
  }

  private static List<String> row(String... values) {
    return Arrays.asList(values);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private Map<Integer, Long> storedOffsets(String consumer) throws SQLException {
    Map<Integer, Long> out = new HashMap<>();
    for (List<String> row : query("SELECT \"partition\", next_offset FROM _tributary_offsets"
        + " WHERE consumer = '" + consumer + "' AND topic = 'raw'")) {
      out.put(Integer.parseInt(row.get(0)), Long.parseLong(row.get(1)));
    }
    return out;
  }

  // ---------------------------------------------------------------- columns

  @Test
  void everyMessageTypeLandsWithItsColumns() throws SQLException {
    String body = """
        {"batch":[
          {"type":"track","event":"Order Completed","userId":"u1","messageId":"m-track-1",
           "properties":{"total":3,"currency":"EUR"},"timestamp":"2026-11-22T12:00:05Z"},
          {"type":"track","event":"Product Viewed","anonymousId":"a1","messageId":"m-track-2",
           "properties":{"sku":"X-1"},"originalTimestamp":"2026-11-22T13:00:00+01:00",
           "sentAt":"2026-11-22T12:00:30Z"},
          {"type":"identify","userId":"u1","messageId":"m-identify-1","traits":{"email":"a@b.c"}},
          {"type":"identify","anonymousId":"a2","messageId":"m-identify-2","traits":{"plan":"pro"}},
          {"type":"page","name":"Home","userId":"u1","messageId":"m-page-1",
           "properties":{"url":"https://shop.example/a"},
           "context":{"page":{"path":"/a","title":"A page"}}},
          {"type":"page","name":"Docs","anonymousId":"a1","messageId":"m-page-2"},
          {"type":"screen","name":"Settings","userId":"u2","messageId":"m-screen-1"},
          {"type":"screen","name":"Feed","userId":"u3","messageId":"m-screen-2"},
          {"type":"group","groupId":"g1","userId":"u1","messageId":"m-group-1","traits":{"name":"ACME"}},
          {"type":"group","groupId":"g2","userId":"u2","messageId":"m-group-2"},
          {"type":"alias","previousId":"a1","userId":"u1","messageId":"m-alias-1"},
          {"type":"alias","previousId":"a2","userId":"u4","messageId":"m-alias-2"}
        ],
        "sentAt":"2026-11-22T12:00:10Z",
        "context":{"library":{"name":"analytics.js","version":"5.2.0"}}}
        """;
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    loader.write(List.of(record(0, 41, "raw-abc", body)));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 42L));
    assertThat(loader.loadedEvents()).isEqualTo(12);

    List<List<String>> rows = query("""
        SELECT event_id, event_type, event_name, user_id, anonymous_id, group_id, previous_id,
               CAST(received_at AS VARCHAR), CAST(sent_at AS VARCHAR),
               CAST(original_timestamp AS VARCHAR), CAST(event_time AS VARCHAR),
               raw_id, source
        FROM events ORDER BY event_id""");
    assertThat(rows).extracting(r -> r.subList(0, 7)).containsExactly(
        row("m-alias-1", "alias", null, "u1", null, null, "a1"),
        row("m-alias-2", "alias", null, "u4", null, null, "a2"),
        row("m-group-1", "group", null, "u1", null, "g1", null),
        row("m-group-2", "group", null, "u2", null, "g2", null),
        row("m-identify-1", "identify", null, "u1", null, null, null),
        row("m-identify-2", "identify", null, null, "a2", null, null),
        row("m-page-1", "page", "Home", "u1", null, null, null),
        row("m-page-2", "page", "Docs", null, "a1", null, null),
        row("m-screen-1", "screen", "Settings", "u2", null, null, null),
        row("m-screen-2", "screen", "Feed", "u3", null, null, null),
        row("m-track-1", "track", "Order Completed", "u1", null, null, null),
        row("m-track-2", "track", "Product Viewed", null, "a1", null, null));
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.get(7)).isEqualTo("2026-11-22 12:00:00");
      assertThat(r.get(11)).isEqualTo("raw-abc");
      assertThat(r.get(12)).isEqualTo("web");
    });

    Map<String, List<String>> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.get(0), r));
    // skew rule: receivedAt - (sentAt - timestamp) = 12:00:00 - (12:00:10 - 12:00:05)
    assertThat(byId.get("m-track-1").subList(8, 11))
        .containsExactly("2026-11-22 12:00:10", "2026-11-22 12:00:05", "2026-11-22 11:59:55");
    // the message's own sentAt wins over the batch's: 12:00:00 - (12:00:30 - 12:00:00)
    assertThat(byId.get("m-track-2").subList(8, 11))
        .containsExactly("2026-11-22 12:00:30", "2026-11-22 12:00:00", "2026-11-22 11:59:30");
    // without a client timestamp the event happened when it was received
    assertThat(byId.get("m-page-2").subList(8, 11))
        .containsExactly("2026-11-22 12:00:10", null, "2026-11-22 12:00:00");

    assertThat(query("""
        SELECT properties->>'$.currency', CAST(properties->'$.total' AS INTEGER),
               json_valid(properties), typeof(properties)
        FROM events WHERE event_id = 'm-track-1'"""))
        .containsExactly(List.of("EUR", "3", "true", "JSON"));
    assertThat(query("SELECT CAST(traits AS VARCHAR), properties FROM events"
        + " WHERE event_id = 'm-identify-1'"))
        .containsExactly(row("{\"email\":\"a@b.c\"}", null));
    assertThat(query("""
        SELECT page_url, page_urlpath, page_title, library_name, library_version, ip, user_agent,
               context->>'$.library.name', loaded_at IS NOT NULL
        FROM events WHERE event_id = 'm-page-1'"""))
        .containsExactly(List.of("https://shop.example/a", "/a", "A page", "analytics.js", "5.2.0",
            "203.0.113.7", "test-agent/1.0", "analytics.js", "true"));
  }

  // ---------------------------------------------------------------- when batches commit

  @Test
  void flushesOnlyWhenMaxEventsIsReached() throws SQLException {
    EventLoader loader = loader(5);
    loader.open(List.of(0));
    loader.write(List.of(tracks(0, 0, "a", "b")));
    assertThat(loader.flush(false)).isEmpty();
    loader.write(List.of(tracks(0, 1, "c", "d")));
    assertThat(loader.flush(false)).isEmpty();
    assertThat(events()).isZero();

    loader.write(List.of(tracks(0, 2, "e")));
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 3L));
    assertThat(events()).isEqualTo(5);
    assertThat(loader.flush(false)).isEmpty();
    assertThat(loader.flush(true)).isEmpty();
  }

  @Test
  void flushesWhenTheOldestRecordHasWaitedMaxDelay() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    loader.write(List.of(tracks(0, 0, "a")));
    clock.advance(Duration.ofSeconds(3));
    loader.write(List.of(tracks(0, 1, "b")));
    clock.advance(Duration.ofMillis(1999));
    assertThat(loader.flush(false)).isEmpty();
    assertThat(events()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 2L));
    assertThat(events()).isEqualTo(2);

    // an idle loader does not flush the next record at once: the delay starts with that record
    clock.advance(Duration.ofMinutes(10));
    loader.write(List.of(tracks(0, 2, "c")));
    assertThat(loader.flush(false)).isEmpty();
    clock.advance(MAX_DELAY);
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 3L));
  }

  @Test
  void whileBehindABatchFillsUpToMaxEventsOrTheCatchUpDelay() throws SQLException {
    EventLoader loader = loader(4);
    loader.open(List.of(0));
    loader.write(List.of(tracks(0, 0, "a")));
    loader.backlog(500);
    clock.advance(MAX_DELAY);
    assertThat(loader.flush(false)).isEmpty();
    assertThat(events()).isZero();

    // a full batch commits at once, behind or not
    loader.write(List.of(tracks(0, 1, "b", "c", "d")));
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 2L));
    assertThat(events()).isEqualTo(4);

    // still behind: the oldest record waits up to the catch-up delay (10 × max delay)
    loader.write(List.of(tracks(0, 2, "e")));
    clock.advance(MAX_DELAY.multipliedBy(10).minusMillis(1));
    assertThat(loader.flush(false)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 3L));

    // caught up: back to the max delay
    loader.write(List.of(tracks(0, 3, "f")));
    loader.backlog(0);
    clock.advance(MAX_DELAY);
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 4L));
    assertThat(events()).isEqualTo(6);
  }

  @Test
  void theLoaderCheckpointsOnceCaughtUpNotWhileBehind() throws SQLException {
    EventLoader loader = newLoader(new LoaderSettings("loader", "raw", 1000, MAX_DELAY,
        LoaderSettings.DEFAULT_DEDUPE_WINDOW, 1));
    toClose.add(loader);
    loader.open(List.of(0));
    loader.backlog(10);
    loader.write(List.of(tracks(0, 0, "a", "b")));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 1L));
    assertThat(warehouse.walBytes()).isPositive();

    loader.backlog(0);
    loader.write(List.of(tracks(0, 1, "c")));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 2L));
    assertThat(warehouse.walBytes()).isZero();
    assertThat(events()).isEqualTo(3);
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 2L));
  }

  @Test
  void caughtUpTheLoaderLeavesALogBelowItsThresholdForLaterCheckpoints() throws SQLException {
    EventLoader loader = newLoader(new LoaderSettings("loader", "raw", 1000,
        MAX_DELAY, LoaderSettings.DEFAULT_DEDUPE_WINDOW, LoaderSettings.DEFAULT_CHECKPOINT_WAL_BYTES));
    toClose.add(loader);
    loader.open(List.of(0));
    loader.backlog(0);
    loader.write(List.of(tracks(0, 0, "a", "b")));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 1L));
    assertThat(warehouse.walBytes()).isPositive();
    assertThat(events()).isEqualTo(2);
  }

  @Test
  void duckDbCheckpointsByItselfAtAQuarterOfTheFreeDiskBetween16And512Mb() {
    long mb = 1L << 20;
    assertThat(DuckDbWarehouse.autoCheckpointBytes(0)).isEqualTo(16 * mb);
    assertThat(DuckDbWarehouse.autoCheckpointBytes(24 * mb)).isEqualTo(16 * mb);
    assertThat(DuckDbWarehouse.autoCheckpointBytes(400 * mb + 5)).isEqualTo(100 * mb);
    assertThat(DuckDbWarehouse.autoCheckpointBytes(1L << 40)).isEqualTo(512 * mb);
  }

  @Test
  void forceFlushesAtOnceAndReturnsNextOffsetsPerPartition() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0, 1, 2));
    assertThat(loader.flush(true)).isEmpty();
    loader.write(List.of(tracks(0, 10, "a"), tracks(2, 7, "b"), tracks(0, 11, "c")));
    loader.write(List.of(tracks(2, 8, "d")));
    assertThat(loader.flush(true)).containsOnly(Map.entry(0, 12L), Map.entry(2, 9L));
    assertThat(events()).isEqualTo(4);
    assertThat(storedOffsets("loader")).containsOnly(Map.entry(0, 12L), Map.entry(2, 9L));
  }

  // ---------------------------------------------------------------- offsets

  @Test
  void offsetsAreStoredWithTheDataAndReturnedByOpen() throws SQLException {
    EventLoader loader = loader(1000);
    assertThat(loader.open(List.of(0, 1))).isEmpty();
    loader.write(List.of(tracks(0, 0, "a"), tracks(0, 1, "b"), tracks(1, 10, "c")));
    loader.flush(true);
    loader.write(List.of(tracks(0, 2, "d")));
    loader.flush(true);

    assertThat(query("SELECT consumer, topic, \"partition\", next_offset FROM _tributary_offsets"
        + " ORDER BY \"partition\"")).containsExactly(
        List.of("loader", "raw", "0", "3"), List.of("loader", "raw", "1", "11"));

    EventLoader next = loader(1000);
    assertThat(next.open(List.of(0, 1, 2))).containsOnly(Map.entry(0, 3L), Map.entry(1, 11L));
    assertThat(next.open(List.of(1))).containsOnly(Map.entry(1, 11L));
    assertThat(loader("another-pipeline", 1000).open(List.of(0, 1))).isEmpty();
  }

  // ---------------------------------------------------------------- duplicates

  @Test
  void aMessageIdIsLoadedOnceWithinABatchAndAcrossBatches() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    String first = "{\"type\":\"track\",\"event\":\"First\",\"userId\":\"u1\",\"messageId\":\"m1\"}";
    String resent = "{\"type\":\"track\",\"event\":\"Resent\",\"userId\":\"u1\",\"messageId\":\"m1\"}";
    loader.write(List.of(
        record(0, 0, "raw-0", batch(first, Segment.track("m2", "Other"))),
        record(0, 1, "raw-1", batch(resent))));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 2L));
    assertThat(events()).isEqualTo(2);
    assertThat(loader.loadedEvents()).isEqualTo(2);
    assertThat(loader.duplicateEvents()).isEqualTo(1);
    assertThat(query("SELECT event_name, raw_id FROM events WHERE event_id = 'm1'"))
        .containsExactly(List.of("First", "raw-0"));

    loader.write(List.of(record(0, 2, "raw-2", batch(resent, Segment.track("m3", "New")))));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 3L));
    assertThat(events()).isEqualTo(3);
    assertThat(loader.loadedEvents()).isEqualTo(3);
    assertThat(loader.duplicateEvents()).isEqualTo(2);
    assertThat(query("SELECT event_name FROM events WHERE event_id = 'm1'"))
        .containsExactly(List.of("First"));
  }

  @Test
  void aMessageIdIsADuplicateWithinTheDedupeWindowOfReceiveTimeNotBeyond() throws SQLException {
    EventLoader loader = newLoader(new LoaderSettings("loader", "raw", 1000,
        MAX_DELAY, Duration.ofHours(1)));
    toClose.add(loader);
    loader.open(List.of(0));
    Instant first = Instant.parse("2030-01-01T10:00:00.123456Z");
    String m1 = batch(Segment.track("m1", "Order Completed"));
    loader.write(List.of(record(0, 0, "raw-0", first, m1)));
    loader.flush(true);
    // 59 minutes later: within the window, a duplicate; also when older events share its batch
    loader.write(List.of(record(0, 1, "raw-1", first.plusSeconds(59 * 60), m1),
        record(0, 2, "raw-2", first.plusSeconds(30 * 60), batch(Segment.track("m2", "Other")))));
    loader.flush(true);
    assertThat(loader.duplicateEvents()).isEqualTo(1);
    // 61 minutes after the first: beyond the window, so loaded again
    loader.write(List.of(record(0, 3, "raw-3", first.plusSeconds(61 * 60), m1)));
    loader.flush(true);

    assertThat(loader.duplicateEvents()).isEqualTo(1);
    assertThat(query("SELECT raw_id FROM events WHERE event_id = 'm1' ORDER BY raw_id"))
        .containsExactly(List.of("raw-0"), List.of("raw-3"));
  }

  @Test
  void theDedupeWindowStartsAtTheBatchsOldestReceiveTimeAsALiteral() {
    Object[] older = new Object[io.tributary.core.EventField.values().length];
    Object[] newer = older.clone();
    Object[] none = older.clone();
    older[io.tributary.core.EventField.RECEIVED_AT.ordinal()] =
        java.time.LocalDateTime.parse("2030-01-02T00:30:00.000007");
    newer[io.tributary.core.EventField.RECEIVED_AT.ordinal()] =
        java.time.LocalDateTime.parse("2030-01-02T05:00:00");
    assertThat(EventLoader.windowStart(List.<Object[]>of(newer, none, older), Duration.ofHours(24)))
        .isEqualTo("TIMESTAMP '2030-01-01 00:30:00.000007'");
    assertThat(EventLoader.windowStart(List.<Object[]>of(none), Duration.ofHours(24)))
        .isEqualTo("TIMESTAMP '1970-01-01 00:00:00.000000'");
  }

  @Test
  void replayingARawRecordWithoutMessageIdsLoadsItOnce() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    String body = batch("{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u1\"}",
        "{\"type\":\"track\",\"event\":\"B\",\"userId\":\"u1\"}");
    loader.write(List.of(record(0, 0, "raw-same", body)));
    loader.flush(true);
    // the same raw record read again (a replay), in a later batch
    loader.write(List.of(record(0, 0, "raw-same", body)));
    loader.flush(true);

    assertThat(events()).isEqualTo(2);
    assertThat(loader.duplicateEvents()).isEqualTo(2);
    assertThat(query("SELECT count(DISTINCT event_id), min(raw_id) FROM events"))
        .containsExactly(List.of("2", "raw-same"));
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void aRecordWithABrokenBodyIsSkippedAndItsOffsetStillAdvances() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    SourcedRecord broken = new SourcedRecord(0, 1, 0, RawRecordCodec.encode(
        new RawRecord("raw-broken", "web", "segment", "/v1/batch", Segment.RECEIVED, null, null,
            "application/json", "{\"batch\":[{\"type\":".getBytes(StandardCharsets.UTF_8)), false));
    loader.write(List.of(tracks(0, 0, "a", "b"), broken, tracks(0, 2, "c")));

    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 3L));
    assertThat(loader.rejectedRecords()).isEqualTo(1);
    assertThat(loader.loadedEvents()).isEqualTo(3);
    assertThat(query("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("a"), List.of("b"), List.of("c"));
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 3L));
  }

  @Test
  void everyKindOfUnreadableRecordIsSkipped() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    loader.write(List.of(
        new SourcedRecord(0, 0, 0, "not a raw record".getBytes(StandardCharsets.UTF_8)),
        record(0, 1, "raw-no-batch", "{\"hello\":1}"),
        record(0, 2, "raw-bad-type", batch("{\"type\":\"purchase\",\"userId\":\"u1\"}")),
        record(0, 3, "raw-not-object", "[1,2]")));
    // a batch of nothing but unreadable records still moves the offsets
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 4L));
    assertThat(loader.rejectedRecords()).isEqualTo(4);
    assertThat(events()).isZero();
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 4L));
    assertThat(loader("loader", 1000).open(List.of(0))).containsExactly(Map.entry(0, 4L));
  }

  // ---------------------------------------------------------------- atomicity

  @Test
  void aFailingInsertChangesNeitherEventsNorOffsets() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    loader.write(List.of(tracks(0, 0, "a"), tracks(0, 1, "b")));
    loader.flush(true);

    loader.write(List.of(tracks(0, 2, "c", "d"), tracks(0, 3, "e")));
    // someone (a migration, an operator) has the table away at the wrong moment
    execute("ALTER TABLE events RENAME TO events_away");
    assertThatThrownBy(() -> loader.flush(true)).isInstanceOf(RetriableException.class)
        .hasMessageContaining("events");
    execute("ALTER TABLE events_away RENAME TO events");

    assertThat(events()).isEqualTo(2);
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 2L));
    assertThat(loader.loadedEvents()).isEqualTo(2);

    // what the runner does after a failure: drop the buffers, re-open, re-read from stored offsets
    loader.closePartitions(List.of(0));
    Map<Integer, Long> resume = loader.open(List.of(0));
    assertThat(resume).containsExactly(Map.entry(0, 2L));
    loader.write(List.of(tracks(0, 2, "c", "d")));
    loader.write(List.of(tracks(0, 3, "e"), tracks(0, 4, "f")));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 5L));

    assertThat(query("SELECT event_id FROM events ORDER BY 1")).containsExactly(
        List.of("a"), List.of("b"), List.of("c"), List.of("d"), List.of("e"), List.of("f"));
    assertThat(loader.duplicateEvents()).isZero();
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 5L));
  }

  @Test
  void aFailureAfterTheEventsWereInsertedRollsThemBack() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    loader.write(List.of(tracks(0, 0, "a")));
    loader.flush(true);

    loader.write(List.of(tracks(0, 1, "b", "c")));
    // the events INSERT succeeds inside the transaction, then storing the offsets fails
    execute("ALTER TABLE _tributary_offsets RENAME TO offsets_away");
    assertThatThrownBy(() -> loader.flush(true)).isInstanceOf(RetriableException.class)
        .hasMessageContaining("_tributary_offsets");
    execute("ALTER TABLE offsets_away RENAME TO _tributary_offsets");

    assertThat(query("SELECT event_id FROM events")).containsExactly(List.of("a"));
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 1L));

    // a plain retry of the same flush loads the batch once
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 2L));
    assertThat(query("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("a"), List.of("b"), List.of("c"));
    assertThat(loader.loadedEvents()).isEqualTo(3);
    assertThat(loader.duplicateEvents()).isZero();
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 2L));
  }

  @Test
  void aNewLoaderResumesFromTheStoredOffsetsAfterAFailure() throws SQLException {
    EventLoader crashed = loader(1000);
    crashed.open(List.of(0, 1));
    crashed.write(List.of(tracks(0, 0, "a"), tracks(1, 0, "x")));
    crashed.flush(true);
    crashed.write(List.of(tracks(0, 1, "b"), tracks(1, 1, "y")));
    execute("ALTER TABLE events RENAME TO events_away");
    assertThatThrownBy(() -> crashed.flush(true)).isInstanceOf(RetriableException.class);
    crashed.close();
    execute("ALTER TABLE events_away RENAME TO events");

    EventLoader next = loader(1000);
    Map<Integer, Long> resume = next.open(List.of(0, 1));
    assertThat(resume).containsOnly(Map.entry(0, 1L), Map.entry(1, 1L));
    // re-fed from the stored offsets, in a different order and chunking
    next.write(List.of(tracks(1, 1, "y")));
    next.write(List.of(tracks(0, 1, "b"), tracks(0, 2, "c")));
    assertThat(next.flush(true)).containsOnly(Map.entry(0, 3L), Map.entry(1, 2L));
    assertThat(query("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of("x"), List.of("y"));
    assertThat(next.duplicateEvents()).isZero();
  }

  // ---------------------------------------------------------------- durability

  @Test
  void dataAndOffsetsSurviveClosingAndReopeningTheWarehouse() throws Exception {
    Path file = warehouse.file();
    EventLoader loader = newLoader(new LoaderSettings("loader", "raw", 1000, MAX_DELAY));
    loader.open(List.of(0, 3));
    loader.write(List.of(tracks(0, 0, "a", "b"), tracks(3, 99, "c")));
    loader.flush(true);
    loader.close();
    warehouse.close();

    warehouse = DuckDbWarehouse.open(file);
    assertThat(events()).isEqualTo(3);
    assertThat(storedOffsets("loader")).containsOnly(Map.entry(0, 1L), Map.entry(3, 100L));
    EventLoader reopened = loader(1000);
    assertThat(reopened.open(List.of(0, 3))).containsOnly(Map.entry(0, 1L), Map.entry(3, 100L));
    reopened.write(List.of(tracks(0, 1, "d")));
    assertThat(reopened.flush(true)).containsExactly(Map.entry(0, 2L));
    assertThat(events()).isEqualTo(4);
  }

  // ---------------------------------------------------------------- partitions

  @Test
  void closingEveryPartitionDropsTheBuffer() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    loader.write(List.of(tracks(0, 0, "a")));
    loader.closePartitions(List.of(0));
    assertThat(loader.flush(true)).isEmpty();
    assertThat(events()).isZero();
    assertThat(storedOffsets("loader")).isEmpty();
  }

  @Test
  void closingOnePartitionKeepsTheOthersBuffered() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0, 1));
    loader.write(List.of(tracks(0, 0, "a"), tracks(1, 0, "x"), tracks(0, 1, "b")));
    // partition 1 is revoked (incremental rebalance, or lost); partition 0 stays with this loader
    loader.closePartitions(List.of(1));
    loader.write(List.of(tracks(0, 2, "c")));

    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 3L));
    assertThat(query("SELECT event_id FROM events ORDER BY 1"))
        .containsExactly(List.of("a"), List.of("b"), List.of("c"));
  }

  // ---------------------------------------------------------------- timestamps out of range

  @Test
  void anEventWithAnAbsurdTimestampDoesNotBlockTheLoader() throws SQLException {
    EventLoader loader = loader(1000);
    loader.open(List.of(0));
    loader.write(List.of(
        tracks(0, 0, "good-1"),
        record(0, 1, "raw-nanos", batch("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\","
            + "\"messageId\":\"nanos\",\"timestamp\":1763812800000000000}")),
        tracks(0, 2, "good-2")));

    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 3L));
    assertThat(query("SELECT event_id FROM events WHERE event_id LIKE 'good%' ORDER BY 1"))
        .containsExactly(List.of("good-1"), List.of("good-2"));
    assertThat(storedOffsets("loader")).containsExactly(Map.entry(0, 3L));
  }
}
