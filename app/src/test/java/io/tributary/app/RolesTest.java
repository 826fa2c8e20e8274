package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.ConfigException;
import io.tributary.kafka.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split deployment on one Kafka cluster: a collector, two enrichers (one leaves half way), and a
 * loader + archiver, each an instance of its own with its own data dir. Events sent to the
 * collector are queryable from the loader, also after an enricher stops.
 */
class RolesTest {
  @TempDir Path dir;

  @Test
  void rolesRunApartAndShareTheWorkThroughKafkaConsumerGroups() throws Exception {
    try (EmbeddedKafka cluster = EmbeddedKafka.start(dir.resolve("cluster"), false)) {
      Map<String, String> env = Map.of("TRIBUTARY_KAFKA_BOOTSTRAP", cluster.bootstrapServers());
      try (Tributary collector = start("collector", env, EnumSet.of(Role.COLLECTOR));
          Tributary enricher1 = start("enricher-1", env, EnumSet.of(Role.ENRICHER));
          Tributary loader = start("loader", env, EnumSet.of(Role.LOADER, Role.ARCHIVER))) {
        assertThat(checks(collector)).containsExactlyInAnyOrder("disk", "raw-topic");
        assertThat(checks(enricher1)).containsExactlyInAnyOrder("disk", "enrich", "enrichment");
        assertThat(checks(loader)).containsExactlyInAnyOrder("disk", "raw-topic", "loader",
            "warehouse", "bad-loader", "bad-rows", "archiver-raw", "archiver-bad", "archiver-enriched",
            "archiver-iceberg", "loader-lock");

        HttpResponse<String> notHere = TestTributary.post(loader.port(), "/v1/track", WRITE_KEY,
            track("nowhere"));
        assertThat(notHere.statusCode()).isEqualTo(404);
        assertThat(notHere.body()).contains("does not run the collector role");
        assertThat(TestTributary.query(collector.port(), TestTributary.ADMIN_TOKEN, "select 1")
            .statusCode()).isEqualTo(404);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          String id = "before-" + i;
          assertThat(TestTributary.post(collector.port(), "/v1/track", WRITE_KEY, track(id))
              .statusCode()).isEqualTo(200);
          sent.add(id);
        }
        awaitLoaded(loader, sent.size());

        // A second enricher joins the group; then the first stops: the second takes over.
        try (Tributary enricher2 = start("enricher-2", env, EnumSet.of(Role.ENRICHER))) {
          enricher1.close();
          for (int i = 0; i < 20; i++) {
            String id = "after-" + i;
            assertThat(TestTributary.post(collector.port(), "/v1/track", WRITE_KEY, track(id))
                .statusCode()).isEqualTo(200);
            sent.add(id);
          }
          awaitLoaded(loader, sent.size());
        }
        assertThat(TestTributary.count(loader.port(),
            "select count(distinct event_id) from events")).isEqualTo(sent.size());
      }
    }
  }

  @Test
  void aSubsetOfRolesNeedsASharedKafkaCluster() {
    Path config = TestTributary.writeConfig(dir.resolve("alone"), 0, true);
    TributaryConfig loaded = ConfigLoader.load(config, Map.of(), Map.of());
    assertThatThrownBy(() -> Tributary.start(loaded, EnumSet.of(Role.COLLECTOR), System.out))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.bootstrap");
  }

  @Test
  void aSplitArchiverNeedsASharedIcebergCatalog() {
    Path config = TestTributary.writeConfig(dir.resolve("archiver"), 0, true);
    TributaryConfig loaded = ConfigLoader.load(config,
        Map.of("TRIBUTARY_KAFKA_BOOTSTRAP", "127.0.0.1:9"), Map.of());
    assertThatThrownBy(() -> Tributary.start(loaded, EnumSet.of(Role.ARCHIVER), System.out))
        .isInstanceOf(ConfigException.class).hasMessageContaining("lake.iceberg.catalog");
  }

  @Test
  void rolesParseCommaSeparatedNamesAndRejectUnknownOnes() {
    assertThat(Role.parse(null)).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(Role.parse(" Collector , loader")).isEqualTo(EnumSet.of(Role.COLLECTOR, Role.LOADER));
    assertThatThrownBy(() -> Role.parse("collector,broker")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown role 'broker'");
  }

  private Tributary start(String name, Map<String, String> env, Set<Role> roles) {
    Path config = TestTributary.writeConfig(dir.resolve(name), 0, true);
    // The enriched lake of a split deployment needs a catalog every archiver shares.
    Map<String, String> sharedCatalog = Map.of("lake.iceberg.catalog.type", "jdbc",
        "lake.iceberg.catalog.uri", "jdbc:sqlite:" + dir.resolve("iceberg-catalog.sqlite"));
    return Tributary.start(ConfigLoader.load(config, env, sharedCatalog), roles, System.out);
  }

  private static String track(String messageId) {
    return "{\"userId\":\"u\",\"event\":\"Split\",\"messageId\":\"" + messageId + "\"}";
  }

  private static void awaitLoaded(Tributary loader, int events) {
    await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() ->
        TestTributary.count(loader.port(), "select count(*) from events") >= events);
  }

  private static List<String> checks(Tributary t) throws Exception {
    HttpResponse<String> r = TestTributary.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + t.port() + "/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode checks = TestTributary.JSON.readTree(r.body()).get("checks");
    List<String> names = new ArrayList<>();
    checks.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
