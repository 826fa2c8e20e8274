package io.tributary.warehouse;

import static io.tributary.warehouse.Segment.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SourcedRecord;
import io.tributary.core.tables.DeclaredTable;
import io.tributary.core.tables.DeclaredTable.ColumnSpec;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declared tables filled by the loader, and rebuilt from events read again while it loads. */
class DeclaredTablesLoadTest extends DerivedTablesLoadTestBase {
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
    return opened(loader);
  }
}
