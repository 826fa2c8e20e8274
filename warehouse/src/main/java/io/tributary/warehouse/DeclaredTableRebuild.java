package io.tributary.warehouse;

import io.tributary.core.EnrichedRow;
import static io.tributary.core.tables.Names.quote;

import io.tributary.core.EventField;
import io.tributary.core.tables.DeclaredTable;
import io.tributary.core.tables.DeclaredTables;
import io.tributary.core.tables.SegmentTables;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds declared tables from events read again (from the raw lake, by the caller), while the
 * live loader goes on. Rows are built with the current declaration into work tables ({@code
 * _tributary_rebuild_<name>}), committed as they come; {@link #swap} then replaces each table in
 * one transaction taken between two load transactions:
 *
 * <ol>
 *   <li>one row per event id is kept (the first received: the lake may hold an event twice, e.g. a
 *       client retry or a replayed bad row);
 *   <li>rows of events that are not in {@code events} are dropped: the loader has not loaded them
 *       yet and will add their rows itself, as it does for every new event;
 *   <li>rows of the old table whose event the rebuild did not read at all (loaded, but not yet in
 *       the lake when it was listed) are carried over as they are;
 *   <li>the table's {@code discards} for the events read are replaced by the rebuild's;
 *   <li>the old table is dropped and the work table renamed.
 * </ol>
 *
 * So the table holds exactly one row per matching event of {@code events}, as if the loader had
 * always had the new declaration, except carried-over rows (built by the loader at the time). Not
 * thread-safe; one rebuild at a time per warehouse.
 */
public final class DeclaredTableRebuild implements AutoCloseable {
  static final String PREFIX = "_tributary_rebuild_";
  private static final String SEEN = PREFIX + "seen";
  private static final String DISCARDS = PREFIX + "discards";
  private static final Logger LOG = LoggerFactory.getLogger(DeclaredTableRebuild.class);

  private final DuckDbWarehouse warehouse;
  private final EventLoader loader;
  private final List<DeclaredTable> tables;
  private final DerivedTableWriter writer;
  private DuckDBConnection conn;
  private boolean swapped;

  /** What a swap left in one table. */
  public record Swapped(String table, long rows, long carriedOver) {}

  /**
   * @param loader the live loader of {@code warehouse}: the swap waits for its transaction
   * @param tables the declared tables to rebuild, as declared now
   */
  public DeclaredTableRebuild(DuckDbWarehouse warehouse, EventLoader loader,
      List<DeclaredTable> tables, int maxColumnsPerTable) {
    this.warehouse = warehouse;
    this.loader = loader;
    this.tables = List.copyOf(tables);
    List<DeclaredTable> work = this.tables.stream()
        .map(t -> new DeclaredTable(PREFIX + t.name(), t.filter(), t.columns())).toList();
    this.writer = new DerivedTableWriter(maxColumnsPerTable, false, null,
        new DeclaredTables(work), DISCARDS);
  }

  /** Drops what an earlier, unfinished rebuild left, and creates the empty work tables. */
  public void start() throws SQLException {
    conn = warehouse.newConnection();
    try (Statement st = conn.createStatement()) {
      dropWorkTables(st);
      st.execute("CREATE TABLE " + SEEN + " (event_id VARCHAR)");
      st.execute("CREATE TABLE " + DISCARDS + " ("
          + DerivedTableWriter.columnList(SegmentTables.DISCARDS_TABLE.fixedColumns(), true) + ")");
      for (DeclaredTable t : tables) {
        Map<String, io.tributary.core.tables.ColumnType> columns =
            new LinkedHashMap<>(DeclaredTable.FIXED_COLUMNS);
        columns.putAll(t.declared());
        st.execute("CREATE TABLE " + quote(PREFIX + t.name()) + " ("
            + DerivedTableWriter.columnList(columns, true) + ")");
      }
    }
    conn.setAutoCommit(false);
  }

  private void dropWorkTables(Statement st) throws SQLException {
    List<String> leftovers = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
        + " WHERE table_schema = 'main' AND starts_with(table_name, '" + PREFIX + "')")) {
      while (rs.next()) {
        leftovers.add(rs.getString(1));
      }
    }
    for (String t : leftovers) {
      st.execute("DROP TABLE IF EXISTS " + quote(t));
    }
  }

  /**
   * Adds events read again, as enriched-topic lines, and commits them to the work tables.
   *
   * @return the rows they gave the declared tables
   */
  public int add(List<byte[]> enrichedLines) throws SQLException {
    if (enrichedLines.isEmpty()) {
      return 0;
    }
    List<Object[]> events = new ArrayList<>(enrichedLines.size());
    for (byte[] line : enrichedLines) {
      events.add(EnrichedRow.decode(line));
    }
    try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, SEEN)) {
      for (Object[] e : events) {
        a.beginRow();
        a.append((String) e[EventField.EVENT_ID.ordinal()]);
        a.endRow();
      }
    }
    try {
      int rows = writer.write(conn, events);
      conn.commit();
      return rows;
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      writer.reset();
      throw e;
    }
  }

  /** Replaces every table by its rebuilt one, as the class doc says; one transaction. */
  public List<Swapped> swap() throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (DeclaredTable t : tables) {
        String work = quote(PREFIX + t.name());
        st.execute("DELETE FROM " + work + " WHERE rowid IN (SELECT rowid FROM (SELECT rowid,"
            + " row_number() OVER (PARTITION BY event_id ORDER BY received_at, rowid) AS n FROM "
            + work + ") WHERE n > 1)");
      }
      conn.commit();
      List<Swapped> out = loader.betweenBatches(() -> swapAll(st));
      swapped = true;
      return out;
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    }
  }

  private List<Swapped> swapAll(Statement st) throws SQLException {
    Set<String> existing = existingTables(st);
    List<Swapped> out = new ArrayList<>();
    for (DeclaredTable t : tables) {
      String table = quote(t.name());
      String work = quote(PREFIX + t.name());
      st.execute("DELETE FROM " + work
          + " WHERE event_id NOT IN (SELECT event_id FROM events)");
      long carried = 0;
      if (existing.contains(t.name())) {
        Set<String> common = columns(st, t.name());
        common.retainAll(columns(st, PREFIX + t.name()));
        String list = String.join(", ", common.stream().map(c -> quote(c)).toList());
        carried = st.executeUpdate("INSERT INTO " + work + " BY NAME SELECT " + list + " FROM "
            + table + " WHERE event_id NOT IN (SELECT event_id FROM " + SEEN + ")");
        st.execute("DROP TABLE " + table);
      }
      String discards = quote(SegmentTables.DISCARDS);
      st.execute("DELETE FROM " + discards + " WHERE table_name = '" + t.name() + "'"
          + " AND event_id IN (SELECT event_id FROM " + SEEN + ")");
      st.execute("INSERT INTO " + discards + " BY NAME SELECT DISTINCT ON (column_name, event_id)"
          + " * REPLACE ('" + t.name() + "' AS table_name) FROM " + DISCARDS
          + " WHERE table_name = '" + PREFIX + t.name() + "'"
          + " AND event_id IN (SELECT event_id FROM " + work + ")");
      st.execute("ALTER TABLE " + work + " RENAME TO " + table);
      out.add(new Swapped(t.name(), count(st, table), carried));
    }
    st.execute("DROP TABLE " + SEEN);
    st.execute("DROP TABLE " + DISCARDS);
    conn.commit();
    return out;
  }

  private static Set<String> existingTables(Statement st) throws SQLException {
    Set<String> out = new LinkedHashSet<>();
    try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
        + " WHERE table_schema = 'main' AND table_catalog = current_database()")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static Set<String> columns(Statement st, String table) throws SQLException {
    Set<String> out = new LinkedHashSet<>();
    try (ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns"
        + " WHERE table_schema = 'main' AND table_catalog = current_database()"
        + " AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static long count(Statement st, String table) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Drops the work tables unless they were swapped in, and lets the connection go. */
  @Override
  public void close() {
    if (conn == null) {
      return;
    }
    try {
      if (!swapped) {
        conn.rollback();
        conn.setAutoCommit(true);
        try (Statement st = conn.createStatement()) {
          dropWorkTables(st);
        }
      }
      conn.close();
    } catch (SQLException e) {
      LOG.warn("cleaning up after a rebuild: {}", e.getMessage());
    }
  }
}
