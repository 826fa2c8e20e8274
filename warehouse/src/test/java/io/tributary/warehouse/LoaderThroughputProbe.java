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
 * Loads 200k enriched Segment events (70 % track over 10 event names, 15 % page, 10 % identify, 5 %
 * group) in 50k-event micro-batches and prints events/s of the timed batches (after one warm-up).
 */
@EnabledIfSystemProperty(named = "tributary.probe", matches = "true")
class LoaderThroughputProbe {
  private static final int BATCH = 50_000;
  private static final int BATCHES = 5;

  @TempDir Path dir;

  @Test
  void loadEnrichedSegmentEvents() {
    List<SourcedRecord> records = records(BATCH * BATCHES);
    ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"));
        EventLoader loader = new EventLoader(warehouse,
            new LoaderSettings("probe", "enriched", BATCH * 2, Duration.ofSeconds(5)), clock,
            EventLoader.ENRICHED)) {
      loader.open(List.of(0));
      long timedStart = 0;
      for (int b = 0; b < BATCHES; b++) {
        if (b == 1) {
          timedStart = System.nanoTime();
        }
        long start = System.nanoTime();
        loader.write(records.subList(b * BATCH, (b + 1) * BATCH));
        loader.flush(true);
        System.out.printf("probe batch %d: %.0f events/s%n", b,
            BATCH / ((System.nanoTime() - start) / 1e9));
      }
      double seconds = (System.nanoTime() - timedStart) / 1e9;
      System.out.printf("probe: %d events loaded, timed %.0f events/s%n", loader.loadedEvents(),
          BATCH * (BATCHES - 1) / seconds);
    }
  }

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
      messages.add(m);
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
