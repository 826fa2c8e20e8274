package io.tributary.app;

import static io.tributary.app.TestTributary.ADMIN_TOKEN;
import static io.tributary.app.TestTributary.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With kafka.bootstrap set, Tributary uses that cluster and starts no broker of its own. */
class ExternalKafkaTest {
  @TempDir Path dir;

  @Test
  void usesTheConfiguredClusterInsteadOfAnInProcessBroker() throws Exception {
    try (EmbeddedKafka cluster = EmbeddedKafka.start(dir.resolve("existing-cluster"), false)) {
      Path config = TestTributary.writeConfig(dir.resolve("t"), 0, true);
      TributaryConfig loaded = ConfigLoader.load(config,
          Map.of("TRIBUTARY_KAFKA_BOOTSTRAP", cluster.bootstrapServers()), Map.of());
      try (Tributary tributary = Tributary.start(loaded, System.out)) {
        assertThat(tributary.bootstrapServers()).isEqualTo(cluster.bootstrapServers());
        assertThat(Files.exists(loaded.dataPath().resolve("kafka"))).isFalse();
        assertThat(TestTributary.post(tributary.port(), "/v1/track", WRITE_KEY,
            "{\"userId\":\"u\",\"event\":\"External\",\"messageId\":\"ext-1\"}").statusCode())
            .isEqualTo(200);
        await().atMost(30, TimeUnit.SECONDS).until(() -> tributary.loadedEvents() == 1);
      }
      // No server running now: `tributary query` opens the DuckDB file read-only itself.
      String answer = new QueryClient(loaded, null, ADMIN_TOKEN)
          .run("select event_name, count(*) as n from events group by 1", true);
      assertThat(answer).contains("\"External\"").contains("[[\"External\",1]]");
      assertThat(QueryClient.table(TestTributary.JSON.readTree(answer))).contains("External", "(1 row)");
    }
  }
}
