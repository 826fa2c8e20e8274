package io.tributary.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.BadRow;
import io.tributary.core.BadRowCodec;
import io.tributary.core.BadRowType;
import io.tributary.core.ManualClock;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SourcedRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadRowLoaderTest {
  private static final Duration MAX_DELAY = Duration.ofSeconds(5);
  private static final Instant RECEIVED = Instant.parse("2026-11-22T12:00:00Z");
  private static final Instant FAILED = Instant.parse("2026-11-22T12:00:01.123456Z");

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

  // ---------------------------------------------------------------- helpers

  private BadRowLoader loader(String consumer, int maxEvents) {
    BadRowLoader loader = new BadRowLoader(warehouse,
        new LoaderSettings(consumer, "bad", maxEvents, MAX_DELAY), clock);
    toClose.add(loader);
    return loader;
  }

  private BadRowLoader loader() {
    return loader("bad-loader", 1000);
  }

  static RawRecord rawRecord(String rawId, String body) {
    return new RawRecord(rawId, "web", "segment", "/v1/track", RECEIVED, "203.0.113.7",
        "test-agent/1.0", "application/json", body.getBytes(StandardCharsets.UTF_8), "a=1&b=2",
        Map.of("referer", "https://ref.example/x", "origin", "https://shop.example"), "nuid-1",
        null);
  }

  static byte[] raw(String rawId) {
    return RawRecordCodec.encode(rawRecord(rawId,
        "{\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"total\":\"three\"}}"));
  }

  static BadRow bad(String id, String rawId) {
    return new BadRow(id, BadRowType.SCHEMA_VIOLATION, "tributary-enrich/0.1.0", FAILED,
        List.of("$.properties.total: string found, integer expected"), "web", rawId, RECEIVED,
        raw(rawId), null);
  }

  static SourcedRecord rec(int partition, long offset, BadRow row) {
    return new SourcedRecord(partition, offset, 0L, BadRowCodec.encode(row));
  }

  private List<List<String>> query(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.rows(c, sql);
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.count(c, sql);
    }
  }

  private Map<Integer, Long> storedOffsets(String consumer) throws SQLException {
    Map<Integer, Long> out = new HashMap<>();
    for (List<String> row : query("SELECT \"partition\", next_offset FROM _tributary_offsets"
        + " WHERE consumer = '" + consumer + "' AND topic = 'bad'")) {
      out.put(Integer.parseInt(row.get(0)), Long.parseLong(row.get(1)));
    }
    return out;
  }

  private static List<String> row(String... values) {
    return Arrays.asList(values);
  }

  // ---------------------------------------------------------------- columns

  @Test
  void everyColumnOfAFullBadRowIsLoaded() throws SQLException {
    BadRow row = new BadRow("bad-1", BadRowType.SCHEMA_VIOLATION, "tributary-enrich/0.1.0",
        FAILED, List.of("$.properties.total: string found, integer expected",
            "quote \" backslash \\ and ü"),
        "web", "raw-1", RECEIVED, raw("raw-1"), "replay-7");
    BadRowLoader loader = loader();
    loader.open(List.of(0));
    loader.write(List.of(rec(0, 10, row)));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 11L));
    assertThat(loader.loadedRows()).isEqualTo(1);

    assertThat(query("""
        SELECT id, type, processor, CAST(failure_time AS VARCHAR), source, raw_id,
               CAST(received_at AS VARCHAR), replay_id, typeof(failure_time), typeof(received_at),
               loaded_at IS NOT NULL
        FROM bad_events""")).containsExactly(row("bad-1", "schema_violation",
            "tributary-enrich/0.1.0", "2026-11-22 12:00:01.123456", "web", "raw-1",
            "2026-11-22 12:00:00", "replay-7", "TIMESTAMP", "TIMESTAMP", "true"));

    assertThat(query("""
        SELECT typeof(messages), json_valid(messages), json_type(messages),
               json_array_length(messages), messages->>'$[0]', messages->>'$[1]'
        FROM bad_events""")).containsExactly(row("JSON", "true", "ARRAY", "2",
            "$.properties.total: string found, integer expected", "quote \" backslash \\ and ü"));

    assertThat(query("""
        SELECT typeof(raw), json_valid(raw), raw->>'$.id', raw->>'$.source',
               raw->>'$.received_at', raw->>'$.headers.referer', raw->>'$.query',
               CAST(raw->'$.body' AS VARCHAR), raw->'$.body'->>'$.properties.total',
               raw->>'$.network_userid'
        FROM bad_events""")).containsExactly(row("JSON", "true", "raw-1", "web",
            "2026-11-22T12:00:00Z", "https://ref.example/x", "a=1&b=2",
            "{\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"total\":\"three\"}}",
            "three", "nuid-1"));

    // The stored raw is the raw line itself.
    List<List<String>> raws = query("SELECT CAST(raw AS VARCHAR) FROM bad_events");
    RawRecord back = RawRecordCodec.decode(raws.get(0).get(0).getBytes(StandardCharsets.UTF_8));
    assertThat(back.id()).isEqualTo("raw-1");
    assertThat(back.headers()).containsEntry("origin", "https://shop.example");
  }

  @Test
  void optionalColumnsAreNullAndNoMessagesIsAnEmptyArray() throws SQLException {
    BadRow row = new BadRow("bad-2", BadRowType.SIZE_VIOLATION, "tributary-collector/0.1.0",
        FAILED, List.of(), null, null, null, raw("raw-2"), null);
    BadRowLoader loader = loader();
    loader.open(List.of(0));
    loader.write(List.of(rec(0, 0, row)));
    loader.flush(true);

    assertThat(query("""
        SELECT id, type, source, raw_id, received_at, replay_id, CAST(messages AS VARCHAR),
               json_array_length(messages)
        FROM bad_events""")).containsExactly(
            row("bad-2", "size_violation", null, null, null, null, "[]", "0"));
  }

  @Test
  void everyTypeIsStoredUnderItsWireName() throws SQLException {
    BadRowLoader loader = loader();
    loader.open(List.of(0));
    List<SourcedRecord> records = new ArrayList<>();
    long offset = 0;
    for (BadRowType t : BadRowType.values()) {
      records.add(rec(0, offset++, new BadRow("bad-" + t, t, "p", FAILED, List.of("m"), "web",
          "raw-" + t, RECEIVED, raw("raw-" + t), null)));
    }
    loader.write(records);
    loader.flush(true);

    assertThat(query("SELECT type FROM bad_events ORDER BY type")).extracting(r -> r.get(0))
        .containsExactly("adapter_failure", "enrichment_failure", "resolution_error",
            "schema_violation", "size_violation", "tracker_protocol_violation");
  }

  @Test
  void timestampsAreStoredInUtcWhateverTheJvmZone() throws SQLException {
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
      // 02:30 on 2026-03-08 does not exist in New York (DST gap); as UTC it is an ordinary time.
      Instant failed = Instant.parse("2026-03-08T02:30:00.5Z");
      Instant received = Instant.parse("2026-07-01T23:59:59Z");
      BadRowLoader loader = loader();
      loader.open(List.of(0));
      loader.write(List.of(rec(0, 0, new BadRow("bad-tz", BadRowType.ENRICHMENT_FAILURE, "p",
          failed, List.of("m"), "web", "raw-tz", received, raw("raw-tz"), null))));
      loader.flush(true);

      assertThat(query("SELECT CAST(failure_time AS VARCHAR), CAST(received_at AS VARCHAR),"
          + " epoch_ms(failure_time), epoch_ms(received_at) FROM bad_events"))
          .containsExactly(row("2026-03-08 02:30:00.5", "2026-07-01 23:59:59",
              String.valueOf(failed.toEpochMilli()), String.valueOf(received.toEpochMilli())));
    } finally {
      TimeZone.setDefault(original);
    }
  }

  // ---------------------------------------------------------------- exactly once

  @Test
  void duplicateIdsInOneBatchLoadOnce() throws SQLException {
    BadRowLoader loader = loader();
    loader.open(List.of(0, 1));
    loader.write(List.of(rec(0, 0, bad("dup", "raw-a")), rec(0, 1, bad("dup", "raw-a")),
        rec(1, 0, bad("dup", "raw-a")), rec(1, 1, bad("other", "raw-b"))));
    assertThat(loader.flush(true)).containsOnly(Map.entry(0, 2L), Map.entry(1, 2L));

    assertThat(count("SELECT count(*) FROM bad_events")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM bad_events WHERE id = 'dup'")).isEqualTo(1);
    assertThat(loader.loadedRows()).isEqualTo(2);
    assertThat(loader.duplicateRows()).isEqualTo(2);
  }

  @Test
  void duplicateIdsAcrossBatchesAndLoadersLoadOnce() throws SQLException {
    BadRowLoader loader = loader();
    loader.open(List.of(0));
    loader.write(List.of(rec(0, 0, bad("b1", "raw-1")), rec(0, 1, bad("b2", "raw-2"))));
    loader.flush(true);
    // A retry re-emits the same bad rows (deterministic ids) at later offsets.
    loader.write(List.of(rec(0, 2, bad("b1", "raw-1")), rec(0, 3, bad("b3", "raw-3"))));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 4L));
    assertThat(loader.loadedRows()).isEqualTo(3);
    assertThat(loader.duplicateRows()).isEqualTo(1);

    // Another pipeline re-reading the whole topic adds nothing either.
    BadRowLoader again = loader("other-pipeline", 1000);
    assertThat(again.open(List.of(0))).isEmpty();
    again.write(List.of(rec(0, 0, bad("b1", "raw-1")), rec(0, 1, bad("b2", "raw-2")),
        rec(0, 2, bad("b1", "raw-1")), rec(0, 3, bad("b3", "raw-3"))));
    again.flush(true);
    assertThat(again.loadedRows()).isZero();
    assertThat(again.duplicateRows()).isEqualTo(4);

    assertThat(query("SELECT id FROM bad_events ORDER BY id")).extracting(r -> r.get(0))
        .containsExactly("b1", "b2", "b3");
  }

  @Test
  void firstLoadedVersionOfAnIdWins() throws SQLException {
    BadRowLoader loader = loader();
    loader.open(List.of(0));
    loader.write(List.of(rec(0, 0, bad("same", "raw-1"))));
    loader.flush(true);
    BadRow changed = new BadRow("same", BadRowType.RESOLUTION_ERROR, "other", FAILED,
        List.of("x"), "web", "raw-1", RECEIVED, raw("raw-1"), null);
    loader.write(List.of(rec(0, 1, changed)));
    loader.flush(true);

    assertThat(query("SELECT type, processor FROM bad_events"))
        .containsExactly(row("schema_violation", "tributary-enrich/0.1.0"));
  }

  // ---------------------------------------------------------------- offsets

  @Test
  void offsetsAreStoredUnderTheConsumerAndReturnedByOpen() throws SQLException {
    BadRowLoader loader = loader("bad-consumer", 1000);
    assertThat(loader.open(List.of(0, 1, 2))).isEmpty();
    loader.write(List.of(rec(0, 5, bad("a", "r-a")), rec(1, 7, bad("b", "r-b")),
        rec(0, 6, bad("c", "r-c"))));
    assertThat(loader.flush(true)).containsOnly(Map.entry(0, 7L), Map.entry(1, 8L));

    assertThat(storedOffsets("bad-consumer")).containsOnly(Map.entry(0, 7L), Map.entry(1, 8L));
    assertThat(query("SELECT DISTINCT consumer, topic FROM _tributary_offsets"))
        .containsExactly(row("bad-consumer", "bad"));

    BadRowLoader restarted = loader("bad-consumer", 1000);
    assertThat(restarted.open(List.of(0, 1, 2))).containsOnly(Map.entry(0, 7L), Map.entry(1, 8L));
    assertThat(restarted.open(List.of(1))).containsOnly(Map.entry(1, 8L));
    assertThat(loader("someone-else", 1000).open(List.of(0, 1))).isEmpty();
  }

  @Test
  void offsetsSurviveReopeningTheDatabaseFile() throws Exception {
    BadRowLoader loader = loader("bad-consumer", 1000);
    loader.open(List.of(3));
    loader.write(List.of(rec(3, 41, bad("a", "r-a"))));
    loader.flush(true);
    loader.close();
    toClose.remove(loader);
    warehouse.close();

    warehouse = DuckDbWarehouse.open(dir.resolve("data/warehouse.duckdb"));
    assertThat(loader("bad-consumer", 1000).open(List.of(3))).containsExactly(Map.entry(3, 42L));
    assertThat(count("SELECT count(*) FROM bad_events")).isEqualTo(1);
  }

  @Test
  void aBadRowForAnUnreadableRawLineLoadsWithItsTextAsAJsonString() throws SQLException {
    // found by EventProcessorFuzzTest: such a bad row used to be unreadable itself, and skipped here
    BadRow row = new BadRow("bad-3", BadRowType.ADAPTER_FAILURE, "tributary-enrich/0.1.0", FAILED,
        List.of("raw record is not a JSON object"), null, null, null,
        "not json \"at all\"".getBytes(StandardCharsets.UTF_8), null);
    BadRowLoader loader = loader();
    loader.open(List.of(0));
    loader.write(List.of(rec(0, 0, row)));
    loader.flush(true);

    assertThat(loader.rejectedRecords()).isZero();
    assertThat(query("SELECT id, json_type(raw), raw->>'$' FROM bad_events"))
        .containsExactly(row("bad-3", "VARCHAR", "not json \"at all\""));
  }

  // ---------------------------------------------------------------- unreadable records

  @Test
  void unreadableRecordIsSkippedAndCountedWhileOthersLoad() throws SQLException {
    BadRowLoader loader = loader();
    loader.open(List.of(0));
    loader.write(List.of(
        rec(0, 0, bad("good-1", "raw-1")),
        new SourcedRecord(0, 1, 0L, new byte[] {(byte) 0xff, 0x00, 0x13, 'x'}),
        new SourcedRecord(0, 2, 0L, "{\"id\":\"no-type\"}".getBytes(StandardCharsets.UTF_8)),
        new SourcedRecord(0, 3, 0L, "[1,2]".getBytes(StandardCharsets.UTF_8)),
        rec(0, 4, bad("good-2", "raw-2"))));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 5L));

    assertThat(loader.rejectedRecords()).isEqualTo(3);
    assertThat(loader.loadedRows()).isEqualTo(2);
    assertThat(loader.health().detail()).contains("3 unreadable records");
    assertThat(query("SELECT id FROM bad_events ORDER BY id")).extracting(r -> r.get(0))
        .containsExactly("good-1", "good-2");
    assertThat(storedOffsets("bad-loader")).containsExactly(Map.entry(0, 5L));
  }

  @Test
  void batchOfOnlyUnreadableRecordsStillCommitsItsOffsets() throws SQLException {
    BadRowLoader loader = loader();
    loader.open(List.of(2));
    loader.write(List.of(new SourcedRecord(2, 9, 0L, "garbage".getBytes(StandardCharsets.UTF_8))));
    assertThat(loader.flush(true)).containsExactly(Map.entry(2, 10L));
    assertThat(loader.rejectedRecords()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM bad_events")).isZero();
    assertThat(storedOffsets("bad-loader")).containsExactly(Map.entry(2, 10L));
  }

  // ---------------------------------------------------------------- flush rules

  @Test
  void flushIsDueAtMaxEvents() throws SQLException {
    BadRowLoader loader = loader("bad-loader", 3);
    loader.open(List.of(0));
    loader.write(List.of(rec(0, 0, bad("a", "r")), rec(0, 1, bad("b", "r"))));
    assertThat(loader.flush(false)).isEmpty();
    assertThat(count("SELECT count(*) FROM bad_events")).isZero();
    assertThat(storedOffsets("bad-loader")).isEmpty();

    loader.write(List.of(rec(0, 2, bad("c", "r"))));
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 3L));
    assertThat(count("SELECT count(*) FROM bad_events")).isEqualTo(3);
    assertThat(loader.flush(false)).isEmpty();
  }

  @Test
  void flushIsDueWhenTheOldestRecordHasWaitedMaxDelay() throws SQLException {
    BadRowLoader loader = loader("bad-loader", 1000);
    loader.open(List.of(0));
    loader.write(List.of(rec(0, 0, bad("a", "r"))));
    clock.advance(MAX_DELAY.minusMillis(1));
    loader.write(List.of(rec(0, 1, bad("b", "r"))));
    assertThat(loader.flush(false)).isEmpty();
    assertThat(count("SELECT count(*) FROM bad_events")).isZero();

    clock.advance(Duration.ofMillis(1));
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 2L));
    assertThat(count("SELECT count(*) FROM bad_events")).isEqualTo(2);

    // The delay restarts with the next batch.
    loader.write(List.of(rec(0, 2, bad("c", "r"))));
    clock.advance(MAX_DELAY.minusMillis(1));
    assertThat(loader.flush(false)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(loader.flush(false)).containsExactly(Map.entry(0, 3L));
  }

  @Test
  void forceFlushesAnyPendingBatchAndNothingPendingFlushesNothing() throws SQLException {
    BadRowLoader loader = loader("bad-loader", 1000);
    loader.open(List.of(0));
    assertThat(loader.flush(true)).isEmpty();
    loader.write(List.of(rec(0, 0, bad("a", "r"))));
    assertThat(loader.flush(false)).isEmpty();
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 1L));
    assertThat(count("SELECT count(*) FROM bad_events")).isEqualTo(1);
    assertThat(loader.flush(true)).isEmpty();
  }

  @Test
  void droppedPartitionIsNotLoaded() throws SQLException {
    BadRowLoader loader = loader("bad-loader", 1000);
    loader.open(List.of(0, 1));
    loader.write(List.of(rec(0, 0, bad("a", "r")), rec(1, 0, bad("b", "r"))));
    loader.closePartitions(List.of(1));
    assertThat(loader.flush(true)).containsExactly(Map.entry(0, 1L));
    assertThat(query("SELECT id FROM bad_events")).containsExactly(row("a"));
    assertThat(storedOffsets("bad-loader")).containsExactly(Map.entry(0, 1L));
  }
}
