package io.tributary.warehouse;

import io.tributary.core.BacklogAwareSink;
import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.RetriableException;
import io.tributary.core.SourcedRecord;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads rows of one kind into one table, exactly once: each micro-batch is appended to a staging
 * table and moved into the target with {@code INSERT OR IGNORE} on the row id, in the same
 * transaction that stores the next offsets to read. A crash keeps both or neither, and a row whose
 * id is already loaded is not added again.
 */
abstract class MicroBatchLoader<T> implements BacklogAwareSink, HealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchLoader.class);
  private static final java.lang.management.ThreadMXBean THREAD_CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private final DuckDbWarehouse warehouse;
  private final String table;
  private final String stagingColumns;
  private DuckDBConnection conn;
  private int connGeneration;
  private final LoaderSettings settings;
  private final Clock clock;
  private final String staging;
  private final Map<Integer, List<T>> pending = new HashMap<>();
  private final Map<Integer, Long> pendingOffsets = new HashMap<>();
  private int pendingCount;
  private long oldestMillis;
  private long backlog;
  private final AtomicLong loaded = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  /** Held while a batch is written, and by {@link #whileNoBatch} work. */
  private final Object batchLock = new Object();

  MicroBatchLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock, String table,
      String stagingColumns) {
    this.settings = settings;
    this.clock = clock;
    this.staging = "_tributary_staging_" + table;
    this.warehouse = warehouse;
    this.table = table;
    this.stagingColumns = stagingColumns;
    connect();
  }

  /** A connection to the current database instance, with this loader's staging table. */
  private void connect() {
    int generation = warehouse.generation();
    if (conn != null && connGeneration == generation) {
      return;
    }
    closeConnection();
    try {
      DuckDBConnection fresh = warehouse.newConnection();
      try (Statement st = fresh.createStatement()) {
        st.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " (" + stagingColumns + ")");
      }
      fresh.setAutoCommit(false);
      conn = fresh;
      connGeneration = generation;
    } catch (SQLException e) {
      throw failure("cannot prepare the " + table + " loader", e);
    }
  }

  /**
   * A retriable failure. The connection is dropped (after a failed commit DuckDB may leave it with
   * no transaction to use), and if DuckDB invalidated the whole database (a fatal I/O error such
   * as a full disk) that is opened again, so the runner's retry starts clean.
   */
  private RetriableException failure(String what, Exception e) {
    closeConnection();
    if (DuckDbWarehouse.isInvalidated(e)) {
      warehouse.reopen(connGeneration);
    }
    return new RetriableException(what + ": " + e.getMessage(), e);
  }

  private void closeConnection() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        LOG.debug("closing {} connection", name(), e);
      }
      conn = null;
    }
  }

  /** The rows a topic record holds; may throw for an unreadable record. */
  abstract List<T> decode(SourcedRecord record);

  abstract String idOf(T row);

  /** Appends one row in the staging table's column order. */
  abstract void appendRow(DuckDBAppender appender, T row) throws SQLException;

  /** Moves the staging table's rows ({@code staged}) into the target, ignoring ids already there. */
  abstract String insertSql(String stagingTable, List<T> staged);

  /**
   * Moves the staged rows into the target inside the batch's transaction (which also writes the
   * offsets and commits); returns how many were new. {@code staged} are the rows in the staging
   * table. Subclasses that write more tables do so here, so they commit together.
   */
  int moveStaged(DuckDBConnection conn, String stagingTable, List<T> staged) throws SQLException {
    try (Statement st = conn.createStatement()) {
      return st.executeUpdate(insertSql(stagingTable, staged));
    }
  }

  /** Called after the batch's transaction was rolled back (or its connection dropped). */
  void rolledBack() {}

  /**
   * The rows of a batch (no two with one id) that may be new, inside the batch's transaction and
   * before they are staged: by default all of them; a subclass that knows some ids are loaded
   * already leaves those out.
   */
  List<T> maybeNew(DuckDBConnection conn, List<T> rows) throws SQLException {
    return rows;
  }

  /**
   * Called once the batch committed, with the offsets stored: must not throw (the batch is
   * loaded whatever happens here).
   */
  void committed(Map<Integer, Long> offsets) {}

  /** The next offsets stored for this loader's consumer and topic, every partition. */
  Map<Integer, Long> storedOffsets(DuckDBConnection conn) throws SQLException {
    return OffsetStore.read(conn, settings.consumer(), settings.topic(), null);
  }

  /** Work on the warehouse that must see no load transaction of this loader half-done. */
  @FunctionalInterface
  public interface Exclusive<R> {
    R run() throws SQLException;
  }

  /**
   * Runs {@code work} (on another thread's own connection) while this loader writes no batch: the
   * batch in flight, if any, commits first, and the next waits until {@code work} returns.
   */
  <R> R whileNoBatch(Exclusive<R> work) throws SQLException {
    synchronized (batchLock) {
      return work.run();
    }
  }

  @Override
  public Map<Integer, Long> open(Collection<Integer> partitions) {
    connect();
    try {
      Map<Integer, Long> stored =
          OffsetStore.read(conn, settings.consumer(), settings.topic(), partitions);
      conn.commit();
      return stored;
    } catch (SQLException e) {
      throw failure("cannot read stored offsets", e);
    }
  }

  @Override
  public void write(List<SourcedRecord> records) {
    if (pendingOffsets.isEmpty()) {
      oldestMillis = clock.millis();
    }
    for (SourcedRecord r : records) {
      try {
        List<T> rows = decode(r);
        pending.computeIfAbsent(r.partition(), p -> new ArrayList<>()).addAll(rows);
        pendingCount += rows.size();
      } catch (RuntimeException e) {
        // One unreadable record must not stop the others; the lake keeps its source.
        rejected.incrementAndGet();
        LOG.warn("{}: skipping record at partition {} offset {}: {}", name(), r.partition(),
            r.offset(), e.getMessage());
      }
      pendingOffsets.put(r.partition(), r.offset() + 1);
    }
  }

  @Override
  public void backlog(long unread) {
    backlog = unread;
  }

  @Override
  public Map<Integer, Long> flush(boolean force) {
    if (pendingOffsets.isEmpty()) {
      return Map.of();
    }
    long waited = clock.millis() - oldestMillis;
    // Behind: read on to a full batch (bounded by the catch-up delay); each commit has a fixed cost.
    long delay = backlog > 0 ? settings.catchUpDelay().toMillis() : settings.maxDelay().toMillis();
    boolean due = force || pendingCount >= settings.maxEvents() || waited >= delay;
    if (!due) {
      return Map.of();
    }
    synchronized (batchLock) {
      try {
        connect();
        int inserted = commitBatch();
        committed(pendingOffsets);
        loaded.addAndGet(inserted);
        duplicates.addAndGet(pendingCount - inserted);
        if (backlog == 0) {
          checkpointIfDue();
        }
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        rolledBack();
        throw failure(name() + ": loading " + pendingCount + " rows failed", e);
      }
    }
    Map<Integer, Long> done = new HashMap<>(pendingOffsets);
    pending.clear();
    pendingOffsets.clear();
    pendingCount = 0;
    return done;
  }

  private int commitBatch() throws SQLException {
    long start = System.nanoTime();
    // The appender's rows are not undone by a rollback: a failed batch may have left some behind.
    try (Statement st = conn.createStatement()) {
      st.execute("DELETE FROM " + staging);
    }
    Set<String> seen = new HashSet<>();
    List<T> unique = new ArrayList<>(pendingCount);
    for (List<T> rows : pending.values()) {
      for (T row : rows) {
        if (seen.add(idOf(row))) {
          unique.add(row);
        }
      }
    }
    List<T> staged = maybeNew(conn, unique);
    try (DuckDBAppender appender = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, staging)) {
      for (T row : staged) {
        appendRow(appender, row);
      }
      appender.flush();
    }
    long appended = System.nanoTime();
    int inserted = moveStaged(conn, staging, staged);
    try (Statement st = conn.createStatement()) {
      st.execute("DELETE FROM " + staging);
    }
    OffsetStore.write(conn, settings.consumer(), settings.topic(), pendingOffsets);
    long written = System.nanoTime();
    conn.commit();
    long committed = System.nanoTime();
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: {} rows in {} ms (append {} ms, insert {} ms, commit {} ms)", name(), inserted,
          (committed - start) / 1_000_000, (appended - start) / 1_000_000,
          (written - appended) / 1_000_000, (committed - written) / 1_000_000);
    }
    return inserted;
  }

  /** Caught up: moves the log into the database file, as DuckDB would at its default size. */
  private void checkpointIfDue() {
    if (warehouse.walBytes() < settings.checkpointWalBytes()) {
      return;
    }
    long start = System.nanoTime();
    long cpuStart = THREAD_CPU.getCurrentThreadCpuTime();
    try (Statement st = conn.createStatement()) {
      st.execute("CHECKPOINT");
      conn.commit();
    } catch (SQLException e) {
      // Not a failure of the batch (committed already): e.g. a query holds a transaction open.
      // DuckDB checkpoints by itself at its larger threshold; the next caught-up batch tries again.
      rollbackQuietly();
      LOG.debug("{}: checkpoint skipped: {}", name(), e.getMessage());
      return;
    }
    // With DuckDB on one thread the checkpoint runs on this one: CPU well under the wall time
    // means it waited (for the CPU, or for the disk), not that it had more to write.
    LOG.debug("{}: checkpoint in {} ms ({} ms CPU)", name(), (System.nanoTime() - start) / 1_000_000,
        (THREAD_CPU.getCurrentThreadCpuTime() - cpuStart) / 1_000_000);
  }

  private void rollbackQuietly() {
    if (conn == null) {
      return;
    }
    try {
      conn.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback failed", e);
    }
  }

  @Override
  public void closePartitions(Collection<Integer> partitions) {
    // Buffered rows of lost partitions are dropped; they were not committed and will be re-read.
    for (int p : partitions) {
      List<T> dropped = pending.remove(p);
      pendingCount -= dropped == null ? 0 : dropped.size();
      pendingOffsets.remove(p);
    }
  }

  /** Rows inserted so far. */
  public long loadedRows() {
    return loaded.get();
  }

  /** Rows skipped because their id was already loaded. */
  public long duplicateRows() {
    return duplicates.get();
  }

  /** Topic records that could not be read. */
  public long rejectedRecords() {
    return rejected.get();
  }

  @Override
  public Health health() {
    return Health.ok("loaded " + loaded.get() + " rows (" + duplicates.get()
        + " duplicates ignored, " + rejected.get() + " unreadable records)");
  }

  @Override
  public void close() {
    closeConnection();
  }
}
