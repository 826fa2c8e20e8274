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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadRowReaderTest {
  private static final Instant T10 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant T11 = Instant.parse("2026-11-22T11:00:00Z");
  private static final Instant T12 = Instant.parse("2026-11-22T12:00:00Z");
  private static final Instant T13 = Instant.parse("2026-11-22T13:00:00Z");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final TimeZone originalZone = TimeZone.getDefault();
  private DuckDbWarehouse warehouse;
  private BadRowReader reader;
  private long offset;
  private int badIds;

  @BeforeEach
  void openWarehouse() {
    warehouse = DuckDbWarehouse.open(dir.resolve("warehouse.duckdb"));
    reader = new BadRowReader(warehouse);
  }

  @AfterEach
  void close() {
    warehouse.close();
    TimeZone.setDefault(originalZone);
  }

  // ---------------------------------------------------------------- helpers

  static RawRecord raw(String id, Instant receivedAt) {
    return new RawRecord(id, "web", "segment", "/v1/track", receivedAt, "203.0.113.7",
        "agent/1.0", "application/json",
        ("{\"type\":\"track\",\"event\":\"E ü\",\"messageId\":\"" + id + "\"}")
            .getBytes(StandardCharsets.UTF_8),
        "x=1", Map.of("referer", "https://ref.example/", "origin", "https://shop.example"),
        "nuid-" + id, null);
  }

  private BadRow bad(RawRecord raw, BadRowType type) {
    return new BadRow("bad-" + (++badIds), type, "tributary-enrich/0.1.0", raw.receivedAt(),
        List.of("failed: " + type.wireName()), raw.source(), raw.id(), raw.receivedAt(),
        RawRecordCodec.encode(raw), null);
  }

  /** Loads bad rows through the real loader. */
  private void load(BadRow... rows) {
    try (BadRowLoader loader = new BadRowLoader(warehouse,
        new LoaderSettings("bad-loader", "bad", 10_000, Duration.ofSeconds(5)), clock)) {
      loader.open(List.of(0));
      List<SourcedRecord> records = new ArrayList<>();
      for (BadRow r : rows) {
        records.add(new SourcedRecord(0, offset++, 0L, BadRowCodec.encode(r)));
      }
      loader.write(records);
      loader.flush(true);
      assertThat(loader.rejectedRecords()).isZero();
    }
  }

  private record Read(long count, List<RawRecord> raws) {
    List<String> ids() {
      return raws.stream().map(RawRecord::id).toList();
    }
  }

  private Read read(Instant since, Instant until, String type) {
    List<RawRecord> raws = new ArrayList<>();
    long n = reader.forEachRaw(since, until, type, bytes -> raws.add(RawRecordCodec.decode(bytes)));
    return new Read(n, raws);
  }

  /** One raw record per hour 10..13, each failing once. */
  private void fourHours() {
    load(bad(raw("r10", T10), BadRowType.SCHEMA_VIOLATION),
        bad(raw("r11", T11), BadRowType.ENRICHMENT_FAILURE),
        bad(raw("r12", T12), BadRowType.SCHEMA_VIOLATION),
        bad(raw("r13", T13), BadRowType.TRACKER_PROTOCOL_VIOLATION));
  }

  // ---------------------------------------------------------------- tests

  @Test
  void emptyTableReadsNothing() {
    Read r = read(null, null, null);
    assertThat(r.count()).isZero();
    assertThat(r.raws()).isEmpty();
  }

  @Test
  void eachRawRecordIsReturnedOnceHoweverManyBadRowsItHas() {
    RawRecord r1 = raw("raw-1", T10);
    RawRecord r2 = raw("raw-2", T11);
    load(bad(r1, BadRowType.SCHEMA_VIOLATION), bad(r1, BadRowType.SCHEMA_VIOLATION),
        bad(r1, BadRowType.ENRICHMENT_FAILURE), bad(r2, BadRowType.SCHEMA_VIOLATION));

    Read all = read(null, null, null);
    assertThat(all.count()).isEqualTo(2);
    assertThat(all.ids()).containsExactlyInAnyOrder("raw-1", "raw-2");

    Read enrichment = read(null, null, "enrichment_failure");
    assertThat(enrichment.count()).isEqualTo(1);
    assertThat(enrichment.ids()).containsExactly("raw-1");
  }

  @Test
  void rawBytesDecodeBackToTheRawRecord() {
    RawRecord json = raw("raw-json", T10);
    RawRecord binary = new RawRecord("raw-bin", "sp", "snowplow", "/i", T11, null, null,
        "application/octet-stream", new byte[] {0, 1, 2, (byte) 0xfe, '\n'}, "e=pv&tv=js-3",
        Map.of(), null, "replay-1");
    load(bad(json, BadRowType.SCHEMA_VIOLATION), bad(binary, BadRowType.ADAPTER_FAILURE));

    List<byte[]> lines = new ArrayList<>();
    assertThat(reader.forEachRaw(null, null, null, lines::add)).isEqualTo(2);
    assertThat(lines).hasSize(2);
    List<RawRecord> back = lines.stream().map(RawRecordCodec::decode).toList();
    RawRecord j = back.stream().filter(r -> r.id().equals("raw-json")).findFirst().orElseThrow();
    RawRecord b = back.stream().filter(r -> r.id().equals("raw-bin")).findFirst().orElseThrow();

    assertThat(j.body()).isEqualTo(json.body());
    assertThat(j.headers()).isEqualTo(json.headers());
    assertThat(j).usingRecursiveComparison().isEqualTo(json);
    assertThat(b.body()).isEqualTo(binary.body());
    assertThat(b).usingRecursiveComparison().isEqualTo(binary);
    // the lines are exactly what the raw topic held
    assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo(RawRecordCodec.encode(json)));
  }

  @Test
  void sinceIsInclusiveAndUntilExclusive() {
    fourHours();
    assertThat(read(T11, T13, null).ids()).containsExactlyInAnyOrder("r11", "r12");
    assertThat(read(T11, null, null).ids()).containsExactlyInAnyOrder("r11", "r12", "r13");
    assertThat(read(null, T11, null).ids()).containsExactly("r10");
    assertThat(read(T11.plusNanos(1000), T12.plusNanos(1000), null).ids()).containsExactly("r12");
    assertThat(read(T12, T12, null).count()).isZero();
    assertThat(read(T13, null, null).ids()).containsExactly("r13");
    assertThat(read(null, null, null).count()).isEqualTo(4);
  }

  @Test
  void typeFilterCombinesWithTimeFilters() {
    fourHours();
    assertThat(read(null, null, "schema_violation").ids()).containsExactlyInAnyOrder("r10", "r12");
    assertThat(read(T11, null, "schema_violation").ids()).containsExactly("r12");
    assertThat(read(null, null, "tracker_protocol_violation").ids()).containsExactly("r13");
    assertThat(read(null, null, "size_violation").count()).isZero();
  }

  @Test
  void rowsWithoutRawIdAreSkipped() {
    RawRecord r = raw("raw-x", T10);
    BadRow withoutRawId = new BadRow("no-raw-id", BadRowType.SIZE_VIOLATION, "collector", T10,
        List.of("too big"), "web", null, T10, RawRecordCodec.encode(raw("raw-y", T10)), null);
    load(withoutRawId, bad(r, BadRowType.SCHEMA_VIOLATION));

    assertThat(read(null, null, null).ids()).containsExactly("raw-x");
    assertThat(read(null, null, "size_violation").count()).isZero();
  }

  @Test
  void rowsWithoutReceivedAtMatchOnlyWithoutTimeBounds() {
    RawRecord r = raw("raw-nt", T10);
    BadRow noTime = new BadRow("no-time", BadRowType.ADAPTER_FAILURE, "p", T10, List.of("m"),
        "web", "raw-nt", null, RawRecordCodec.encode(r), null);
    load(noTime);
    assertThat(read(null, null, null).ids()).containsExactly("raw-nt");
    assertThat(read(T10.minusSeconds(3600), null, null).count()).isZero();
    assertThat(read(null, T13, null).count()).isZero();
  }

  @Test
  void rawRecordsComeInOrderOfTheirFirstReceipt() {
    load(bad(raw("r13", T13), BadRowType.SCHEMA_VIOLATION),
        bad(raw("r10", T10), BadRowType.SCHEMA_VIOLATION),
        bad(raw("r12", T12), BadRowType.SCHEMA_VIOLATION),
        bad(raw("r11", T11), BadRowType.SCHEMA_VIOLATION));
    assertThat(read(null, null, null).ids()).containsExactly("r10", "r11", "r12", "r13");
  }

  @Test
  void timeFiltersDoNotDependOnAnOrdinaryJvmZone() {
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    fourHours();
    assertThat(read(T11, T13, null).ids()).containsExactlyInAnyOrder("r11", "r12");
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    assertThat(read(T11, T13, null).ids()).containsExactlyInAnyOrder("r11", "r12");
  }

  @Test
  void timeBoundInTheJvmZonesDaylightSavingGapIsNotShifted() {
    // 2026-03-08 02:00-03:00 does not exist in America/New_York.
    Instant t0215 = Instant.parse("2026-03-08T02:15:00Z");
    Instant t0230 = Instant.parse("2026-03-08T02:30:00Z");
    Instant t0245 = Instant.parse("2026-03-08T02:45:00Z");
    Instant t0330 = Instant.parse("2026-03-08T03:30:00Z");
    load(bad(raw("a", t0215), BadRowType.SCHEMA_VIOLATION),
        bad(raw("b", t0230), BadRowType.SCHEMA_VIOLATION),
        bad(raw("c", t0245), BadRowType.SCHEMA_VIOLATION),
        bad(raw("d", t0330), BadRowType.SCHEMA_VIOLATION));
    assertThat(read(t0230, t0330, null).ids()).containsExactly("b", "c");

    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    assertThat(read(t0230, t0330, null).ids()).containsExactly("b", "c");
    assertThat(read(null, t0245, null).ids()).containsExactly("a", "b");
  }
}
