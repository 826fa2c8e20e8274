package io.tributary.app;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.enrich.EventProcessor;
import io.tributary.lake.LakeStore;
import io.tributary.lake.RawArchiver;
import io.tributary.warehouse.DeclaredTableRebuild;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code replay lake}: reads every raw lake file, enriches each record again as the
 * enrich stage would (records that fail validation are bad rows already, and are skipped), and
 * feeds the good events to a {@link DeclaredTableRebuild}, which then swaps the tables in. Progress
 * is readable from other threads while it runs.
 */
final class LakeRebuild implements Runnable {
  static final String RAW_PREFIX = "raw/";
  private static final Logger LOG = LoggerFactory.getLogger(LakeRebuild.class);
  private static final int BATCH = 5_000;

  enum State { RUNNING, DONE, FAILED }

  private final String id;
  private final List<String> tables;
  private final LakeStore lake;
  private final List<String> files;
  private final EventProcessor processor;
  private final DeclaredTableRebuild rebuild;
  private final long recordsTotal;
  private final AtomicLong filesDone = new AtomicLong();
  private final AtomicLong recordsDone = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();
  private volatile State state = State.RUNNING;
  private volatile String error;
  private volatile List<DeclaredTableRebuild.Swapped> result = List.of();
  private volatile boolean cancelled;

  LakeRebuild(String id, List<String> tables, LakeStore lake, List<String> files,
      EventProcessor processor, DeclaredTableRebuild rebuild) {
    this.id = id;
    this.tables = List.copyOf(tables);
    this.lake = lake;
    this.files = List.copyOf(files);
    this.processor = processor;
    this.rebuild = rebuild;
    this.recordsTotal = files.stream().mapToLong(RawArchiver::recordsIn).sum();
  }

  /** The raw lake files to read: the archiver's data files, checkpoints left out. */
  static List<String> rawFiles(LakeStore lake) {
    return lake.list(RAW_PREFIX).stream().filter(p -> p.endsWith(".ndjson.gz")).toList();
  }

  @Override
  public void run() {
    try {
      rebuild.start();
      List<byte[]> batch = new ArrayList<>(BATCH);
      for (String file : files) {
        byte[] gz = lake.get(file).orElseThrow(() -> new IOException("lake file " + file
            + " disappeared while it was being read"));
        try (InputStream in = new BufferedInputStream(
            new GZIPInputStream(new ByteArrayInputStream(gz)))) {
          for (byte[] line = line(in); line != null; line = line(in)) {
            if (cancelled) {
              throw new IOException("stopped: Tributary is shutting down");
            }
            for (EnrichedEvent e : processor.process(line).good()) {
              batch.add(EnrichedEventCodec.encode(e));
            }
            recordsDone.incrementAndGet();
            if (batch.size() >= BATCH) {
              rowsWritten.addAndGet(rebuild.add(batch));
              batch.clear();
            }
          }
        }
        filesDone.incrementAndGet();
      }
      rowsWritten.addAndGet(rebuild.add(batch));
      result = rebuild.swap();
      state = State.DONE;
      LOG.info("replay lake {}: rebuilt {} from {} files, {} records: {}", id, tables,
          files.size(), recordsDone.get(), result);
    } catch (Exception e) {
      error = e.getMessage() == null ? e.toString() : e.getMessage();
      state = State.FAILED;
      LOG.warn("replay lake {} of {} failed: {}", id, tables, error, e);
    } finally {
      rebuild.close();
    }
  }

  private static byte[] line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      out.write(b);
    }
    if (b < 0 && out.size() == 0) {
      return null;
    }
    return out.size() == 0 ? line(in) : out.toByteArray();
  }

  void cancel() {
    cancelled = true;
  }

  String id() {
    return id;
  }

  List<String> tables() {
    return tables;
  }

  State state() {
    return state;
  }

  String error() {
    return error;
  }

  List<DeclaredTableRebuild.Swapped> result() {
    return result;
  }

  int filesTotal() {
    return files.size();
  }

  long filesDone() {
    return filesDone.get();
  }

  long recordsTotal() {
    return recordsTotal;
  }

  long recordsDone() {
    return recordsDone.get();
  }

  long rowsWritten() {
    return rowsWritten.get();
  }
}
