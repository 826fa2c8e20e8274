package io.tributary.warehouse;

import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SourcedRecord;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import org.duckdb.DuckDBAppender;

/** Loads events into the {@code events} table, exactly once (see {@link MicroBatchLoader}). */
public final class EventLoader extends MicroBatchLoader<Object[]> {

  /**
   * Turns one topic record into the rows it holds, column values indexed by {@link
   * EventField#ordinal()} (see {@link EnrichedRow#decode}). May throw for an unreadable record.
   */
  @FunctionalInterface
  public interface RecordDecoder {
    List<Object[]> decode(SourcedRecord record);
  }

  /** Records of the enriched topic: one event each. */
  public static final RecordDecoder ENRICHED =
      r -> List.<Object[]>of(EnrichedRow.decode(r.value()));

  /** Raw Segment-API records, normalised but neither validated nor enriched. */
  public static final RecordDecoder RAW_SEGMENT = r ->
      SegmentNormalizer.normalize(RawRecordCodec.decode(r.value())).stream()
          .map(e -> EnrichedRow.decode(EnrichedEventCodec.encode(e.toEnriched()))).toList();

  private final RecordDecoder decoder;
  private final String insert;

  public EventLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock,
      RecordDecoder decoder) {
    super(warehouse, settings, clock, "events", DuckDbWarehouse.eventColumns(false));
    this.decoder = decoder;
    // BY NAME: tables made by older versions have their columns in another order. The window bound
    // is a constant for the batch, so DuckDB skips row groups of older events by their min/max.
    this.insert = "INSERT " + (warehouse.eventsHasPrimaryKey() ? "OR IGNORE " : "")
        + "INTO events BY NAME SELECT s.*, now()::TIMESTAMP AS loaded_at FROM %1$s s"
        + " WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = s.event_id"
        + " AND e.received_at >= (SELECT min(received_at) FROM %1$s) - INTERVAL "
        + settings.dedupeWindow().toSeconds() + " SECOND)";
  }

  @Override
  List<Object[]> decode(SourcedRecord record) {
    return decoder.decode(record);
  }

  @Override
  String idOf(Object[] row) {
    return (String) row[EventField.EVENT_ID.ordinal()];
  }

  @Override
  String insertSql(String stagingTable) {
    return String.format(insert, stagingTable);
  }

  @Override
  void appendRow(DuckDBAppender a, Object[] row) throws SQLException {
    a.beginRow();
    for (EventField f : EventField.values()) {
      Object v = row[f.ordinal()];
      if (v == null) {
        a.appendNull();
        continue;
      }
      switch (f.type()) {
        case STRING, JSON -> a.append((String) v);
        case TIMESTAMP -> a.append((LocalDateTime) v);
        case INTEGER -> a.append((int) (Integer) v);
        case DOUBLE -> a.append((double) (Double) v);
        case BOOLEAN -> a.append((boolean) (Boolean) v);
      }
    }
    a.endRow();
  }

  public long loadedEvents() {
    return loadedRows();
  }

  public long duplicateEvents() {
    return duplicateRows();
  }

  @Override
  public String name() {
    return "warehouse";
  }
}
