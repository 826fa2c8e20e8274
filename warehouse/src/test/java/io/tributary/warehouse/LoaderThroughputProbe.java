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
 * loads {@code events} alone, without the derived tables.
 */
@EnabledIfSystemProperty(named = "tributary.probe", matches = "true")
class LoaderThroughputProbe {
  /** Events per micro-batch: {@code -Dtributary.probe.batch} (the loader's default is 50k at most). */
  private static final int BATCH = Integer.getInteger("tributary.probe.batch", 50_000);
  private static final int BATCHES = Math.max(2, 450_000 / BATCH);
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
                : EventLoader.DEFAULT_MAX_COLUMNS_PER_TABLE)) {
      loader.open(List.of(0));
      long timedStart = 0;
      long threadCpuStart = 0;
      long processCpuStart = 0;
      for (int b = 0; b < BATCHES; b++) {
        if (b == 1) {
          timedStart = System.nanoTime();
          threadCpuStart = THREAD.getCurrentThreadCpuTime();
          processCpuStart = PROCESS.getProcessCpuTime();
        }
        long start = System.nanoTime();
        loader.write(records.subList(b * BATCH, (b + 1) * BATCH));
        loader.flush(true);
        if (BATCHES <= 20) {
          System.out.printf("probe batch %d: %.0f events/s%n", b,
              BATCH / ((System.nanoTime() - start) / 1e9));
        }
      }
      double seconds = (System.nanoTime() - timedStart) / 1e9;
      int timed = BATCH * (BATCHES - 1);
      // CPU per event depends much less than wall time on what else runs on the machine; the
      // process figure includes DuckDB's own worker threads.
      System.out.printf("probe: %d events loaded, timed %.0f events/s, loader thread %.1f CPU-us"
          + " and process %.1f CPU-us per event%n", loader.loadedEvents(), timed / seconds,
          (THREAD.getCurrentThreadCpuTime() - threadCpuStart) / 1e3 / timed,
          (PROCESS.getProcessCpuTime() - processCpuStart) / 1e3 / timed);
    }
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
      if (kind < 14) {
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
          Segment.batch(messages.subList(i, i + 100).toArray(String[]::new)));
      for (var e : SegmentNormalizer.normalize(RawRecordCodec.decode(raw.value()))) {
        out.add(new SourcedRecord(0, offset++, 0L, EnrichedEventCodec.encode(e.toEnriched())));
      }
    }
    batch.setLength(0);
    return out;
  }
}
