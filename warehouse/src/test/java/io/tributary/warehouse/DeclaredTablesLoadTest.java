package io.tributary.warehouse;

import static io.tributary.warehouse.Segment.batch;
import static io.tributary.warehouse.Segment.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.ManualClock;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SourcedRecord;
import io.tributary.core.tables.DeclaredTable;
import io.tributary.core.tables.DeclaredTable.ColumnSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Declared tables filled by the loader, and rebuilt from events read again while it loads. */
class DeclaredTablesLoadTest {
  private static final DeclaredTable CHECKOUTS = DeclaredTable.parse("checkouts",
      Map.of("event", List.of("Order Completed")), List.of(
          new ColumnSpec("order_id", "$.properties.order_id", "varchar"),
          new ColumnSpec("revenue", "$.properties.revenue", "double")));
  /** The same table after its mapping changed: a new column, a path changed. */
  private static final DeclaredTable CHECKOUTS_V2 = DeclaredTable.parse("checkouts",
      Map.of("event", List.of("Order Completed")), List.of(
          new ColumnSpec("order_id", "$.properties.order_id", "varchar"),
          new ColumnSpec("revenue", "$.properties.total", "double"),
          new ColumnSpec("coupon", "$.properties.coupon", "varchar")));

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private DuckDbWarehouse warehouse;
  private final List<EventLoader> loaders = new ArrayList<>();
  private long offset;

  @BeforeEach
  void open() {
    warehouse = DuckDbWarehouse.open(dir.resolve("warehouse.duckdb"));
  }

  @AfterEach
  void close() {
    loaders.forEach(EventLoader::close);
    warehouse.close();
  }

  @Test
  void theLoaderFillsTypedColumnsAndDiscardsWhatDoesNotFit() throws SQLException {
    EventLoader loader = loader(CHECKOUTS);
    SourcedRecord first = next(order("o1", "\"A-1\"", "12.5"), order("o2", "7", "\"a lot\""),
        "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\"s1\"}");
    load(loader, first);
    load(loader, first);

    assertThat(query("SELECT event_id, order_id, revenue FROM checkouts ORDER BY 1"))
        .containsExactly(List.of("o1", "A-1", "12.5"), java.util.Arrays.asList("o2", "7", null));
    assertThat(query("SELECT column_name || ' ' || data_type FROM information_schema.columns"
        + " WHERE table_name = 'checkouts' ORDER BY ordinal_position")).extracting(r -> r.get(0))
        .containsExactly("event_id VARCHAR", "event_time TIMESTAMP",
            "original_timestamp TIMESTAMP", "sent_at TIMESTAMP", "received_at TIMESTAMP",
            "loaded_at TIMESTAMP", "order_id VARCHAR", "revenue DOUBLE");
    assertThat(query("SELECT table_name, column_name, value, reason, event_id FROM discards"
        + " WHERE table_name = 'checkouts'"))
        .containsExactly(List.of("checkouts", "revenue", "\"a lot\"",
            "a string does not fit column type DOUBLE", "o2"));
    assertThat(query("SELECT count(*) FROM events")).containsExactly(List.of("3"));
    assertThat(query("SELECT count(*) FROM tracks")).containsExactly(List.of("3"));
  }

