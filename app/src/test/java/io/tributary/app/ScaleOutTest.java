package io.tributary.app;

import static io.tributary.app.TestTributary.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.testkit.EmbeddedPostgres;
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
 * loaders on one DuckDB file (one active, one hot standby); the two archivers also commit the
 * enriched events to one Iceberg table through a shared JDBC catalog on a real PostgreSQL. Under load through both collectors, one
 * instance of each role and one Kafka node are SIGKILLed. Every acknowledged event must then be in
 * {@code events} exactly once, in the raw lake, and in the Iceberg table (each enriched-topic offset
 * exactly once), and every stage's lag must return to zero. With
 * {@code -Preliability-heavy}, five rounds: the killed processes and node restart between rounds,
 * and each round kills the other instance of each role and the next node.
 */
class ScaleOutTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir;

  /** Rounds of kills: 1 in {@code mvn verify}, more with {@code -Preliability-heavy}. */
  private static final int ROUNDS = Integer.getInteger("tributary.test.scaleout.rounds", 1);
  private static final List<String> ROLES = List.of("collector", "enricher", "archiver", "loader");

  private final Map<String, ChildTributary> running = new LinkedHashMap<>();
  private String catalogUrl;

  @Test
  void losingOneInstanceOfEveryRoleAndOneBrokerLosesAndDuplicatesNothing() throws Exception {
    Path shared = dir.resolve("shared");
    try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), 3);
        EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      catalogUrl = postgres.createDatabase("iceberg_catalog");
      try {
        // The loaders first: the one that starts first holds the file; the other waits.
        running.put("loader-1", start("loader-1", kafka, shared));
        running.put("loader-2", start("loader-2", kafka, shared));
        startAll(List.of("collector-1", "collector-2", "enricher-1", "enricher-2", "archiver-1",
            "archiver-2"), kafka, shared);
        assertThat(check(running.get("loader-2"), "loader-lock")).contains("standby");
        assertThat(TestTributary.query(running.get("loader-2").port(), ADMIN_TOKEN, "select 1")
            .statusCode()).as("a standby loader sends queries to the active one").isEqualTo(503);
        assertTopicsReplicated(kafka);

        Set<String> acked = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
          acked.addAll(killOneOfEachUnderLoad(round, kafka));
          if (round + 1 < ROUNDS) {
            restartKilled(round, kafka, shared);
          }
        }
        ChildTributary loader = running.get(activeLoader());
        Set<String> all = Set.copyOf(acked);
        await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .until(() -> eventIds(loader).containsAll(all));
        assertThat(count(loader, "select count(*) - count(distinct event_id) from events"))
            .as("event ids loaded twice").isZero();
        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .until(() -> StoredEvents.readLake(shared.resolve("lake/raw")).lakeMessageIds()
                .containsAll(all));
        assertThat(StoredEvents.readLake(shared.resolve("lake/raw")).lakeDuplicateRawIds())
            .as("raw records archived twice").isZero();
        // A killed archiver's partitions move to the survivor only after its session times out.
        TributaryConfig archiverConfig = ConfigLoader.load(dir.resolve("archiver-1/tributary.yaml"),
            Map.of(), Map.of());
        IcebergContents iceberg = await().atMost(120, TimeUnit.SECONDS)
            .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
            .until(() -> IcebergContents.read(archiverConfig), c -> c.missing(all).isEmpty());
        assertThat(iceberg.duplicateOffsets()).as("enriched offsets committed twice").isZero();
        assertThat(iceberg.gaps()).as("enriched offsets never committed").isEmpty();
        assertThat(iceberg.missing(all)).as("acknowledged but not in the Iceberg table").isEmpty();
        for (String name : running.keySet()) {
          String stage = name.startsWith("enricher") ? "enrich"
              : name.startsWith("archiver") ? "archiver-raw"
              : name.equals(activeLoader()) ? "loader" : null;
          if (stage != null) {
            await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .alias(name + " " + stage + " lag back to 0 (or no partitions)")
                .until(() -> check(running.get(name), stage), d -> d.contains("lag 0")
                    || d.contains("waiting for partitions"));
          }
        }
        System.out.printf("scale-out: %d round(s), %d acknowledged events, all loaded once and "
            + "archived; Iceberg: %d rows, %d snapshots%n", ROUNDS, all.size(), iceberg.rows(),
            iceberg.snapshots());
      } finally {
        for (ChildTributary child : running.values()) {
          child.stop();
        }
      }
    }
  }

  /**
   * Load through both collectors; SIGKILL instance {@code round % 2 + 1} of the collector, enricher
   * and archiver, the active loader, and Kafka node {@code round % 3 + 1}; load on through the
   * surviving collector. Returns every acknowledged id.
   */
  private Set<String> killOneOfEachUnderLoad(int round, KafkaCluster kafka) throws Exception {
    String victim = "-" + (round % 2 + 1);
    String survivor = "-" + (2 - round % 2);
    Set<String> acked = new HashSet<>();
    try (AckingLoad doomed = new AckingLoad(running.get("collector" + victim).port(),
            "r" + round + "c" + victim, 2, 50, 5);
        AckingLoad surviving = new AckingLoad(running.get("collector" + survivor).port(),
            "r" + round + "c" + survivor, 2, 50, 5)) {
      await().atMost(120, TimeUnit.SECONDS).until(() ->
          doomed.acked().size() >= 2_000 && surviving.acked().size() >= 2_000);
      String loader = activeLoader();
      for (String role : List.of("collector", "enricher", "archiver")) {
        running.remove(role + victim).kill();
      }
      running.remove(loader).kill();
      kafka.kill(round % 3);
      doomed.close();
      acked.addAll(doomed.acked());

      int before = surviving.acked().size();
      await().atMost(120, TimeUnit.SECONDS).until(() -> surviving.acked().size() >= before + 3_000);
      surviving.close();
      // close() waited for the requests in flight, so these are every acknowledged id.
      acked.addAll(surviving.acked());
      System.out.printf("scale-out round %d: via collector%s (killed) %s; via collector%s %s%n",
          round, victim, doomed.summary(), survivor, surviving.summary());
    }
    String standby = running.containsKey("loader-1") ? "loader-1" : "loader-2";
    await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> !check(running.get(standby), "loader-lock").contains("standby"));
    return acked;
  }

  private void restartKilled(int round, KafkaCluster kafka, Path shared) throws Exception {
    kafka.restart(round % 3);
    List<String> names = new ArrayList<>();
    for (String role : ROLES) {
      for (String n : List.of(role + "-1", role + "-2")) {
        if (!running.containsKey(n)) {
          names.add(n);
        }
      }
    }
    startAll(names, kafka, shared);
  }

  private void startAll(List<String> names, KafkaCluster kafka, Path shared) throws Exception {
    Map<String, ChildTributary> launched = new LinkedHashMap<>();
    for (String name : names) {
      launched.put(name, launch(name, kafka, shared));
    }
    for (Map.Entry<String, ChildTributary> e : launched.entrySet()) {
      e.getValue().waitHealthy();
      running.put(e.getKey(), e.getValue());
    }
  }

  /** The loader that holds the DuckDB file (the other is a standby, or dead). */
  private String activeLoader() {
    for (String name : List.of("loader-1", "loader-2")) {
      ChildTributary loader = running.get(name);
      if (loader != null && check(loader, "loader-lock").startsWith("this process holds")) {
        return name;
      }
    }
    throw new AssertionError("no active loader among " + running.keySet());
  }

  private ChildTributary start(String name, KafkaCluster kafka, Path shared) throws Exception {
    ChildTributary child = launch(name, kafka, shared);
    child.waitHealthy();
    return child;
  }

  private ChildTributary launch(String name, KafkaCluster kafka, Path shared) throws Exception {
    String roles = name.substring(0, name.indexOf('-'));
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
          iceberg:
            commit_seconds: 2
            catalog:
              type: jdbc
              uri: %s
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
        catalogUrl, shared.resolve("warehouse.duckdb"), ADMIN_TOKEN, TestTributary.WRITE_KEY);
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
