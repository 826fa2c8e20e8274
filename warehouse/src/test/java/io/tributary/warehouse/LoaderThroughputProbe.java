package io.tributary.warehouse;

import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.ManualClock;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SourcedRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loader throughput by hand, not a test of the build: {@code mvn -o -pl warehouse -am verify
 * -Dtest=LoaderThroughputProbe -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.probe=true}.
 * Loads 450k enriched Segment events (70 % track over 10 event names, 15 % page, 10 % identify, 5 %
 * group; each with a browser's context) in 50k-event micro-batches ({@code -Dtributary.probe.batch}
 * for others) and prints events/s and CPU
 * time per event of the timed batches (after one warm-up). {@code -Dtributary.probe.noTables=true}
 * loads {@code events} alone, without the derived tables. {@code -Dtributary.probe.window=N} first
 * fills {@code events} with N other events (random ids, in the range of the probe's) received within
 * the dedupe window before the probe's, as a loader that has run for a while has them; {@code
 * -Dtributary.probe.noIndex=true} checks duplicates without the {@link EventIdIndex}.
 */
@EnabledIfSystemProperty(named = "tributary.probe", matches = "true")
class LoaderThroughputProbe {
  /** Events per micro-batch: {@code -Dtributary.probe.batch} (the loader's default is 50k at most). */
  private static final int BATCH = Integer.getInteger("tributary.probe.batch", 50_000);
  private static final int BATCHES = Math.max(2, 450_000 / BATCH);
  /** {@code -Dtributary.probe.shape=bench}: the events {@code bin/tributary bench} sends instead. */
  private static final boolean BENCH_SHAPE = "bench".equals(System.getProperty("tributary.probe.shape"));
  /**
   * {@code -Dtributary.probe.checkpointEvery=N}: a {@code CHECKPOINT} after every N events, as the
   * running loader does once caught up (about 120k events at its default 256 MB of log).
   */
  private static final int CHECKPOINT_EVERY = Integer.getInteger("tributary.probe.checkpointEvery", 0);
  private static final java.lang.management.ThreadMXBean THREAD =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  @TempDir Path dir;

