package io.tributary.warehouse;

import static io.tributary.core.tables.Names.quote;

import io.tributary.core.EventField;
import io.tributary.core.tables.ColumnType;
import io.tributary.core.tables.DeclaredTables;
import io.tributary.core.tables.DerivedRow;
import io.tributary.core.tables.Discard;
import io.tributary.core.tables.SchemaChange;
import io.tributary.core.tables.SegmentTables;
import io.tributary.core.tables.SnowplowTables;
import io.tributary.core.tables.TableDef;
import io.tributary.core.tables.TableShape;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes the derived tables of newly loaded events — the Segment-style tables ({@link
 * SegmentTables}), the Snowplow per-schema tables ({@link SnowplowTables}) and the tables the
 * configuration declares ({@link DeclaredTables}) — inside the caller's transaction, so they commit (or roll back) with the {@code events} rows and the offsets. Per batch
 * and per table: schema changes first (DDL is transactional in DuckDB), then one appender into a
 * temporary staging table and one {@code INSERT … SELECT}; never a statement per event. After a
 * rollback {@link #reset} must be called: the column shapes it keeps would be ahead of the database.
 */
final class DerivedTableWriter {
  private static final String STAGE = "_tributary_stage_";

  private final int maxColumns;
  private final boolean segment;
  private final SnowplowTables snowplow;
  private final DeclaredTables declared;
  private final Set<String> declaredNames;
  private final String discardsTable;
  private Connection conn;
  /** Columns of tables in the database, by table; read once per connection (or after a reset). */
  private Map<String, Map<String, ColumnType>> stored;
  private final Map<String, TableShape> shapes = new HashMap<>();
  /** Staging tables made on this connection, by table: their column list. */
  private final Map<String, String> staging = new HashMap<>();

  /**
   * @param segment whether to write the Segment-style tables
   * @param snowplow the Snowplow tables to write, or null for none
   * @param declared the declared tables to write (none: an empty one)
   * @param discardsTable where values that do not fit go ({@code discards}; a rebuild uses its own)
   */
  DerivedTableWriter(int maxColumns, boolean segment, SnowplowTables snowplow,
      DeclaredTables declared, String discardsTable) {
    if (maxColumns < 20) {
      throw new IllegalArgumentException("maxColumns must be at least 20: " + maxColumns);
    }
    this.maxColumns = maxColumns;
    this.segment = segment;
    this.snowplow = snowplow;
    this.declared = declared;
    this.declaredNames = declared.names();
    this.discardsTable = discardsTable;
  }

  DerivedTableWriter(int maxColumns, boolean segment, SnowplowTables snowplow) {
    this(maxColumns, segment, snowplow, new DeclaredTables(List.of()), SegmentTables.DISCARDS);
  }

  /** Creates the tables with fixed names if missing, so they can be queried before any event. */
  static void createFixedTables(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (TableDef def : SegmentTables.fixedTables()) {
        st.execute("CREATE TABLE IF NOT EXISTS " + quote(def.name()) + " ("
            + columnList(def.fixedColumns(), true) + ")");
      }
    }
  }

  /** Forgets what it knew of the database; call after a rollback. */
  void reset() {
    stored = null;
    shapes.clear();
    staging.clear();
  }

  /** A fitted row waiting for its table's final columns. */
  private record Staged(Object[] event, DerivedRow row, Map<String, Object> values) {}

  /**
   * Writes the derived rows of {@code events} (new events only, values by EventField ordinal).
   *
   * @return how many rows it wrote (all tables, {@code users} and discards left out)
   */
  int write(DuckDBConnection conn, List<Object[]> events) throws SQLException {
    if (conn != this.conn) {
      reset();
      this.conn = conn;
    }
    if (stored == null) {
      stored = readColumns(conn);
    }
    Map<String, List<Staged>> byTable = new LinkedHashMap<>();
    List<Object[]> discards = new ArrayList<>();
    for (Object[] event : events) {
      for (DerivedRow row : rows(event)) {
        TableShape shape = shape(row.table());
        if (!row.declared().isEmpty()) {
          shape.declare(row.declared());
        }
        TableShape.Fitted fitted = shape.fit(row.fields());
        byTable.computeIfAbsent(row.table().name(), t -> new ArrayList<>())
            .add(new Staged(event, row, fitted.values()));
        for (List<Discard> ds : List.of(row.discards(), fitted.discards())) {
          for (Discard d : ds) {
            discards.add(new Object[] {d.table(), d.column(), d.value(), d.reason(),
                event[EventField.EVENT_ID.ordinal()], event[EventField.RECEIVED_AT.ordinal()]});
          }
        }
      }
    }
    if (byTable.isEmpty() && discards.isEmpty()) {
      return 0;
    }
    boolean identified = byTable.containsKey(SegmentTables.IDENTIFIES.name());
    if (identified) {
      shape(SegmentTables.USERS_TABLE).mirror(shape(SegmentTables.IDENTIFIES),
          SegmentTables.IDENTIFIES.fixedColumns().keySet());
    }
    try (Statement st = conn.createStatement()) {
      for (TableShape shape : shapes.values()) {
        applyChanges(st, shape);
      }
      for (Map.Entry<String, List<Staged>> e : byTable.entrySet()) {
        stageAndInsert(conn, st, e.getKey(), e.getValue());
      }
      if (identified) {
        refreshUsers(st);
      }

      if (!discards.isEmpty()) {
        stageAndInsertDiscards(conn, st, discards);
      }
      for (String table : byTable.keySet()) {
        st.execute("DELETE FROM " + quote(STAGE + table));
      }
    }
    return byTable.values().stream().mapToInt(List::size).sum();
  }

  private List<DerivedRow> rows(Object[] event) {
    Function<EventField, Object> values = f -> event[f.ordinal()];
    List<DerivedRow> rows = segment ? SegmentTables.rows(values, declaredNames) : List.of();
    rows = concat(rows, snowplow == null ? List.of() : snowplow.rows(values));
    return concat(rows, declared.isEmpty() ? List.of() : declared.rows(values));
  }

  private static List<DerivedRow> concat(List<DerivedRow> a, List<DerivedRow> b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    List<DerivedRow> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private TableShape shape(TableDef def) {
    return shapes.computeIfAbsent(def.name(), name -> {
      Map<String, ColumnType> columns = stored.get(name);
      return columns == null ? TableShape.create(def, maxColumns)
          : TableShape.existing(def, columns, maxColumns);
    });
  }

  private static Map<String, Map<String, ColumnType>> readColumns(Connection conn)
      throws SQLException {
    Map<String, Map<String, ColumnType>> out = new HashMap<>();
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
            + " WHERE table_catalog = current_database() AND table_schema = 'main'"
            + " ORDER BY table_name, ordinal_position")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
            .put(rs.getString(2), ColumnType.ofSql(rs.getString(3)));
      }
    }
    return out;
  }

  private static void applyChanges(Statement st, TableShape shape) throws SQLException {
    String table = quote(shape.table());
    if (!shape.exists()) {
      st.execute("CREATE TABLE " + table + " (" + columnList(shape.columns(), true) + ")");
    } else {
      for (SchemaChange c : shape.changes()) {
        st.execute("ALTER TABLE " + table + switch (c.kind()) {
          case ADD_COLUMN -> " ADD COLUMN " + quote(c.column()) + " " + c.type().sql();
          case WIDEN -> " ALTER COLUMN " + quote(c.column()) + " TYPE " + c.type().sql();
        });
      }
    }
    shape.applied();
  }

  private void stageAndInsert(DuckDBConnection conn, Statement st, String table,
      List<Staged> rows) throws SQLException {
    Map<String, ColumnType> columns = withoutLoadedAt(shapes.get(table).columns());
    String stage = stage(st, table, columns);
    // Per column once, not per cell: its name, type and the event field of the same name.
    String[] names = columns.keySet().toArray(String[]::new);
    ColumnType[] types = columns.values().toArray(ColumnType[]::new);
    EventField[] fields = new EventField[names.length];
    for (int i = 0; i < names.length; i++) {
      fields[i] = EventField.ofColumn(names[i]);
    }
    try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, stage)) {
      for (Staged row : rows) {
        Function<EventField, Object> event = f -> row.event()[f.ordinal()];
        a.beginRow();
        for (int i = 0; i < names.length; i++) {
          Object v = row.values().get(names[i]);
          append(a, types[i], v != null ? v
              : SegmentTables.fixedValue(row.row(), names[i], fields[i], event));
        }
        a.endRow();
      }
      a.flush();
    }
    st.execute("INSERT INTO " + quote(table) + " BY NAME SELECT *, now()::TIMESTAMP AS loaded_at"
        + " FROM " + quote(stage));
  }

  private void stageAndInsertDiscards(DuckDBConnection conn, Statement st, List<Object[]> rows)
      throws SQLException {
    Map<String, ColumnType> columns =
        withoutLoadedAt(SegmentTables.DISCARDS_TABLE.fixedColumns());
    String stage = stage(st, discardsTable, columns);
    try (DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, stage)) {
      for (Object[] row : rows) {
        a.beginRow();
        int i = 0;
        for (ColumnType type : columns.values()) {
          append(a, type, row[i++]);
        }
        a.endRow();
      }
      a.flush();
    }
    st.execute("INSERT INTO " + quote(discardsTable) + " BY NAME"
        + " SELECT *, now()::TIMESTAMP AS loaded_at FROM " + quote(stage));
    st.execute("DELETE FROM " + quote(stage));
  }

  /**
   * Users whose identifies this batch added get their row again from all their identifies: per
   * trait the latest non-null value by event time (then receive time, then event id), so an
   * identify arriving late never overwrites a newer trait but still fills one not sent since.
   * Known users are updated in place rather than deleted and inserted again: the warehouse does
   * not merge row groups at checkpoints, so deleted rows would stay in the file.
   */
  private void refreshUsers(Statement st) throws SQLException {
    String order = "{'t': event_time, 'r': received_at, 'e': event_id}";
    StringBuilder traits = new StringBuilder();
    List<String> columns = new ArrayList<>(List.of("event_time", "received_at", "loaded_at"));
    for (String c : shapes.get(SegmentTables.IDENTIFIES.name()).columns().keySet()) {
      if (!SegmentTables.IDENTIFIES.fixedColumns().containsKey(c)) {
        String q = quote(c);
        traits.append(", arg_max(").append(q).append(", ").append(order).append(") FILTER (WHERE ")
            .append(q).append(" IS NOT NULL) AS ").append(q);
        columns.add(c);
      }
    }
    StringBuilder set = new StringBuilder();
    for (String c : columns) {
      set.append(set.isEmpty() ? "" : ", ").append(quote(c)).append(" = fresh.").append(quote(c));
    }
    String ids = "(SELECT user_id FROM " + quote(STAGE + SegmentTables.IDENTIFIES.name())
        + " WHERE user_id IS NOT NULL)";
    st.execute("MERGE INTO " + quote(SegmentTables.USERS) + " USING (SELECT user_id AS id,"
        + " max(event_time) AS event_time, arg_max(received_at, " + order + ") AS received_at,"
        + " now()::TIMESTAMP AS loaded_at" + traits + " FROM "
        + quote(SegmentTables.IDENTIFIES.name()) + " WHERE user_id IN " + ids
        + " GROUP BY user_id) AS fresh ON " + quote(SegmentTables.USERS) + ".id = fresh.id"
        + " WHEN MATCHED THEN UPDATE SET " + set + " WHEN NOT MATCHED THEN INSERT BY NAME");
  }

  /** The (empty) staging table of {@code table} with these columns, made when they changed. */
  private String stage(Statement st, String table, Map<String, ColumnType> columns)
      throws SQLException {
    String stage = STAGE + table;
    String list = columnList(columns, false);
    if (!list.equals(staging.get(table))) {
      st.execute("CREATE OR REPLACE TEMP TABLE " + quote(stage) + " (" + list + ")");
      staging.put(table, list);
    }
    return stage;
  }

  private static Map<String, ColumnType> withoutLoadedAt(Map<String, ColumnType> columns) {
    return columns.entrySet().stream().filter(e -> !e.getKey().equals("loaded_at"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
            LinkedHashMap::new));
  }

  static String columnList(Map<String, ColumnType> columns, boolean required) {
    return columns.entrySet().stream()
        .map(e -> quote(e.getKey()) + " " + e.getValue().sql()
            + (required && e.getKey().equals("loaded_at") ? " NOT NULL" : ""))
        .collect(Collectors.joining(", "));
  }

  private static void append(DuckDBAppender a, ColumnType type, Object v) throws SQLException {
    if (v == null) {
      a.appendNull();
      return;
    }
    switch (type) {
      case VARCHAR, JSON -> a.append(v.toString());
      case BIGINT -> a.append(((Number) v).longValue());
      case DOUBLE -> a.append(((Number) v).doubleValue());
      case BOOLEAN -> a.append((boolean) (Boolean) v);
      case TIMESTAMP -> a.append(v instanceof Instant i
          ? LocalDateTime.ofInstant(i, ZoneOffset.UTC) : (LocalDateTime) v);
    }
  }
}
