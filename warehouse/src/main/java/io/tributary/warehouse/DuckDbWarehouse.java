package io.tributary.warehouse;

import io.tributary.core.ConfigException;
import io.tributary.core.EventField;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(DuckDbWarehouse.class);

  private static final long MB = 1L << 20;

  /**
   * WAL size at which DuckDB checkpoints by itself, given the free disk: up to 512 MB, twice the
   * loader's own default, so that it comes into play only while the loader is behind (it bounds the
   * replay after a crash: about 2 s per 256 MB), at most a quarter of the free disk (the log and the
   * checkpoint that follows must both fit), and never below DuckDB's default of 16 MB.
   */
  static long autoCheckpointBytes(long usableBytes) {
    return Math.max(16 * MB, Math.min(512 * MB, usableBytes / 4 / MB * MB));
  }

  private static long usableBytes(Path file) {
    try {
      return Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * DuckDB settings of the warehouse.
   *
   * @param memoryLimit DuckDB's {@code memory_limit} (e.g. {@code 4GB}), or null for DuckDB's
   *     default of 80 % of the machine's memory
   * @param threads DuckDB's {@code threads} (the calling thread included), or null for {@link
   *     #defaultThreads}
   */
  public record Options(String memoryLimit, Integer threads) {
    public static final Options DEFAULT = new Options(null, null);
  }

  /**
   * DuckDB's threads when the configuration sets none: one on a machine of one or two cores, else
   * DuckDB's own default (one per core). With more than one, a thread that runs a statement spins
   * on DuckDB's task queue, holding a core, while the workers finish the statement's last tasks
   * (duckdb/duckdb#22178). The loader runs many small statements per batch, so on two cores, which
   * it shares with the collector, enrich and the lake, that spinning cost more than the parallelism
   * gave (BENCHMARKS.md, session 6).
   */
  static Integer defaultThreads(int cores) {
    return cores <= 2 ? 1 : null;
  }

  /** One row: a random id given to the database when it was made. */
  static final String DATABASE_ID_TABLE = "_tributary_database";

  private final Path file;
  private final boolean eventsHasPrimaryKey;
  private final boolean readOnly;
  private final Options options;
  private volatile DuckDBConnection root;
  private volatile int generation;
  /** Connections handed out, closed on {@link #reopen}: the old instance must be gone first. */
  private final java.util.Set<DuckDBConnection> handedOut = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private DuckDbWarehouse(Path file, DuckDBConnection root, boolean eventsHasPrimaryKey,
      boolean readOnly, Options options) {
    this.file = file;
    this.options = options;
    this.root = root;
    this.eventsHasPrimaryKey = eventsHasPrimaryKey;
    this.readOnly = readOnly;
  }

  /**
   * Whether DuckDB refuses all work after a fatal error (e.g. the disk filled up during a
   * checkpoint): such a database must be opened again, which {@link #reopen} does.
   */
  public static boolean isInvalidated(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.contains("database has been invalidated")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether opening failed because another process holds the file: DuckDB allows one writing process
   * per file, so a second loader of a split deployment waits as a standby.
   */
  public static boolean isLockedByAnotherProcess(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.contains("Could not set lock on file")) {
        return true;
      }
    }
    return false;
  }

  /** Changes each time the database is opened again; connections of an older one are dead. */
  public int generation() {
    return generation;
  }

  /**
   * Opens the database again after DuckDB invalidated it, unless that was already done since
   * {@code failedGeneration}. On success the committed data is back (DuckDB replays its WAL);
   * connections of the old instance keep failing and must be replaced.
   *
   * @return whether a usable instance is open now
   */
  public synchronized boolean reopen(int failedGeneration) {
    if (generation != failedGeneration) {
      return true;
    }
    // DuckDB will not attach the file again while any connection keeps the dead instance alive.
    if (root != null) {
      closeQuietly(root);
    }
    handedOut.forEach(DuckDbWarehouse::closeQuietly);
    handedOut.clear();
    root = null;
    try {
      reconnect();
      return true;
    } catch (SQLException e) {
      LOG.warn("cannot reopen the DuckDB warehouse {} yet: {}", file, e.getMessage());
      return false;
    }
  }

  /** Opens the file again after {@link #reopen} closed it (retried until it succeeds). */
  private synchronized DuckDBConnection reconnect() throws SQLException {
    if (root == null) {
      root = connect(file, readOnly, options);
      generation++;
      LOG.warn("Reopened the DuckDB warehouse {} after a fatal error", file);
    }
    return root;
  }

  private static void closeQuietly(DuckDBConnection conn) {
    try {
      conn.close();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("closing a connection of the invalidated instance", e);
    }
  }

  private static DuckDBConnection connect(Path file, boolean readOnly, Options options)
      throws SQLException {
    java.util.Properties props = new java.util.Properties();
    if (readOnly) {
      props.setProperty("duckdb.read_only", "true");
    }
    DuckDBConnection conn = (DuckDBConnection) DriverManager.getConnection(
        "jdbc:duckdb:" + file.toAbsolutePath(), props);
    if (!readOnly) {
      try (Statement st = conn.createStatement()) {
        // Queries come over HTTP: they must not read or write the server's files.
        st.execute("SET enable_external_access = false");
        // DuckDB's own checkpoint (default at 16 MB of WAL) would run inside a loader commit, also
        // while the loader catches up; the loader checkpoints once caught up (LoaderSettings).
        st.execute("SET checkpoint_threshold = '"
            + autoCheckpointBytes(usableBytes(file)) / MB + "MB'");
        if (options.memoryLimit() != null) {
          st.execute("SET memory_limit = '" + options.memoryLimit().replace("'", "''") + "'");
        }
        Integer threads = options.threads() != null ? options.threads()
            : defaultThreads(Runtime.getRuntime().availableProcessors());
        if (threads != null) {
          st.execute("SET threads = " + threads);
        }
        // Each checkpoint starts new row groups; DuckDB would later merge a small one with its
        // neighbours, decompressing and compressing again up to three full row groups of every
        // column: half of the loader's checkpoints took 3-4 s instead of ~0.8 s (BENCHMARKS.md,
        // session 10). The loader deletes no rows of its own (users are updated in place).
        st.execute("SET max_vacuum_tasks = 0");
        st.execute("SET lock_configuration = true");
      }
    }
    return conn;
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
    return open(file, Options.DEFAULT);
  }

  /** Opens (creating if needed) the warehouse file for loading and querying. */
  public static DuckDbWarehouse open(Path file, Options options) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      boolean eventsKey;
      try (DuckDBConnection setup = (DuckDBConnection) DriverManager.getConnection(
              "jdbc:duckdb:" + file.toAbsolutePath());
          Statement st = setup.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS events (" + eventColumns(true)
            + ",\n  loaded_at TIMESTAMP NOT NULL)");
        addMissingColumns(setup, "events");
        eventsKey = hasPrimaryKey(setup, "events");
        DerivedTableWriter.createFixedTables(setup);
        BadRowLoader.createTable(setup);
        OffsetStore.createTable(setup);
        // Tells this database from another one at the same path (EventIdIndex).
        st.execute("CREATE TABLE IF NOT EXISTS " + DATABASE_ID_TABLE + " (id VARCHAR NOT NULL)");
        st.execute("INSERT INTO " + DATABASE_ID_TABLE + " SELECT uuid()::VARCHAR"
            + " WHERE NOT EXISTS (SELECT 1 FROM " + DATABASE_ID_TABLE + ")");
      }
      return new DuckDbWarehouse(file, connect(file, false, options), eventsKey, false, options);
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
      return new DuckDbWarehouse(file, connect(file, true, Options.DEFAULT), false, true,
          Options.DEFAULT);
    } catch (SQLException e) {
      throw new ConfigException("cannot open " + file + " read-only: " + e.getMessage(), e);
    }
  }

  /** A new connection to the same database (for one thread at a time). */
  public DuckDBConnection newConnection() throws SQLException {
    handedOut.removeIf(DuckDbWarehouse::isClosed);
    DuckDBConnection current = root;
    DuckDBConnection conn = (current != null ? current : reconnect()).duplicate();
    handedOut.add(conn);
    return conn;
  }

  private static boolean isClosed(DuckDBConnection conn) {
    try {
      return conn.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  public Path file() {
    return file;
  }

  /** Bytes in the write-ahead log: data committed since the last checkpoint. */
  long walBytes() {
    try {
      Path wal = file.resolveSibling(file.getFileName() + ".wal");
      return Files.exists(wal) ? Files.size(wal) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    DuckDBConnection current = root;
    if (current == null) {
      return;
    }
    try {
      current.close();
    } catch (SQLException e) {
      // closing on shutdown; nothing to recover
    }
  }

}
