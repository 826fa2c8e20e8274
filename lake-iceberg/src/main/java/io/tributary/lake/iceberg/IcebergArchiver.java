package io.tributary.lake.iceberg;

import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.PartitionedSink;
import io.tributary.core.RetriableException;
import io.tributary.core.SourcedRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.util.ThreadPools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives the enriched topic into an Iceberg table, exactly once. Rows are written to Parquet files
 * as they arrive; every N seconds or M records one Iceberg commit adds the files and records, in its
 * snapshot summary, the next offset of each topic partition it covers (see {@link TableOffsets}).
 * After a crash, {@link #open} returns the offsets of the table's current state: files written but
 * never committed are ignored (and re-written), a committed batch is never read again.
 *
 * <p>Several archivers (one consumer group, disjoint partitions) may commit to one table. A commit
 * checks that the table's offsets of its partitions are still the ones its batch started from, then
 * commits with Iceberg's validation that no data file of those partitions (by the {@code
 * _kafka_partition} column's bounds; each file holds one partition) was added since the snapshot it
 * checked. So an archiver that lost its partitions to another (a zombie) fails instead of adding a
 * batch twice; it drops its batch and re-reads from the table's offsets.
 */
public final class IcebergArchiver implements PartitionedSink, HealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergArchiver.class);
  private static final int COMMIT_ATTEMPTS = 4;

  private final Catalog catalog;
  private final TableIdentifier id;
  private final String location;
  private final IcebergSettings settings;
  private final Clock clock;
  private Table table;
  private EventRecords records;
  private DataFiles files;
  private final Map<Integer, PartitionState> partitions = new HashMap<>();
  private int batchRecords;
  private long batchStartMillis;
  private boolean failed;
  private final AtomicLong committedRows = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  /**
   * Reads and writes manifests during commits. Iceberg's shared worker pool is shut down by its own
   * JVM shutdown hook, which failed the final commit of a graceful stop (run from a shutdown hook).
   */
  private final ExecutorService commitPool = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tributary-iceberg-manifests");
    t.setDaemon(true);
    return t;
  });
  /** Runs between the offset check and the commit; tests put a competing commit there. */
  Runnable afterCheck = () -> { };

  /** Where a topic partition stands. */
  private static final class PartitionState {
    /** The table's next offset as last seen or committed by this archiver; null when it has none. */
    Long committed;
    /** Next offset after the batch's last record, or null when the batch has none. */
    Long next;
    long rows;

    PartitionState(Long committed) {
      this.committed = committed;
    }
  }

  /**
   * @param location where to create the table when it does not exist, or null for the catalog's
   *     default
   */
  public IcebergArchiver(Catalog catalog, TableIdentifier id, String location,
      IcebergSettings settings, Clock clock) {
    this.catalog = catalog;
    this.id = id;
    this.location = location;
    this.settings = settings;
    this.clock = clock;
    // Iceberg's ThreadPools registers a JVM shutdown hook when first used; first used during a
    // shutdown (the final commit of a graceful stop) it fails to initialise. Use it now.
    ThreadPools.getWorkerPool();
  }

  @Override
  public Map<Integer, Long> open(Collection<Integer> assigned) {
    try {
      if (table == null) {
        table = EnrichedTable.ensure(catalog, id, location);
        records = new EventRecords(table.schema());
        files = new DataFiles(table, records.schema());
      }
      table.refresh();
    } catch (RuntimeException e) {
      throw new RetriableException("cannot load Iceberg table " + id + ": " + e.getMessage(), e);
    }
    Map<Integer, Long> stored = TableOffsets.read(table, settings.topic(), assigned);
    for (int p : assigned) {
      partitions.put(p, new PartitionState(stored.get(p)));
    }
    return stored;
  }

  @Override
  public void write(List<SourcedRecord> batch) {
    checkNotFailed();
    if (batchRecords == 0) {
      batchStartMillis = clock.millis();
    }
    for (SourcedRecord r : batch) {
      PartitionState state = partitions.get(r.partition());
      if (state == null) {
        throw new IllegalStateException("partition " + r.partition() + " was not opened");
      }
      Record row;
      try {
        row = records.toRecord(r);
      } catch (RuntimeException e) {
        // As the loader does: one unreadable record must not stop the others; the lake keeps its source.
        rejected.incrementAndGet();
        LOG.warn("iceberg archiver: skipping record at partition {} offset {}: {}", r.partition(),
            r.offset(), e.getMessage());
        row = null;
      }
      if (row != null) {
        files.write(r.partition(), row);
        state.rows++;
      }
      state.next = r.offset() + 1;
      batchRecords++;
    }
  }

  @Override
  public Map<Integer, Long> flush(boolean force) {
    checkNotFailed();
    if (batchRecords == 0) {
      return Map.of();
    }
    boolean due = force || batchRecords >= settings.commitRecords()
        || clock.millis() - batchStartMillis >= settings.commitInterval().toMillis();
    if (!due) {
      return Map.of();
    }
    try {
      commitBatch();
    } catch (RuntimeException e) {
      // What was read is dropped; until the runner re-opens the partitions, nothing more is taken.
      failed = true;
      files.abort();
      throw e instanceof RetriableException ? e
          : new RetriableException("iceberg archiver: commit failed: " + e.getMessage(), e);
    }
    Map<Integer, Long> durable = new HashMap<>();
    partitions.forEach((p, state) -> {
      if (state.next != null) {
        durable.put(p, state.next);
        if (state.rows > 0) {
          state.committed = state.next;
        }
        state.next = null;
        state.rows = 0;
      }
    });
    batchRecords = 0;
    return durable;
  }

  private void commitBatch() {
    List<Integer> withRows = new ArrayList<>();
    long rows = 0;
    for (Map.Entry<Integer, PartitionState> e : partitions.entrySet()) {
      if (e.getValue().rows > 0) {
        withRows.add(e.getKey());
        rows += e.getValue().rows;
      }
    }
    List<DataFile> written = files.close();
    if (withRows.isEmpty()) {
      return; // only unreadable records: nothing to add, and the table's offsets stay as they are
    }
    for (int attempt = 1; ; attempt++) {
      Snapshot checked = checkStillOwned(withRows);
      afterCheck.run();
      OverwriteFiles append = table.newOverwrite().scanManifestsWith(commitPool)
          .writeManifestsWith(commitPool, 1);
      written.forEach(append::addFile);
      if (checked != null) {
        append.validateFromSnapshot(checked.snapshotId());
      }
      append.conflictDetectionFilter(Expressions.in(EnrichedTable.KAFKA_PARTITION, withRows.toArray()))
          .validateNoConflictingData();
      for (int p : withRows) {
        append.set(TableOffsets.key(settings.topic(), p), Long.toString(partitions.get(p).next));
      }
      try {
        append.commit();
        files.forget();
        committedRows.addAndGet(rows);
        commits.incrementAndGet();
        LOG.debug("iceberg archiver: committed {} rows of partitions {} in {} files", rows, withRows,
            written.size());
        return;
      } catch (ValidationException | CommitFailedException e) {
        if (attempt >= COMMIT_ATTEMPTS) {
          throw e;
        }
        LOG.info("iceberg archiver: commit attempt {} conflicted ({}); checking again", attempt,
            e.getMessage());
      } catch (CommitStateUnknownException e) {
        // Maybe committed: keep the files; re-opening reads the truth from the table.
        files.forget();
        throw new RetriableException("iceberg archiver: commit state unknown: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Refreshes the table and checks that the offsets of these partitions are still the ones this
   * batch started from; returns the snapshot checked (null for an empty table).
   *
   * @throws RetriableException when another archiver advanced one of them
   */
  private Snapshot checkStillOwned(List<Integer> ours) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    Map<Integer, Long> now = TableOffsets.read(table, settings.topic(), ours);
    for (int p : ours) {
      Long expected = partitions.get(p).committed;
      if (!Objects.equals(now.get(p), expected)) {
        throw new RetriableException("iceberg archiver: partition " + p + " of " + settings.topic()
            + " is at offset " + now.get(p) + " in the table, not " + expected
            + ": another archiver took it over; dropping this batch", null);
      }
    }
    return current;
  }

  private void checkNotFailed() {
    if (failed) {
      throw new RetriableException("iceberg archiver: a commit failed; waiting to be re-opened", null);
    }
  }

  @Override
  public void closePartitions(Collection<Integer> closed) {
    for (int p : closed) {
      partitions.remove(p);
      if (files != null) {
        files.abort(p);
      }
    }
    if (partitions.isEmpty()) {
      failed = false;
      batchRecords = 0;
    }
  }

  @Override
  public String name() {
    return "archiver-iceberg";
  }

  @Override
  public Health health() {
    return Health.ok("committed " + committedRows.get() + " rows in " + commits.get()
        + " commits to " + id + " (" + rejected.get() + " unreadable records skipped)");
  }

  /** Rows committed by this archiver since it started. */
  public long committedRows() {
    return committedRows.get();
  }

  @Override
  public void close() {
    if (files != null) {
      files.abort();
    }
    commitPool.shutdown();
  }
}
