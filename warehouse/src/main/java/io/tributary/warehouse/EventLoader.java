package io.tributary.warehouse;

import io.tributary.core.EnrichedRow;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SourcedRecord;
import io.tributary.core.tables.DeclaredTable;
import io.tributary.core.tables.DeclaredTables;
import io.tributary.core.tables.SchemaColumnTypes;
import io.tributary.core.tables.SegmentTables;
import io.tributary.core.tables.SnowplowTables;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads events into the {@code events} table, exactly once (see {@link MicroBatchLoader}). */
public final class EventLoader extends MicroBatchLoader<Object[]> {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoader.class);

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
      SegmentNormalizer.normalizeToEnriched(RawRecordCodec.decode(r.value())).stream()
          .map(e -> EnrichedRow.decode(EnrichedEventCodec.encode(e))).toList();

  /** Default of {@code warehouse.max_columns_per_table}. */
  public static final int DEFAULT_MAX_COLUMNS_PER_TABLE = 300;

  private final RecordDecoder decoder;
  private final String insert;
  private final Duration dedupeWindow;
  private final DerivedTableWriter tables;

  public EventLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock,
      RecordDecoder decoder) {
    this(warehouse, settings, clock, decoder, DEFAULT_MAX_COLUMNS_PER_TABLE);
  }

  /**
   * Also fills the Segment-style tables (tracks, pages, one per track event name, users...) and the
   * Snowplow per-schema tables (typed from values) with the events that are new, in the same
   * transaction.
   *
   * @param maxColumnsPerTable columns a derived table may have; further new fields go to discards;
   *     0 turns the derived tables off (only {@code events} is loaded, about 3× faster)
   */
  public EventLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock,
      RecordDecoder decoder, int maxColumnsPerTable) {
    this(warehouse, settings, clock, decoder, maxColumnsPerTable, true,
        maxColumnsPerTable > 0 ? SchemaColumnTypes.NONE : null);
  }

  /**
   * Also fills, with the events that are new and in the same transaction, the Segment-style tables
   * if {@code segmentTables}, and the Snowplow per-schema tables (one per self-describing event and
   * entity schema model) if {@code snowplowTables} is not null.
   *
   * @param maxColumnsPerTable columns a derived table may have; further new fields go to discards;
   *     0 turns every derived table off
   * @param snowplowTables the column types schemas declare ({@link SchemaColumnTypes#NONE}: typed
   *     from values), or null for no Snowplow tables
   */
  public EventLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock,
      RecordDecoder decoder, int maxColumnsPerTable, boolean segmentTables,
      SchemaColumnTypes snowplowTables) {
    this(warehouse, settings, clock, decoder, maxColumnsPerTable, segmentTables, snowplowTables,
        List.of());
  }

  /**
   * As above, and also fills the {@code declared} tables (see {@link DeclaredTables}), in the same
   * transaction.
   */
  public EventLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock,
      RecordDecoder decoder, int maxColumnsPerTable, boolean segmentTables,
      SchemaColumnTypes snowplowTables, List<DeclaredTable> declared) {
    super(warehouse, settings, clock, "events", DuckDbWarehouse.eventColumns(false));
    this.decoder = decoder;
    boolean any = maxColumnsPerTable > 0
        && (segmentTables || snowplowTables != null || !declared.isEmpty());
    DeclaredTables declaredTables = new DeclaredTables(declared);
    this.tables = any ? new DerivedTableWriter(maxColumnsPerTable, segmentTables,
        snowplowTables == null ? null
            : new SnowplowTables(snowplowTables, declaredTables.names()),
        declaredTables, SegmentTables.DISCARDS) : null;
    // BY NAME: tables made by older versions have their columns in another order.
    this.insert = "INSERT " + (warehouse.eventsHasPrimaryKey() ? "OR IGNORE " : "")
        + "INTO events BY NAME SELECT s.*, now()::TIMESTAMP AS loaded_at FROM %1$s s"
        + " WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = s.event_id"
        + " AND e.received_at >= %2$s)";
    this.dedupeWindow = settings.dedupeWindow();
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
  String insertSql(String stagingTable, List<Object[]> staged) {
    return String.format(insert, stagingTable, windowStart(staged, dedupeWindow));
  }

  /**
   * Where the duplicate check starts: the batch's oldest receive time less the dedupe window, as a
   * literal. DuckDB skips the row groups of older events by their min/max only for a constant; a
   * subquery bound made every batch read the receive times of the whole table.
   */
  static String windowStart(List<Object[]> staged, Duration window) {
    LocalDateTime oldest = null;
    for (Object[] row : staged) {
      if (row[EventField.RECEIVED_AT.ordinal()] instanceof LocalDateTime t
          && (oldest == null || t.isBefore(oldest))) {
        oldest = t;
      }
    }
    if (oldest == null) {
      return "TIMESTAMP '1970-01-01 00:00:00'"; // no receive time to go by: check every event
    }
    return "TIMESTAMP '" + oldest.minusSeconds(window.toSeconds()).format(SQL_TIMESTAMP) + "'";
  }

  private static final DateTimeFormatter SQL_TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  /** Inserts the new events, then the derived rows of exactly those (not of duplicates). */
  @Override
  int moveStaged(DuckDBConnection conn, String stagingTable, List<Object[]> staged)
      throws SQLException {
    if (tables == null) {
      return super.moveStaged(conn, stagingTable, staged);
    }
    long start = System.nanoTime();
    Set<String> inserted = new HashSet<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(insertSql(stagingTable, staged) + " RETURNING event_id")) {
      while (rs.next()) {
        inserted.add(rs.getString(1));
      }
    }
    if (!inserted.isEmpty()) {
      List<Object[]> fresh = inserted.size() == staged.size() ? staged
          : staged.stream().filter(r -> inserted.contains(idOf(r))).toList();
      long eventsDone = System.nanoTime();
      tables.write(conn, fresh);
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: insert into events {} ms, derived tables {} ms", name(),
            (eventsDone - start) / 1_000_000, (System.nanoTime() - eventsDone) / 1_000_000);
      }
    }
    return inserted.size();
  }

  @Override
  void rolledBack() {
    if (tables != null) {
      tables.reset();
    }
  }

  /**
   * Runs {@code work} between two load transactions, then forgets the derived tables' columns it
   * knew, so that the next batch reads them again: {@code work} may replace derived tables (see
   * {@link DeclaredTableRebuild}).
   */
  <R> R betweenBatches(Exclusive<R> work) throws SQLException {
    return whileNoBatch(() -> {
      try {
        return work.run();
      } finally {
        rolledBack();
      }
    });
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
