package io.tributary.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.CanonicalEvent;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SourcedRecord;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.duckdb.DuckDBAppender;

/** Loads events into the {@code events} table, exactly once (see {@link MicroBatchLoader}). */
public final class EventLoader extends MicroBatchLoader<EnrichedEvent> {

  /** Turns one topic record into the events it holds. May throw for an unreadable record. */
  @FunctionalInterface
  public interface RecordDecoder {
    List<EnrichedEvent> decode(SourcedRecord record);
  }

  /** Records of the enriched topic: one event each. */
  public static final RecordDecoder ENRICHED =
      r -> List.of(EnrichedEventCodec.decode(r.value()));

  /** Raw Segment-API records, normalised but neither validated nor enriched. */
  public static final RecordDecoder RAW_SEGMENT = r ->
      SegmentNormalizer.normalize(RawRecordCodec.decode(r.value())).stream()
          .map(CanonicalEvent::toEnriched).toList();

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
  List<EnrichedEvent> decode(SourcedRecord record) {
    return decoder.decode(record);
  }

  @Override
  String idOf(EnrichedEvent row) {
    return row.eventId();
  }

  @Override
  String insertSql(String stagingTable) {
    return String.format(insert, stagingTable);
  }

  @Override
  void appendRow(DuckDBAppender a, EnrichedEvent e) throws SQLException {
    a.beginRow();
    for (EventField f : EventField.values()) {
      Object v = e.get(f);
      if (v == null) {
        a.appendNull();
        continue;
      }
      switch (f.type()) {
        case STRING -> a.append((String) v);
        case TIMESTAMP -> a.append(LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC));
        case INTEGER -> a.append((int) (Integer) v);
        case DOUBLE -> a.append((double) (Double) v);
        case BOOLEAN -> a.append((boolean) (Boolean) v);
        case JSON -> a.append(((JsonNode) v).toString());
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
