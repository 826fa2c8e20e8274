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
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
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
  /** Null: duplicates are checked in DuckDB alone. */
  private final Path indexDir;
  /**
   * Opened by the loader's own thread on its first batch, so that RocksDB's background threads,
   * which it starts, run at the stage's priority (threads inherit their creator's nice value).
   * Null when turned off or it could not be opened.
   */
  private EventIdIndex index;
  /** Whether the next batch (re)opens the index: the first one, and the first after it failed. */
  private boolean indexToOpen = true;
  /** What the index covers; null until it is brought in line with the database (or after it failed). */
  private EventIdIndex.State indexState;
  /** The batch in flight: where its dedupe window starts, and whether the index checked it. */
  private LocalDateTime batchWindowStart;
  private boolean indexChecked;
  /** After the index failed: when to try it again (the clock's millis). */
  private long indexRetryAt;
  private static final long INDEX_RETRY_MILLIS = 60_000;
  private final Clock clock;
  /** The batch in flight: the rows it inserted and their load time, for the index once committed. */
  private List<Object[]> insertedRows;
  private LocalDateTime insertedAt;
  private final String plainInsert;
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
    this(warehouse, settings, clock, decoder, maxColumnsPerTable, segmentTables, snowplowTables,
        declared, true);
  }

  /**
   * As above; {@code indexLoadedIds} keeps the ids of the events loaded within the dedupe window
   * in an {@link EventIdIndex} next to the database file, so that the duplicate check does not
   * grow with the window. Without it (or while it fails) the check is an anti-join in DuckDB.
   */
  public EventLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock,
      RecordDecoder decoder, int maxColumnsPerTable, boolean segmentTables,
      SchemaColumnTypes snowplowTables, List<DeclaredTable> declared, boolean indexLoadedIds) {
    super(warehouse, settings, clock, "events", DuckDbWarehouse.eventColumns(false));
    this.decoder = decoder;
    this.clock = clock;
    boolean any = maxColumnsPerTable > 0
        && (segmentTables || snowplowTables != null || !declared.isEmpty());
    DeclaredTables declaredTables = new DeclaredTables(declared);
    this.tables = any ? new DerivedTableWriter(maxColumnsPerTable, segmentTables,
        snowplowTables == null ? null
            : new SnowplowTables(snowplowTables, declaredTables.names()),
        declaredTables, SegmentTables.DISCARDS) : null;
    // BY NAME: tables made by older versions have their columns in another order.
    this.plainInsert = "INSERT " + (warehouse.eventsHasPrimaryKey() ? "OR IGNORE " : "")
        + "INTO events BY NAME SELECT s.*, now()::TIMESTAMP AS loaded_at FROM %1$s s";
    this.insert = plainInsert
        + " WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = s.event_id"
        + " AND e.received_at >= %2$s%3$s)";
    this.dedupeWindow = settings.dedupeWindow();
    this.indexDir = indexLoadedIds ? indexDir(warehouse.file(), settings.consumer()) : null;
  }

  /** Where the index of a loader's loaded ids lives: beside the database file, per consumer. */
  static Path indexDir(Path databaseFile, String consumer) {
    return databaseFile.resolveSibling(databaseFile.getFileName() + ".ids").resolve(consumer);
  }

  private static EventIdIndex openIndex(Path dir, Duration window) {
    try {
      return EventIdIndex.open(dir, window);
    } catch (LinkageError e) {
      // RocksDB's native library has no build for this platform.
      LOG.warn("cannot load the index of loaded event ids ({}); duplicates are checked in DuckDB,"
          + " which costs more as the dedupe window fills", e.toString());
      return null;
    } catch (RocksDBException e) {
      if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption) {
        // Derived data: made again from events.
        LOG.warn("the index of loaded event ids in {} is damaged ({}); making it again", dir,
            e.getMessage());
        try {
          EventIdIndex.destroy(dir);
          return EventIdIndex.open(dir, window);
        } catch (RocksDBException again) {
          e = again;
        }
      }
      LOG.warn("cannot open the index of loaded event ids in {} ({}); duplicates are checked in"
          + " DuckDB, which costs more as the dedupe window fills", dir, e.getMessage());
      return null;
    }
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
    if (!indexChecked) {
      return String.format(insert, stagingTable, windowStart(staged, dedupeWindow), "");
    }
    Long uncovered = indexState.uncoveredReceivedUntilMicros();
    if (uncovered == null || micros(batchWindowStart) > uncovered) {
      return String.format(plainInsert, stagingTable);
    }
    // Events loaded before the index existed, still in the window: checked in DuckDB.
    return String.format(insert, stagingTable, literal(batchWindowStart),
        " AND e.loaded_at <= " + literal(fromMicros(indexState.coveredFromMicros())));
  }

  /**
   * Leaves out the rows the index knows as loaded within the window. The first batch (and the
   * first after the index failed) brings the index in line with the database first.
   */
  @Override
  List<Object[]> maybeNew(DuckDBConnection conn, List<Object[]> rows) throws SQLException {
    indexChecked = false;
    insertedRows = null;
    batchWindowStart = oldestReceived(rows, dedupeWindow);
    if (clock.millis() < indexRetryAt) {
      return rows;
    }
    if (indexDir != null && indexToOpen) {
      // First batch, or a minute after the index failed: (re)open it (a failed RocksDB may
      // refuse writes until it is).
      if (index != null) {
        index.close();
      }
      indexToOpen = false;
      index = openIndex(indexDir, dedupeWindow);
    }
    if (index == null || rows.isEmpty()) {
      return rows;
    }
    try {
      if (indexState == null) {
        indexState = syncIndex(conn);
      }
      List<String> ids = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        ids.add(idOf(row));
      }
      boolean[] loaded = index.loadedSince(ids, micros(batchWindowStart));
      List<Object[]> maybeNew = new ArrayList<>(rows.size());
      for (int i = 0; i < loaded.length; i++) {
        if (!loaded[i]) {
          maybeNew.add(rows.get(i));
        }
      }
      indexChecked = true;
      return maybeNew;
    } catch (RocksDBException | RuntimeException e) {
      LOG.warn("{}: the index of loaded event ids failed ({}); checking duplicates in DuckDB for"
          + " a minute", name(), e.toString());
      indexFailed();
      return rows;
    }
  }

  /**
   * Brings the index in line with the database: catches up with the events loaded since the last
   * batch it holds, or starts it over if it belongs to another database, a longer window, or
   * offsets the database does not have (a restored backup).
   */
  private EventIdIndex.State syncIndex(DuckDBConnection conn)
      throws SQLException, RocksDBException {
    String database;
    LocalDateTime now;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT min(id), now()::TIMESTAMP FROM " + DuckDbWarehouse.DATABASE_ID_TABLE)) {
      rs.next();
      database = rs.getString(1);
      now = rs.getObject(2, LocalDateTime.class);
    }
    Map<Integer, Long> offsets = storedOffsets(conn);
    EventIdIndex.State state = index.state();
    long window = dedupeWindow.toSeconds();
    if (state != null && state.database().equals(database) && state.windowSeconds() == window
        && !ahead(state.offsets(), offsets)) {
      if (state.offsets().equals(offsets)) {
        return state;
      }
      // Behind by less than a window (a crash, a failure): catch up. Behind by more (the index
      // was turned off for a while): starting over reads less than catching up would.
      if (state.indexedThroughMicros() >= micros(now.minus(dedupeWindow))) {
        return catchUp(conn, state, offsets);
      }
    }
    LocalDateTime latestReceived;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT max(received_at) FROM events")) {
      rs.next();
      latestReceived = rs.getObject(1, LocalDateTime.class);
    }
    EventIdIndex.State fresh = new EventIdIndex.State(database, window, offsets, micros(now),
        micros(now), latestReceived == null ? null : micros(latestReceived));
    index.clear(fresh);
    if (latestReceived != null) {
      LOG.info("{}: new index of loaded event ids; the events loaded before now are checked in"
          + " DuckDB until the dedupe window has passed them ({})", name(),
          latestReceived.plus(dedupeWindow));
    }
    return fresh;
  }

  private static boolean ahead(Map<Integer, Long> indexed, Map<Integer, Long> stored) {
    for (Map.Entry<Integer, Long> e : indexed.entrySet()) {
      if (stored.getOrDefault(e.getKey(), 0L) < e.getValue()) {
        return true;
      }
    }
    return false;
  }

  /** Adds the events loaded since the index's last batch (a crash came in between). */
  private EventIdIndex.State catchUp(DuckDBConnection conn, EventIdIndex.State state,
      Map<Integer, Long> offsets) throws SQLException, RocksDBException {
    long through = state.indexedThroughMicros();
    List<String> ids = new ArrayList<>();
    List<Long> received = new ArrayList<>();
    long count = 0;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT event_id, received_at, loaded_at FROM events WHERE loaded_at >= "
            + literal(fromMicros(through)))) {
      while (rs.next()) {
        ids.add(rs.getString(1));
        received.add(micros(rs.getObject(2, LocalDateTime.class)));
        through = Math.max(through, micros(rs.getObject(3, LocalDateTime.class)));
        if (ids.size() == 100_000) {
          index.add(ids, received.stream().mapToLong(Long::longValue).toArray(), state);
          count += ids.size();
          ids.clear();
          received.clear();
        }
      }
    }
    EventIdIndex.State caughtUp = state.indexedUpTo(offsets, through);
    index.add(ids, received.stream().mapToLong(Long::longValue).toArray(), caughtUp);
    LOG.info("{}: index of loaded event ids caught up with {} events", name(),
        count + ids.size());
    return caughtUp;
  }

  @Override
  void committed(Map<Integer, Long> offsets) {
    List<Object[]> rows = insertedRows;
    insertedRows = null;
    if (!indexChecked || indexState == null) {
      return; // not checked with the index: the next batch catches it up from the database
    }
    try {
      Map<Integer, Long> all = new HashMap<>(indexState.offsets());
      all.putAll(offsets);
      List<Object[]> added = rows == null ? List.of() : rows;
      List<String> ids = new ArrayList<>(added.size());
      long[] received = new long[added.size()];
      for (Object[] row : added) {
        received[ids.size()] = micros((LocalDateTime) row[EventField.RECEIVED_AT.ordinal()]);
        ids.add(idOf(row));
      }
      EventIdIndex.State next = indexState.indexedUpTo(all,
          insertedAt == null ? indexState.indexedThroughMicros() : micros(insertedAt));
      index.add(ids, received, next);
      indexState = next;
    } catch (RocksDBException | RuntimeException e) {
      LOG.warn("{}: cannot add the batch to the index of loaded event ids ({}); checking"
          + " duplicates in DuckDB for a minute", name(), e.toString());
      indexFailed();
    }
  }

  /**
   * Until a minute has passed, DuckDB checks; then the index is opened again and catches up from
   * the database.
   */
  private void indexFailed() {
    indexState = null;
    indexToOpen = true;
    indexRetryAt = clock.millis() + INDEX_RETRY_MILLIS;
  }

  private static long micros(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1_000;
  }

  private static LocalDateTime fromMicros(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
  }

  private static String literal(LocalDateTime t) {
    return "TIMESTAMP '" + t.format(SQL_TIMESTAMP) + "'";
  }

  /**
   * Where the duplicate check starts: the batch's oldest receive time less the dedupe window, as a
   * literal. DuckDB skips the row groups of older events by their min/max only for a constant; a
   * subquery bound made every batch read the receive times of the whole table.
   */
  static String windowStart(List<Object[]> staged, Duration window) {
    return literal(oldestReceived(staged, window));
  }

  /** The oldest receive time less the window (1970 if none has one: check every event). */
  private static LocalDateTime oldestReceived(List<Object[]> rows, Duration window) {
    LocalDateTime oldest = null;
    for (Object[] row : rows) {
      if (row[EventField.RECEIVED_AT.ordinal()] instanceof LocalDateTime t
          && (oldest == null || t.isBefore(oldest))) {
        oldest = t;
      }
    }
    return oldest == null ? LocalDateTime.of(1970, 1, 1, 0, 0)
        : oldest.minusSeconds(window.toSeconds());
  }

  private static final DateTimeFormatter SQL_TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  /** Inserts the new events, then the derived rows of exactly those (not of duplicates). */
  @Override
  int moveStaged(DuckDBConnection conn, String stagingTable, List<Object[]> staged)
      throws SQLException {
    if (tables == null && !indexChecked) {
      return super.moveStaged(conn, stagingTable, staged);
    }
    long start = System.nanoTime();
    Set<String> inserted = new HashSet<>();
    insertedAt = null;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
        insertSql(stagingTable, staged) + " RETURNING event_id, loaded_at")) {
      while (rs.next()) {
        inserted.add(rs.getString(1));
        if (insertedAt == null) {
          insertedAt = rs.getObject(2, LocalDateTime.class);
        }
      }
    }
    if (!inserted.isEmpty()) {
      List<Object[]> fresh = inserted.size() == staged.size() ? staged
          : staged.stream().filter(r -> inserted.contains(idOf(r))).toList();
      insertedRows = fresh;
      if (tables == null) {
        return inserted.size();
      }
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
    insertedRows = null;
    if (tables != null) {
      tables.reset();
    }
  }

  /**
   * Makes the next batch bring the index in line with the database again, as after a restart
   * (tools that write {@code events} behind the loader's back, such as LoaderThroughputProbe).
   */
  void resyncIndex() {
    indexState = null;
  }

  /** Closes the index under the loader, as a failing disk would leave it (tests). */
  void breakIndex() {
    if (index != null) {
      index.close();
    }
  }

  @Override
  public void close() {
    super.close();
    if (index != null) {
      index.close();
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
