package io.tributary.app;

import static io.tributary.app.TestTributary.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out topology on one machine: a real 3-node KRaft Kafka cluster (each node its own JVM),
 * topics with replication factor 3 and {@code min.insync.replicas=2}, and two instances of every
 * role, each its own process: two collectors, two enrichers, two archivers sharing one lake, and two
 * loaders on one DuckDB file (one active, one hot standby). Under load through both collectors, one
 * instance of each role and one Kafka node are SIGKILLed. Every acknowledged event must then be in
 * {@code events} exactly once and in the raw lake, and every stage's lag must return to zero.
 */
class ScaleOutTest {
  @TempDir Path dir;

  @Test
  void losingOneInstanceOfEveryRoleAndOneBrokerLosesAndDuplicatesNothing() throws Exception {
    Path shared = dir.resolve("shared");
    Map<String, ChildTributary> running = new LinkedHashMap<>();
    try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), 3)) {
      try {
        // The loaders first: the one that starts first holds the file; the other waits.
        running.put("loader-1", start("loader-1", "loader", kafka, shared));
        running.put("loader-2", start("loader-2", "loader", kafka, shared));
        List<String> others = List.of("collector-1", "collector-2", "enricher-1", "enricher-2",
            "archiver-1", "archiver-2");
        Map<String, ChildTributary> launched = new LinkedHashMap<>();
        for (String name : others) {
          launched.put(name, launch(name, name.substring(0, name.indexOf('-')), kafka, shared));
        }
        for (Map.Entry<String, ChildTributary> e : launched.entrySet()) {
          e.getValue().waitHealthy();
          running.put(e.getKey(), e.getValue());
        }
        assertThat(check(running.get("loader-2"), "loader-lock")).contains("standby");
        assertThat(TestTributary.query(running.get("loader-2").port(), ADMIN_TOKEN, "select 1")
            .statusCode()).as("a standby loader sends queries to the active one").isEqualTo(503);
        assertTopicsReplicated(kafka);

        Set<String> acked = new HashSet<>();
        try (AckingLoad viaFirst = new AckingLoad(running.get("collector-1").port(), "c1", 2, 50, 5);
            AckingLoad viaSecond = new AckingLoad(running.get("collector-2").port(), "c2", 2, 50, 5)) {
          await().atMost(120, TimeUnit.SECONDS).until(() ->
              viaFirst.acked().size() >= 2_000 && viaSecond.acked().size() >= 2_000);

          for (String victim : List.of("collector-1", "enricher-1", "archiver-1", "loader-1")) {
            running.remove(victim).kill();
          }
          kafka.kill(2);
          viaFirst.close();
          acked.addAll(viaFirst.acked());

          int before = viaSecond.acked().size();
          await().atMost(120, TimeUnit.SECONDS).until(() -> viaSecond.acked().size() >= before + 3_000);
          viaSecond.close();
          // close() waited for the requests in flight, so these are every acknowledged id.
          acked.addAll(viaSecond.acked());
          System.out.printf("scale-out load: via collector-1 (killed) %s; via collector-2 %s%n",
              viaFirst.summary(), viaSecond.summary());
        }
        ChildTributary loader = running.get("loader-2");
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> !check(loader, "loader-lock").contains("standby"));
        Set<String> all = new HashSet<>(acked);
        await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .until(() -> eventIds(loader).containsAll(all));
        assertThat(count(loader, "select count(*) - count(distinct event_id) from events"))
            .as("event ids loaded twice").isZero();
        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .until(() -> StoredEvents.readLake(shared.resolve("lake/raw")).lakeMessageIds()
                .containsAll(all));
        for (String[] stage : new String[][] {{"enricher-2", "enrich"}, {"archiver-2", "archiver-raw"},
            {"loader-2", "loader"}}) {
          await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
              .until(() -> TestTributary.stageLag(running.get(stage[0]).port(), stage[1]) == 0);
        }
        assertThat(StoredEvents.readLake(shared.resolve("lake/raw")).lakeDuplicateRawIds())
            .as("raw records archived twice").isZero();
        System.out.printf("scale-out: %d acknowledged events, all loaded once and archived%n",
            all.size());
      } finally {
        for (ChildTributary child : running.values()) {
          child.stop();
        }
      }
    }
  }

  private ChildTributary start(String name, String roles, KafkaCluster kafka, Path shared)
      throws Exception {
    ChildTributary child = launch(name, roles, kafka, shared);
    child.waitHealthy();
    return child;
  }

  private ChildTributary launch(String name, String roles, KafkaCluster kafka, Path shared)
      throws Exception {
    int port = ChildTributary.freePort();
    Path home = dir.resolve(name);
    Files.createDirectories(home);
    String yaml = """
        data_dir: %s
        http:
          bind: 127.0.0.1
          port: %d
        kafka:
          bootstrap: %s
          partitions: 4
          replication_factor: 3
          properties:
            # a killed member's partitions move after 10 s instead of the 45 s default
            session.timeout.ms: "10000"
        lake:
          dir: %s
          flush_seconds: 1
        warehouse:
          path: %s
          batch_max_millis: 200
        query:
          max_rows: 1000000
        admin_token: %s
        sources:
          - name: web
            write_key: %s
        """.formatted(home.resolve("data"), port, kafka.bootstrap(), shared.resolve("lake"),
        shared.resolve("warehouse.duckdb"), ADMIN_TOKEN, TestTributary.WRITE_KEY);
    Path config = home.resolve("tributary.yaml");
    Files.writeString(config, yaml);
    return ChildTributary.launchChild(config, port, dir.resolve(name + ".log"), "--roles", roles);
  }

  private static void assertTopicsReplicated(KafkaCluster kafka) throws Exception {
    try (Admin admin = kafka.admin()) {
      List<String> topics = List.of("tributary.raw", "tributary.enriched", "tributary.bad");
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
          .get(30, TimeUnit.SECONDS);
      for (TopicDescription d : described.values()) {
        assertThat(d.partitions()).hasSize(4)
            .allSatisfy(p -> assertThat(p.replicas()).as(d.name()).hasSize(3));
      }
      List<ConfigResource> resources = new ArrayList<>();
      topics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
          .get(30, TimeUnit.SECONDS);
      configs.forEach((r, c) -> assertThat(c.get("min.insync.replicas").value()).as(r.name())
          .isEqualTo("2"));
    }
  }

  private static String check(ChildTributary child, String name) {
    JsonNode c = TestTributary.readyChecks(child.port()).get(name);
    return c == null ? "" : c.get("detail").asText();
  }

  private static long count(ChildTributary loader, String sql) {
    return TestTributary.count(loader.port(), ADMIN_TOKEN, sql);
  }

  private static Set<String> eventIds(ChildTributary loader) {
    Set<String> ids = new HashSet<>();
    for (JsonNode row : TestTributary.rows(loader.port(), ADMIN_TOKEN, "select event_id from events")) {
      ids.add(row.get(0).asText());
    }
    return ids;
  }
}
