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

  /**
   * Security settings under {@code kafka.properties} reach every client (producer, consumers,
   * admin): against a cluster that requires SASL/PLAIN, events flow with the right password, and a
   * wrong one stops the start with the broker's reason.
   */
  @Test
  void kafkaSecuritySettingsPassThroughToEveryClient() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(dir.resolve("sasl-cluster"), 1, true)) {
      Path config = saslConfig(cluster, "ok", KafkaClusterNode.SASL_PASSWORD);
      try (Tributary tributary = Tributary.start(ConfigLoader.load(config, Map.of(), Map.of()),
          System.out)) {
        assertThat(TestTributary.post(tributary.port(), "/v1/track", WRITE_KEY,
            "{\"userId\":\"u\",\"event\":\"Secure\",\"messageId\":\"sasl-1\"}").statusCode())
            .isEqualTo(200);
        await().atMost(60, TimeUnit.SECONDS).until(() -> tributary.loadedEvents() == 1);
      }
      Path wrong = saslConfig(cluster, "wrong", "not-the-password");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tributary.start(
              ConfigLoader.load(wrong, Map.of(), Map.of()), System.out).close())
          .hasStackTraceContaining("Authentication failed");
    }
  }

  private Path saslConfig(KafkaCluster cluster, String name, String password) throws Exception {
    Path config = TestTributary.writeConfig(dir.resolve(name), 0, true);
    StringBuilder kafka = new StringBuilder("kafka:\n  bootstrap: " + cluster.bootstrap()
        + "\n  partitions: 2\n  properties:\n");
    cluster.clientSecurity(password).forEach((k, v) ->
        kafka.append("    ").append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
    String yaml = Files.readString(config).replace("kafka:\n  partitions: 2\n", kafka.toString());
    Files.writeString(config, yaml);
    return config;
  }
}
