package io.tributary.lake;

import io.tributary.core.PartitionedSink;
import io.tributary.core.SourcedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Archives the raw topic into the lake as immutable gzip NDJSON files, one record per line as it was
 * on the topic:
 *
 * <pre>{prefix}/dt=2026-11-22/hr=13/part-00003-00000000000000001200-00000000000000001899.ndjson.gz</pre>
 *
 * <p>Partitioned by the record's receive time (UTC date and hour) and named by topic partition and
 * first and last offset. A write-ahead checkpoint makes a retried flush cover exactly the same offsets,
 * so a crash at any point leads to the same files being rewritten, never to overlapping ones.
 */
public final class RawArchiver implements PartitionedSink {
  private static final DateTimeFormatter HOUR_DIR =
      DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hr='HH").withZone(ZoneOffset.UTC);

  private final LakeStore store;
  private final ArchiverSettings settings;
  private final Clock clock;
  private final Map<Integer, PartitionBuffer> buffers = new HashMap<>();

  public RawArchiver(LakeStore store, ArchiverSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  private static final class PartitionBuffer {
    final List<SourcedRecord> records = new ArrayList<>();
    long bytes;
    long firstArrivalMillis;
    Long pendingEnd;
  }

  @Override
  public Map<Integer, Long> open(Collection<Integer> partitions) {
    Map<Integer, Long> resume = new HashMap<>();
    for (int p : partitions) {
      PartitionBuffer buffer = new PartitionBuffer();
      String path = checkpointPath(p);
      store.get(path).map(json -> Checkpoint.parse(json, path)).ifPresent(cp -> {
        resume.put(p, cp.nextOffset());
        buffer.pendingEnd = cp.pendingEnd();
      });
      buffers.put(p, buffer);
    }
    return resume;
  }

  @Override
  public void write(List<SourcedRecord> records) {
    long now = clock.millis();
    for (SourcedRecord r : records) {
      PartitionBuffer buffer = buffers.computeIfAbsent(r.partition(), p -> new PartitionBuffer());
      if (buffer.records.isEmpty()) {
        buffer.firstArrivalMillis = now;
      }
      buffer.records.add(r);
      buffer.bytes += r.value().length + 1;
    }
  }

  @Override
  public Map<Integer, Long> flush(boolean force) {
    Map<Integer, Long> durable = new HashMap<>();
    long now = clock.millis();
    for (Map.Entry<Integer, PartitionBuffer> e : buffers.entrySet()) {
      PartitionBuffer buffer = e.getValue();
      if (buffer.records.isEmpty()) {
        continue;
      }
      List<SourcedRecord> segment = dueSegment(buffer, force, now);
      if (segment != null) {
        durable.put(e.getKey(), publish(e.getKey(), buffer, segment));
      }
    }
    // maxBytes bounds what all partitions hold together, not each (the heap holds it): while they
    // hold more, the fullest is published, so that files stay as large as the bound allows.
    while (bufferedBytes() >= settings.maxBytes()) {
      Map.Entry<Integer, PartitionBuffer> fullest = buffers.entrySet().stream()
          .filter(e -> e.getValue().pendingEnd == null && !e.getValue().records.isEmpty())
          .max(java.util.Comparator.comparingLong(e -> e.getValue().bytes)).orElse(null);
      if (fullest == null) {
        break; // only interrupted flushes waiting for their records: they publish as those come
      }
      PartitionBuffer buffer = fullest.getValue();
      durable.put(fullest.getKey(),
          publish(fullest.getKey(), buffer, new ArrayList<>(buffer.records)));
    }
    return durable;
  }

  private long bufferedBytes() {
    long bytes = 0;
    for (PartitionBuffer buffer : buffers.values()) {
      bytes += buffer.bytes;
    }
    return bytes;
  }

  /** The records to publish now, or null when nothing is due. */
  private List<SourcedRecord> dueSegment(PartitionBuffer buffer, boolean force, long now) {
    List<SourcedRecord> records = buffer.records;
    if (buffer.pendingEnd != null) {
      // Redo exactly the interrupted flush once all of its records are back.
      long end = buffer.pendingEnd;
      if (records.get(records.size() - 1).offset() < end) {
        return null;
      }
      int n = 0;
      while (n < records.size() && records.get(n).offset() <= end) {
        n++;
      }
      return new ArrayList<>(records.subList(0, n));
    }
    boolean due = force
        || records.size() >= settings.maxRecords()
        || buffer.bytes >= settings.maxBytes()
        || now - buffer.firstArrivalMillis >= settings.maxAge().toMillis();
    return due ? new ArrayList<>(records) : null;
  }

  private long publish(int partition, PartitionBuffer buffer, List<SourcedRecord> segment) {
    long first = segment.get(0).offset();
    long last = segment.get(segment.size() - 1).offset();
    if (buffer.pendingEnd == null) {
      store.put(checkpointPath(partition), new Checkpoint(first, last).toJson());
    }
    Map<String, List<SourcedRecord>> byHour = new LinkedHashMap<>();
    for (SourcedRecord r : segment) {
      byHour.computeIfAbsent(HOUR_DIR.format(Instant.ofEpochMilli(r.timestampMillis())),
          h -> new ArrayList<>()).add(r);
    }
    byHour.forEach((hour, records) -> store.put(filePath(hour, partition, records), gzipLines(records)));
    store.put(checkpointPath(partition), new Checkpoint(last + 1, null).toJson());
    buffer.pendingEnd = null;
    buffer.records.subList(0, segment.size()).clear();
    buffer.bytes = buffer.records.stream().mapToLong(r -> r.value().length + 1).sum();
    buffer.firstArrivalMillis = clock.millis();
    return last + 1;
  }

  /** Records in a data file, from the first and last offset in its name (0 if it has none). */
  public static long recordsIn(String path) {
    java.util.regex.Matcher m = FILE_NAME.matcher(path);
    return m.find() ? Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)) + 1 : 0;
  }

  private String filePath(String hourDir, int partition, List<SourcedRecord> records) {
    return String.format("%s/%s/part-%05d-%020d-%020d.ndjson.gz", settings.prefix(), hourDir,
        partition, records.get(0).offset(), records.get(records.size() - 1).offset());
  }

  /** The name {@link #filePath} writes: partition, first offset, last offset. */
  private static final java.util.regex.Pattern FILE_NAME =
      java.util.regex.Pattern.compile("part-\\d+-(\\d+)-(\\d+)\\.ndjson\\.gz$");

  private String checkpointPath(int partition) {
    return String.format("_checkpoints/%s/partition-%05d.json", settings.prefix(), partition);
  }

  private static byte[] gzipLines(List<SourcedRecord> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new FastGzip(out)) {
      for (SourcedRecord r : records) {
        gz.write(r.value());
        gz.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** gzip at the fastest level: the raw lake is written far more often than it is read. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(ByteArrayOutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  @Override
  public void closePartitions(Collection<Integer> partitions) {
    partitions.forEach(buffers::remove);
  }
}
