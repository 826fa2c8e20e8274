package io.tributary.warehouse;

import io.tributary.core.ConfigException;
import io.tributary.core.EventField;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB database file and its schema. DuckDB allows one writing process per file, so every
 * reader in Tributary goes through {@link #newConnection()} of this one instance.
 */
public final class DuckDbWarehouse implements AutoCloseable {
  private static final java.util.Set<EventField> REQUIRED = java.util.EnumSet.of(EventField.EVENT_ID,
      EventField.SOURCE, EventField.EVENT_TYPE, EventField.RECEIVED_AT, EventField.EVENT_TIME,
      EventField.RAW_ID);

  /** Column definitions of the canonical event, in {@link EventField} order. */
  static String eventColumns(boolean constraints) {
    StringBuilder sb = new StringBuilder();
    for (EventField f : EventField.values()) {
      sb.append(sb.length() == 0 ? "" : ",\n  ").append(f.column()).append(' ').append(f.type().sql());
      // No primary key on event_id: DuckDB rewrites a whole key index at every checkpoint, which made
      // loading slower as the table grew; the loader deduplicates within a time window instead.
      if (constraints && REQUIRED.contains(f)) {
        sb.append(" NOT NULL");
      }
    }
    return sb.toString();
  }

  private final Path file;
  private final DuckDBConnection root;
  private final boolean eventsHasPrimaryKey;

  private DuckDbWarehouse(Path file, DuckDBConnection root, boolean eventsHasPrimaryKey) {
    this.file = file;
    this.root = root;
    this.eventsHasPrimaryKey = eventsHasPrimaryKey;
  }

  /** Tables made by version 0.1 declared event_id a primary key; inserts must then ignore conflicts. */
  boolean eventsHasPrimaryKey() {
    return eventsHasPrimaryKey;
  }

  private static boolean hasPrimaryKey(DuckDBConnection conn, String table) throws SQLException {
    try (var ps = conn.prepareStatement("SELECT count(*) FROM duckdb_constraints()"
        + " WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'")) {
      ps.setString(1, table);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  public static DuckDbWarehouse open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      DuckDBConnection conn =
          (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS events (" + eventColumns(true)
            + ",\n  loaded_at TIMESTAMP NOT NULL)");
        addMissingColumns(conn, "events");
        boolean eventsKey = hasPrimaryKey(conn, "events");
        BadRowLoader.createTable(conn);
        OffsetStore.createTable(conn);
        // Queries come over HTTP: they must not read or write the server's files.
        st.execute("SET enable_external_access = false");
        st.execute("SET lock_configuration = true");
        return new DuckDbWarehouse(file, conn, eventsKey);
      }
    } catch (SQLException e) {
      throw new ConfigException("cannot open the DuckDB warehouse " + file + ": " + e.getMessage()
          + " (is another Tributary process using this data directory?)", e);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot create the directory of " + file + ": " + e, e);
    }
  }

  /** New canonical fields become nullable columns of a table made by an older version. */
  private static void addMissingColumns(DuckDBConnection conn, String table) throws SQLException {
    java.util.Set<String> existing = new java.util.HashSet<>();
    try (var ps = conn.prepareStatement(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?")) {
      ps.setString(1, table);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          existing.add(rs.getString(1));
        }
      }
    }
    try (Statement st = conn.createStatement()) {
      for (EventField f : EventField.values()) {
        if (!existing.contains(f.column())) {
          st.execute("ALTER TABLE " + table + " ADD COLUMN " + f.column() + " " + f.type().sql());
        }
      }
    }
  }

  /** Opens an existing file for reading only, as a second process may while no writer runs. */
  public static DuckDbWarehouse openReadOnly(Path file) {
    try {
      java.util.Properties props = new java.util.Properties();
      props.setProperty("duckdb.read_only", "true");
      DuckDBConnection conn = (DuckDBConnection) DriverManager.getConnection(
          "jdbc:duckdb:" + file.toAbsolutePath(), props);
      return new DuckDbWarehouse(file, conn, false);
    } catch (SQLException e) {
      throw new ConfigException("cannot open " + file + " read-only: " + e.getMessage(), e);
    }
  }

  /** A new connection to the same database (for one thread at a time). */
  public DuckDBConnection newConnection() throws SQLException {
    return root.duplicate();
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      root.close();
    } catch (SQLException e) {
      // closing on shutdown; nothing to recover
    }
  }

}
