package io.tributary.warehouse;

import io.tributary.core.BadRequestException;
import io.tributary.core.CanonicalEvent;
import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.PartitionedSink;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.RetriableException;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SourcedRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
 * Loads raw records into the {@code events} table, exactly once. Each micro-batch is appended to a
 * staging table and moved into {@code events} with {@code INSERT OR IGNORE} on the event id, in the
 * same transaction that stores the next offsets to read: a crash either keeps both or neither, and an
 * event resent with an id already loaded is not added again.
 */
public final class EventLoader implements PartitionedSink, HealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoader.class);
  private static final String STAGING = "_tributary_staging_events";

  private final DuckDBConnection conn;
  private final LoaderSettings settings;
  private final Clock clock;
  private final Map<Integer, List<CanonicalEvent>> pending = new HashMap<>();
  private final Map<Integer, Long> pendingOffsets = new HashMap<>();
  private int pendingCount;
  private long oldestMillis;
  private final AtomicLong loaded = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile long lastCommitMillis;

  public EventLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    try {
      this.conn = warehouse.newConnection();
      try (Statement st = conn.createStatement()) {
        String columns = DuckDbWarehouse.EVENTS_COLUMNS
            .replace(" NOT NULL PRIMARY KEY", "").replace(" NOT NULL", "");
        st.execute("CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (" + columns + ")");
      }
      conn.setAutoCommit(false);
    } catch (SQLException e) {
      throw new RetriableException("cannot prepare the loader: " + e.getMessage(), e);
    }
    this.lastCommitMillis = clock.millis();
  }

  @Override
  public Map<Integer, Long> open(Collection<Integer> partitions) {
    Map<Integer, Long> stored = new HashMap<>();
    String sql = "SELECT \"partition\", next_offset FROM " + DuckDbWarehouse.OFFSETS_TABLE
        + " WHERE consumer = ? AND topic = ?";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, settings.consumer());
      ps.setString(2, settings.topic());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (partitions.contains(rs.getInt(1))) {
            stored.put(rs.getInt(1), rs.getLong(2));
          }
        }
      }
      conn.commit();
    } catch (SQLException e) {
      throw new RetriableException("cannot read stored offsets: " + e.getMessage(), e);
    }
    return stored;
  }

  @Override
  public void write(List<SourcedRecord> records) {
    if (pendingOffsets.isEmpty()) {
      oldestMillis = clock.millis();
    }
    for (SourcedRecord r : records) {
      try {
        RawRecord raw = RawRecordCodec.decode(r.value());
        List<CanonicalEvent> events = SegmentNormalizer.normalize(raw);
        pending.computeIfAbsent(r.partition(), p -> new ArrayList<>()).addAll(events);
        pendingCount += events.size();
      } catch (RuntimeException e) {
        // The raw lake keeps the record; bad rows get their own table with the enrich stage.
        // Any failure of one record's normalisation must not stop the others from loading.
        rejected.incrementAndGet();
        LOG.warn("skipping raw record at partition {} offset {}: {}", r.partition(), r.offset(),
            e.getMessage());
      }
      pendingOffsets.put(r.partition(), r.offset() + 1);
    }
  }

  @Override
  public Map<Integer, Long> flush(boolean force) {
    if (pendingOffsets.isEmpty()) {
      return Map.of();
    }
    boolean due = force || pendingCount >= settings.maxEvents()
        || clock.millis() - oldestMillis >= settings.maxDelay().toMillis();
    if (!due) {
      return Map.of();
    }
    try {
      int inserted = commitBatch();
      loaded.addAndGet(inserted);
      duplicates.addAndGet(pendingCount - inserted);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw new RetriableException("loading " + pendingCount + " events failed: " + e.getMessage(), e);
    }
    Map<Integer, Long> done = new HashMap<>(pendingOffsets);
    pending.clear();
    pendingOffsets.clear();
    pendingCount = 0;
    lastCommitMillis = clock.millis();
    return done;
  }

  private int commitBatch() throws SQLException {
    Set<String> seen = new HashSet<>();
    try (DuckDBAppender appender = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, STAGING)) {
      for (List<CanonicalEvent> events : pending.values()) {
        for (CanonicalEvent e : events) {
          if (seen.add(e.eventId())) {
            appendRow(appender, e);
          }
        }
      }
      appender.flush();
    }
    int inserted;
    try (Statement st = conn.createStatement()) {
      inserted = st.executeUpdate("INSERT OR IGNORE INTO events SELECT *, now()::TIMESTAMP FROM " + STAGING);
      st.execute("DELETE FROM " + STAGING);
    }
    String upsert = "INSERT OR REPLACE INTO " + DuckDbWarehouse.OFFSETS_TABLE
        + " VALUES (?, ?, ?, ?, now()::TIMESTAMP)";
    try (PreparedStatement ps = conn.prepareStatement(upsert)) {
      for (Map.Entry<Integer, Long> e : pendingOffsets.entrySet()) {
        ps.setString(1, settings.consumer());
        ps.setString(2, settings.topic());
        ps.setInt(3, e.getKey());
        ps.setLong(4, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    conn.commit();
    return inserted;
  }

  private static void appendRow(DuckDBAppender a, CanonicalEvent e) throws SQLException {
    a.beginRow();
    a.append(e.eventId());
    a.append(e.source());
    a.append(e.eventType());
    a.append(e.eventName());
    a.append(e.userId());
    a.append(e.anonymousId());
    a.append(e.groupId());
    a.append(e.previousId());
    appendTime(a, e.receivedAt());
    appendTime(a, e.sentAt());
    appendTime(a, e.originalTimestamp());
    appendTime(a, e.eventTime());
    a.append(e.properties());
    a.append(e.traits());
    a.append(e.context());
    a.append(e.ip());
    a.append(e.userAgent());
    a.append(e.pageUrl());
    a.append(e.pagePath());
    a.append(e.pageReferrer());
    a.append(e.pageTitle());
    a.append(e.libraryName());
    a.append(e.libraryVersion());
    a.append(e.rawId());
    a.endRow();
  }

  private static void appendTime(DuckDBAppender a, Instant t) throws SQLException {
    if (t == null) {
      a.appendNull();
    } else {
      a.append(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  private void rollbackQuietly() {
    try {
      conn.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback failed", e);
    }
  }

  @Override
  public void closePartitions(Collection<Integer> partitions) {
    // Buffered events of lost partitions are dropped; they were not committed and will be re-read.
    for (int p : partitions) {
      List<CanonicalEvent> dropped = pending.remove(p);
      pendingCount -= dropped == null ? 0 : dropped.size();
      pendingOffsets.remove(p);
    }
  }

  public long loadedEvents() {
    return loaded.get();
  }

  public long duplicateEvents() {
    return duplicates.get();
  }

  public long rejectedRecords() {
    return rejected.get();
  }

  @Override
  public String name() {
    return "warehouse";
  }

  @Override
  public Health health() {
    return Health.ok("loaded " + loaded.get() + " events (" + duplicates.get() + " duplicates ignored, "
        + rejected.get() + " unreadable raw records)");
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      LOG.debug("closing loader connection", e);
    }
  }
}