  @Test
  void loadEnrichedSegmentEvents() {
    List<SourcedRecord> records = records(BATCH * BATCHES);
    ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"));
        EventLoader loader = new EventLoader(warehouse,
            new LoaderSettings("probe", "enriched", BATCH * 2, Duration.ofSeconds(5)), clock,
            EventLoader.ENRICHED, Boolean.getBoolean("tributary.probe.noTables") ? 0
                : EventLoader.DEFAULT_MAX_COLUMNS_PER_TABLE, true,
            Boolean.getBoolean("tributary.probe.noTables") ? null
                : io.tributary.core.tables.SchemaColumnTypes.NONE, List.of(),
            !Boolean.getBoolean("tributary.probe.noIndex"))) {
      loader.open(List.of(0));
      long window = Long.getLong("tributary.probe.window", 0);
      // The window is filled after the warm-up batch, as a loader that has run for a while (its
      // index, if any, catches up with them in the next batch, which is not timed either).
      int firstTimed = window > 0 ? 2 : 1;
      long timedStart = 0;
      long threadCpuStart = 0;
      int checkpoints = 0;
      long checkpointCpu = 0;
      long checkpointWall = 0;
      long processCpuStart = 0;
      for (int b = 0; b < BATCHES; b++) {
        if (b == 1 && window > 0) {
          fillWindow(warehouse, window);
          loader.resyncIndex();
        }
        if (b == firstTimed) {
          timedStart = System.nanoTime();
          threadCpuStart = THREAD.getCurrentThreadCpuTime();
          processCpuStart = PROCESS.getProcessCpuTime();
        }
        long start = System.nanoTime();
        loader.write(records.subList(b * BATCH, (b + 1) * BATCH));
        loader.flush(true);
        if (b < 20 && Boolean.getBoolean("tributary.probe.walTrace")) {
          System.out.printf("probe batch %d: %d KB of log%n", b, warehouse.walBytes() >> 10);
        }
        if (CHECKPOINT_EVERY > 0 && (b + 1) * BATCH / CHECKPOINT_EVERY > b * BATCH / CHECKPOINT_EVERY
            && b >= firstTimed) {
          long walBytes = warehouse.walBytes();
          long cpu = THREAD.getCurrentThreadCpuTime();
          long wall = System.nanoTime();
          checkpoint(warehouse);
          checkpoints++;
          checkpointCpu += THREAD.getCurrentThreadCpuTime() - cpu;
          checkpointWall += System.nanoTime() - wall;
          System.out.printf("probe checkpoint after %d events, %d MB of log: %d ms (%d CPU-ms)%n",
              (b + 1) * BATCH, walBytes >> 20, (System.nanoTime() - wall) / 1_000_000,
              (THREAD.getCurrentThreadCpuTime() - cpu) / 1_000_000);
        }
        if (BATCHES <= 20) {
          System.out.printf("probe batch %d: %.0f events/s%n", b,
              BATCH / ((System.nanoTime() - start) / 1e9));
        }
      }
      double seconds = (System.nanoTime() - timedStart) / 1e9;
      int timed = BATCH * (BATCHES - firstTimed);
      // CPU per event depends much less than wall time on what else runs on the machine; the
      // process figure includes DuckDB's own worker threads.
      System.out.printf("probe: %d events loaded, timed %.0f events/s, loader thread %.1f CPU-us"
          + " and process %.1f CPU-us per event%n", loader.loadedEvents(), timed / seconds,
          (THREAD.getCurrentThreadCpuTime() - threadCpuStart) / 1e3 / timed,
          (PROCESS.getProcessCpuTime() - processCpuStart) / 1e3 / timed);
      if (checkpoints > 0) {
        System.out.printf("probe: %d checkpoints, %.0f ms each (%.0f CPU-ms on the loader thread),"
            + " %.1f CPU-us per event, included above%n", checkpoints,
            checkpointWall / 1e6 / checkpoints, checkpointCpu / 1e6 / checkpoints,
            checkpointCpu / 1e3 / timed);
      }
    }
    System.out.printf("probe: database file %.1f MB%n", dir.resolve("w.duckdb").toFile().length() / 1e6);
    Path index = EventLoader.indexDir(dir.resolve("w.duckdb"), "probe");
    try (var files = java.nio.file.Files.walk(index)) {
      System.out.printf("probe: index of loaded ids %.1f MB on disk%n", files.filter(
          java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum() / 1e6);
    } catch (java.io.IOException e) {
      System.out.println("probe: no index (" + e + ")");
    }
  }

