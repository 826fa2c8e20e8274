package io.tributary.warehouse;

import io.tributary.core.ConfigException;
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
  static final String OFFSETS_TABLE = "_tributary_offsets";

  /** Columns of {@code events} in load order; {@code loaded_at} is added by the database. */
  static final String EVENTS_COLUMNS = """
      event_id VARCHAR NOT NULL PRIMARY KEY,
      source VARCHAR NOT NULL,
      event_type VARCHAR NOT NULL,
      event_name VARCHAR,
      user_id VARCHAR,
      anonymous_id VARCHAR,
      group_id VARCHAR,
      previous_id VARCHAR,
      received_at TIMESTAMP NOT NULL,
      sent_at TIMESTAMP,
      original_timestamp TIMESTAMP,
      event_time TIMESTAMP NOT NULL,
      properties JSON,
      traits JSON,
      context JSON,
      ip VARCHAR,
      user_agent VARCHAR,
      page_url VARCHAR,
      page_path VARCHAR,
      page_referrer VARCHAR,
      page_title VARCHAR,
      library_name VARCHAR,
      library_version VARCHAR,
      raw_id VARCHAR NOT NULL""";

  private final Path file;
  private final DuckDBConnection root;

  private DuckDbWarehouse(Path file, DuckDBConnection root) {
    this.file = file;
    this.root = root;
  }

  public static DuckDbWarehouse open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      DuckDBConnection conn =
          (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS events (" + EVENTS_COLUMNS
            + ",\n loaded_at TIMESTAMP NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS " + OFFSETS_TABLE + " (consumer VARCHAR NOT NULL,"
            + " topic VARCHAR NOT NULL, \"partition\" INTEGER NOT NULL, next_offset BIGINT NOT NULL,"
            + " updated_at TIMESTAMP NOT NULL, PRIMARY KEY (consumer, topic, \"partition\"))");
        // Queries come over HTTP: they must not read or write the server's files.
        st.execute("SET enable_external_access = false");
        st.execute("SET lock_configuration = true");
      }
      return new DuckDbWarehouse(file, conn);
    } catch (SQLException e) {
      throw new ConfigException("cannot open the DuckDB warehouse " + file + ": " + e.getMessage()
          + " (is another Tributary process using this data directory?)", e);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot create the directory of " + file + ": " + e, e);
    }
  }

  /** Opens an existing file for reading only, as a second process may while no writer runs. */
  public static DuckDbWarehouse openReadOnly(Path file) {
    try {
      java.util.Properties props = new java.util.Properties();
      props.setProperty("duckdb.read_only", "true");
      DuckDBConnection conn = (DuckDBConnection) DriverManager.getConnection(
          "jdbc:duckdb:" + file.toAbsolutePath(), props);
      return new DuckDbWarehouse(file, conn);
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
