package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several enrich consumers in one process share the raw partitions; every event still lands once. */
class EnrichThreadsTest {
  @TempDir Path dir;

  @Test
  void threadsFollowCoresCappedByPartitionsUnlessSet() {
    assertThat(new TributaryConfig.Enrich(0).threadsFor(2, 4)).isEqualTo(2);
    assertThat(new TributaryConfig.Enrich(0).threadsFor(16, 4)).isEqualTo(4);
    assertThat(new TributaryConfig.Enrich(3).threadsFor(2, 4)).isEqualTo(3);
    assertThat(new TributaryConfig.Enrich(8).threadsFor(2, 4)).isEqualTo(4);
    assertThat(new TributaryConfig.Enrich(0).threadsFor(1, 1)).isEqualTo(1);
  }

  @Test
  void twoEnrichThreadsLoadEveryEventOnce() throws Exception {
    Path config = TestTributary.writeConfig(dir, dir.resolve("data"), 0, true,
        "enrich:\n  threads: 2\n");
    try (Tributary tributary = TestTributary.start(config)) {
      int port = tributary.port();
      StringBuilder batch = new StringBuilder("{\"batch\":[");
      for (int i = 0; i < 200; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"T\",\"userId\":\"u")
            .append(i % 13).append("\",\"messageId\":\"m").append(i).append("\"}");
      }
      batch.append("]}");
      for (int r = 0; r < 5; r++) {
        // the same 200 ids five times: retries, deduplicated downstream
        assertThat(TestTributary.post(port, "/v1/batch", WRITE_KEY, batch.toString()).statusCode())
            .isEqualTo(200);
      }
      await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
          .until(() -> TestTributary.count(port, "select count(*) from events") >= 200);
      // The 200 ids can load before the enricher has seen every retry; wait for all 1,000.
      JsonNode checks = await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
          .until(() -> TestTributary.readyChecks(port),
              c -> c.get("enrichment").get("detail").asText().contains("1000 good events"));
      assertThat(checks.get("enrich").get("detail").asText()).contains("enrich running on 2 threads");
      assertThat(TestTributary.count(port, "select count(*) from events")).isEqualTo(200);
    }
  }
}