  private static void checkpoint(DuckDbWarehouse warehouse) {
    try (var conn = warehouse.newConnection(); var st = conn.createStatement()) {
      st.execute("CHECKPOINT");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** N events received in the 12 h before the probe's, each with an id, a source and times. */
  private static void fillWindow(DuckDbWarehouse warehouse, long n) {
    if (n == 0) {
      return;
    }
    long start = System.nanoTime();
    try (var conn = warehouse.newConnection(); var st = conn.createStatement()) {
      st.execute("INSERT INTO events (event_id, source, protocol, event_type, received_at,"
          + " event_time, raw_id, loaded_at) SELECT 'm' || uuid()::VARCHAR, 'web', 'segment', 'track',"
          + " TIMESTAMP '" + Segment.RECEIVED.toString().replace("T", " ").replace("Z", "")
          + "' - INTERVAL 12 HOUR + to_microseconds((i * 43200000000 // " + n + ")::BIGINT),"
          + " TIMESTAMP '2026-11-22 00:00:00', 'raw', now()::TIMESTAMP FROM range(" + n + ") t(i)");
      // Loaded by "another batch": the index sees the database ahead of it and catches up.
      st.execute("UPDATE _tributary_offsets SET next_offset = next_offset + 1");
      st.execute("CHECKPOINT");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    System.out.printf("probe: %d events in the window, filled in %.1f s%n", n,
        (System.nanoTime() - start) / 1e9);
  }

  private static final String CONTEXT = ",\"context\":{\"ip\":\"203.0.113.7\",\"userAgent\":"
      + "\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
      + " Version/17.0 Safari/605.1.15\",\"page\":{\"url\":\"https://shop.example.com/checkout"
      + "?utm_source=newsletter&utm_medium=email\",\"referrer\":\"https://www.google.com/\"},"
      + "\"library\":{\"name\":\"analytics.js\",\"version\":\"2.1\"}}}";

  private static List<SourcedRecord> records(int n) {
    List<SourcedRecord> out = new ArrayList<>(n);
    StringBuilder batch = new StringBuilder();
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int kind = i % 20;
      String m;
      if (BENCH_SHAPE) {
        // As `bin/tributary bench` sends: one event name, a UUID-like id, a ~650-byte event.
        m = "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-" + (i % 1000)
            + "\",\"anonymousId\":\"4f1c7a2e-9a51-4c1e-8f11-2b9e0c5f6a77\",\"messageId\":\""
            + String.format("%08x-0000-4000-8000-%012d", i, i) + "\",\"properties\":{\"revenue\":19.99,"
            + "\"currency\":\"EUR\",\"products\":[{\"sku\":\"A-1\",\"qty\":2}],\"note\":\""
            + "Thank you for your order, it ships tomorrow. ".repeat(3) + "\"}}";
      } else if (kind < 14) {
        m = "{\"type\":\"track\",\"event\":\"Event Number " + (i % 10) + "\",\"userId\":\"u" + (i % 5000)
            + "\",\"messageId\":\"m" + i + "\",\"properties\":{\"total\":" + (i % 100)
            + ",\"price\":" + (i % 7) + ".5,\"currency\":\"EUR\",\"sku\":\"SKU-" + (i % 300)
            + "\",\"coupon\":null,\"address\":{\"city\":\"Paris\",\"zip\":\"75001\"},"
            + "\"tags\":[\"a\",\"b\"],\"gift\":" + (i % 2 == 0) + "}}";
      } else if (kind < 17) {
        m = "{\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"a" + i + "\",\"messageId\":\"m" + i
            + "\",\"properties\":{\"url\":\"https://shop.example/p/" + i + "\",\"title\":\"T\"}}";
      } else if (kind < 19) {
        m = "{\"type\":\"identify\",\"userId\":\"u" + (i % 5000) + "\",\"messageId\":\"m" + i
            + "\",\"traits\":{\"email\":\"u" + i + "@example.com\",\"plan\":\"pro\",\"logins\":" + i
            + "}}";
      } else {
        m = "{\"type\":\"group\",\"groupId\":\"g" + (i % 50) + "\",\"userId\":\"u" + (i % 5000)
            + "\",\"messageId\":\"m" + i + "\",\"traits\":{\"name\":\"ACME\",\"employees\":" + i + "}}";
      }
      // Every event with the context a browser SDK sends (as `bin/tributary bench` does).
      messages.add(m.substring(0, m.length() - 1) + CONTEXT);
    }
    long offset = 0;
    for (int i = 0; i < n; i += 100) {
      SourcedRecord raw = Segment.record(0, offset, "raw-" + offset,
          Segment.batch(messages.subList(i, Math.min(n, i + 100)).toArray(String[]::new)));
      for (var e : SegmentNormalizer.normalize(RawRecordCodec.decode(raw.value()))) {
        out.add(new SourcedRecord(0, offset++, 0L, EnrichedEventCodec.encode(e.toEnriched())));
      }
    }
    batch.setLength(0);
    return out;
  }
}