  @Test
  void aRebuildSwapsInTheNewMappingWithoutLosingOrDuplicatingAnEvent() throws SQLException {
    EventLoader old = loader(CHECKOUTS);
    SourcedRecord archived = next(order("o1", "\"A\"", "1", "\"X\""), order("o2", "\"B\"", "\"lots\"",
        "null"));
    load(old, archived);
    old.close();
    loaders.remove(old);

    // Restarted with the new mapping: it evolves the table (a new column) for new events.
    EventLoader loader = loader(CHECKOUTS_V2);
    SourcedRecord loadedNotArchived = next(order("o3", "\"C\"", "3", "\"Y\""));
    load(loader, loadedNotArchived);
    SourcedRecord archivedNotLoaded = next(order("o4", "\"D\"", "4", "\"Z\""));

    try (DeclaredTableRebuild rebuild =
        new DeclaredTableRebuild(warehouse, loader, List.of(CHECKOUTS_V2), 300)) {
      rebuild.start();
      // The lake holds o1 twice (a retried request) and o4, which the loader has not reached yet.
      assertThat(rebuild.add(enriched(archived))).isEqualTo(2);
      assertThat(rebuild.add(enriched(archived))).isEqualTo(2);
      assertThat(rebuild.add(enriched(archivedNotLoaded))).isEqualTo(1);
      List<DeclaredTableRebuild.Swapped> swapped = rebuild.swap();
      assertThat(swapped).containsExactly(new DeclaredTableRebuild.Swapped("checkouts", 3, 1));
    }
    assertThat(query("SELECT event_id, order_id, revenue, coupon FROM checkouts ORDER BY 1"))
        .containsExactly(List.of("o1", "A", "1.0", "X"), java.util.Arrays.asList("o2", "B", null, null),
            List.of("o3", "C", "3.0", "Y"));
    assertThat(query("SELECT table_name, column_name, value, event_id FROM discards"
        + " WHERE table_name = 'checkouts'"))
        .containsExactly(List.of("checkouts", "revenue", "\"lots\"", "o2"));
    assertThat(query("SELECT count(*) FROM information_schema.tables"
        + " WHERE starts_with(table_name, '_tributary_rebuild')")).containsExactly(List.of("0"));

    load(loader, archivedNotLoaded);
    load(loader, archived);
    assertThat(query("SELECT event_id, revenue, coupon FROM checkouts ORDER BY 1"))
        .containsExactly(List.of("o1", "1.0", "X"), java.util.Arrays.asList("o2", null, null),
            List.of("o3", "3.0", "Y"), List.of("o4", "4.0", "Z"));
  }

  @Test
  void anUnfinishedRebuildLeavesTheTableAsItWas() throws SQLException {
    EventLoader loader = loader(CHECKOUTS);
    SourcedRecord record = next(order("o1", "\"A\"", "1"));
    load(loader, record);
    try (DeclaredTableRebuild rebuild =
        new DeclaredTableRebuild(warehouse, loader, List.of(CHECKOUTS_V2), 300)) {
      rebuild.start();
      rebuild.add(enriched(record));
    }
    assertThat(query("SELECT event_id, revenue FROM checkouts")).containsExactly(
        List.of("o1", "1.0"));
    assertThat(query("SELECT count(*) FROM information_schema.tables"
        + " WHERE starts_with(table_name, '_tributary_rebuild')")).containsExactly(List.of("0"));
  }

  private static String order(String id, String orderId, String revenue) {
    return "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"messageId\":\""
        + id + "\",\"properties\":{\"order_id\":" + orderId + ",\"revenue\":" + revenue
        + ",\"total\":" + revenue + "}}";
  }

  private static String order(String id, String orderId, String total, String coupon) {
    return "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"messageId\":\""
        + id + "\",\"properties\":{\"order_id\":" + orderId + ",\"total\":" + total
        + ",\"coupon\":" + coupon + "}}";
  }

  /** The record's events as the enrich stage would put them on the enriched topic. */
  private static List<byte[]> enriched(SourcedRecord record) {
    return SegmentNormalizer.normalize(RawRecordCodec.decode(record.value())).stream()
        .map(e -> EnrichedEventCodec.encode(e.toEnriched())).toList();
  }

  private EventLoader loader(DeclaredTable table) {
    EventLoader loader = new EventLoader(warehouse,
        new LoaderSettings("loader", "raw", 10_000, Duration.ofSeconds(5)), clock,
        EventLoader.RAW_SEGMENT, 300, true, null, List.of(table));
    loader.open(List.of(0));
    loaders.add(loader);
    return loader;
  }

  private SourcedRecord next(String... messages) {
    return record(0, offset++, "raw-" + offset, batch(messages));
  }

  private static void load(EventLoader loader, SourcedRecord... records) {
    loader.write(List.of(records));
    loader.flush(true);
  }

  private List<List<String>> query(String sql) throws SQLException {
    try (Connection conn = warehouse.newConnection()) {
      return Segment.rows(conn, sql);
    }
  }
}
