package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ManualClock;
import io.tributary.core.RetriableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcebergArchiverTest {
  static final String TOPIC = "tributary.enriched";

  @TempDir Path dir;
  Catalog catalog;
  final ManualClock clock = new ManualClock(Events.T0);

  @BeforeEach
  void openCatalog() {
    catalog = IcebergTables.open(dir);
  }

  @AfterEach
  void closeCatalog() {
    IcebergTables.close(catalog);
  }

  IcebergArchiver archiver(int commitRecords) {
    return new IcebergArchiver(catalog, EnrichedTable.ID, null,
        new IcebergSettings(TOPIC, commitRecords, Duration.ofSeconds(60)), clock);
  }

  Table table() {
    return catalog.loadTable(EnrichedTable.ID);
  }

  @Test
  void columnsUniquePerEventAreWrittenWithoutADictionaryOthersWithOne() throws Exception {
    IcebergArchiver a = archiver(1000);
    a.open(List.of(0));
    // One event over and over: a dictionary would pay off in every column, so only the setting
    // keeps it out of the unique ones.
    byte[] same = Events.record(0, 0).value();
    List<io.tributary.core.SourcedRecord> copies = new ArrayList<>();
    for (int offset = 0; offset < 300; offset++) {
      copies.add(new io.tributary.core.SourcedRecord(0, offset, 0, same));
    }
    a.write(copies);
    a.flush(true);

    List<org.apache.iceberg.DataFile> files = new ArrayList<>();
    try (var tasks = table().newScan().planFiles()) {
      tasks.forEach(t -> files.add(t.file()));
    }
    assertThat(files).isNotEmpty();
    for (org.apache.iceberg.DataFile f : files) {
      Map<String, java.util.Set<org.apache.parquet.column.Encoding>> encodings = new java.util.HashMap<>();
      try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(
          new org.apache.parquet.io.LocalInputFile(Path.of(f.location().replaceFirst("^file:", ""))))) {
        reader.getFooter().getBlocks().forEach(b -> b.getColumns().forEach(c ->
            encodings.computeIfAbsent(c.getPath().toDotString(), k -> new java.util.HashSet<>())
                .addAll(c.getEncodings())));
      }
      assertThat(encodings.get("event_id")).as(f.location()).noneMatch(e -> e.usesDictionary());
      assertThat(encodings.get("properties")).noneMatch(e -> e.usesDictionary());
      assertThat(encodings.get("event_type")).anyMatch(e -> e.usesDictionary());
    }
  }

  @Test
  void commitsRowsReadableByIcebergWithTheirOffsetsInTheSnapshotSummary() {
    IcebergArchiver a = archiver(1000);
    assertThat(a.open(List.of(0, 1))).isEmpty();
    a.write(Events.range(0, 0, 10));
    a.write(Events.range(1, 0, 5));
    assertThat(a.flush(false)).as("not due yet").isEmpty();
    assertThat(a.flush(true)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 10L, 1, 5L));

    Table t = table();
    assertThat(t.currentSnapshot().summary())
        .containsEntry("tributary.offsets." + TOPIC + ".0", "10")
        .containsEntry("tributary.offsets." + TOPIC + ".1", "5");
    List<Record> rows = IcebergTables.rows(t);
    assertThat(rows).hasSize(15);
    Record r = rows.stream().filter(x -> x.getField("event_id").equals("e-0-3")).findFirst().orElseThrow();
    assertThat(r.getField("event_name")).isEqualTo("Order Completed");
    assertThat(r.getField("event_time")).isEqualTo(OffsetDateTime.parse("2026-11-22T13:00Z"));
    assertThat(r.getField("domain_sessionidx")).isEqualTo(3);
    assertThat(r.getField("se_value")).isEqualTo(1.5);
    assertThat(r.getField("is_bot")).isEqualTo(false);
    assertThat(r.getField("properties")).isEqualTo("{\"n\":3}");
    assertThat(r.getField("_kafka_partition")).isEqualTo(0);
    assertThat(r.getField("_kafka_offset")).isEqualTo(3L);
    assertThat(t.spec().fields()).extracting(f -> f.name())
        .containsExactly("event_time_day", "event_name");
    // each file holds one topic partition and one table partition
    assertThat(LakeFiles.list(t)).hasSizeGreaterThan(2).allSatisfy(f -> assertThat(f.rows()).isPositive());
  }

  @Test
  void commitsWhenTheRecordCountOrTheIntervalIsReached() {
    IcebergArchiver a = archiver(10);
    a.open(List.of(0));
    a.write(Events.range(0, 0, 9));
    assertThat(a.flush(false)).isEmpty();
    a.write(Events.range(0, 9, 10));
    assertThat(a.flush(false)).containsEntry(0, 10L);
    a.write(Events.range(0, 10, 12));
    assertThat(a.flush(false)).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    assertThat(a.flush(false)).containsEntry(0, 12L);
    assertThat(IcebergTables.eventIds(table())).hasSize(12);
  }

  @Test
  void restartResumesFromTheOffsetsInTheTable() {
    IcebergArchiver a = archiver(1000);
    a.open(List.of(0, 1));
    a.write(Events.range(0, 0, 7));
    a.write(Events.range(1, 0, 3));
    a.flush(true);
    a.close();

    IcebergArchiver b = archiver(1000);
    assertThat(b.open(List.of(0, 1))).containsExactlyInAnyOrderEntriesOf(Map.of(0, 7L, 1, 3L));
    b.write(Events.range(0, 7, 9));
    b.flush(true);
    assertThat(archiver(1000).open(List.of(0, 1)))
        .containsExactlyInAnyOrderEntriesOf(Map.of(0, 9L, 1, 3L));
    assertThat(IcebergTables.eventIds(table())).doesNotHaveDuplicates().hasSize(12);
  }

  @Test
  void aCrashBetweenWritingFilesAndCommittingLeavesNoTraceInTheTable() throws Exception {
    IcebergArchiver a = archiver(1000);
    a.open(List.of(0));
    a.write(Events.range(0, 0, 5));
    a.flush(true);
    a.write(Events.range(0, 5, 20));
    // The process dies after the data files are complete, just before the commit (no clean-up runs).
    a.afterCheck = () -> {
      throw new Crash();
    };
    assertThatThrownBy(() -> a.flush(true)).isInstanceOf(Crash.class);
    assertThat(parquetFilesOnDisk()).isGreaterThan(LakeFiles.list(table()).size());

    IcebergArchiver b = archiver(1000);
    assertThat(b.open(List.of(0))).containsEntry(0, 5L);
    b.write(Events.range(0, 5, 20));
    b.flush(true);
    assertThat(IcebergTables.eventIds(table())).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(Events.ids(0, 0, 20));
  }

  /** Stands for the process dying: an Error, so no clean-up code catches it. */
  static final class Crash extends Error {}

  long parquetFilesOnDisk() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("lake"))) {
      return s.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void unreadableRecordsAreSkippedAndTheRestCommitted() {
    IcebergArchiver a = archiver(1000);
    a.open(List.of(0, 1));
    List<io.tributary.core.SourcedRecord> batch = new ArrayList<>(Events.range(0, 0, 2));
    batch.add(Events.garbage(0, 2));
    batch.add(Events.record(0, 3));
    batch.add(Events.garbage(1, 0)); // a partition with only unreadable records
    a.write(batch);
    assertThat(a.flush(true)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 4L, 1, 1L));
    assertThat(IcebergTables.eventIds(table())).containsExactlyInAnyOrder("e-0-0", "e-0-1", "e-0-3");
    assertThat(a.health().detail()).contains("2 unreadable records skipped");
    // partition 1 added no rows, so the table keeps no offset for it: it is re-read (and skipped again)
    assertThat(archiver(1000).open(List.of(0, 1))).containsExactlyInAnyOrderEntriesOf(Map.of(0, 4L));
  }

  @Test
  void addsTheColumnsAnExistingTableLacks() {
    Schema old = new Schema(
        Types.NestedField.optional(1, "event_id", Types.StringType.get()),
        Types.NestedField.optional(2, "event_name", Types.StringType.get()),
        Types.NestedField.optional(3, "event_time", Types.TimestampType.withZone()),
        Types.NestedField.optional(4, "domain_sessionidx", Types.LongType.get()),
        Types.NestedField.optional(5, "legacy", Types.StringType.get()));
    ((org.apache.iceberg.catalog.SupportsNamespaces) catalog).createNamespace(Namespace.of("lake"));
    catalog.createTable(EnrichedTable.ID, old,
        PartitionSpec.builderFor(old).day("event_time").identity("event_name").build());

    IcebergArchiver a = archiver(1000);
    a.open(List.of(0));
    a.write(Events.range(0, 0, 3));
    a.flush(true);

    Table t = table();
    assertThat(t.schema().findField("is_bot")).isNotNull();
    assertThat(t.schema().findField("_kafka_partition")).isNotNull();
    assertThat(t.schema().findField("legacy")).as("columns the table has stay").isNotNull();
    Record r = IcebergTables.rows(t).stream().filter(x -> x.getField("event_id").equals("e-0-2"))
        .findFirst().orElseThrow();
    assertThat(r.getField("domain_sessionidx")).as("an int into a long column").isEqualTo(2L);
    assertThat(r.getField("is_bot")).isEqualTo(true);
  }

  @Test
  void aFailedCommitStopsTheArchiverUntilItsPartitionsAreReopened() {
    IcebergArchiver zombie = archiver(1000);
    zombie.open(List.of(0));
    zombie.write(Events.range(0, 0, 5));

    IcebergArchiver owner = archiver(1000);
    owner.open(List.of(0));
    owner.write(Events.range(0, 0, 8));
    owner.flush(true);

    assertThatThrownBy(() -> zombie.flush(true)).isInstanceOf(RetriableException.class)
        .hasMessageContaining("another archiver took it over");
    assertThatThrownBy(() -> zombie.write(Events.range(0, 5, 6))).isInstanceOf(RetriableException.class);
    zombie.closePartitions(List.of(0));
    assertThat(zombie.open(List.of(0))).containsEntry(0, 8L);
    assertThat(IcebergTables.eventIds(table())).doesNotHaveDuplicates().hasSize(8);
  }
}
