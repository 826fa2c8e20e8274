package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.lake.iceberg.EnrichedTable;
import io.tributary.lake.iceberg.IcebergTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events sent to Tributary land in the Iceberg table lake.enriched, readable by Iceberg's reader and by
 * DuckDB over the files `tributary lake files` lists, with the same rows as the warehouse's events.
 */
class IcebergLakeEndToEndTest {
  @TempDir Path dir;

  static Path icebergConfig(Path dir, int port) throws Exception {
    Path config = TestTributary.writeConfig(dir, port, true);
    Files.writeString(config, Files.readString(config).replace("lake:\n  flush_seconds: 1\n",
        "lake:\n  flush_seconds: 1\n  iceberg:\n    commit_seconds: 1\n"));
    return config;
  }

  @Test
  void eventsLandInTheIcebergTableWithTheSameRowsAsTheEventsTable() throws Exception {
    Path configFile = icebergConfig(dir, 0);
    TributaryConfig config = ConfigLoader.load(configFile, Map.of(), Map.of());
    try (Tributary t = TestTributary.start(configFile)) {
      int port = t.port();
      for (int i = 0; i < 40; i++) {
        String event = i % 2 == 0 ? "Order Completed" : "Signed Up";
        assertThat(TestTributary.post(port, "/v1/track", TestTributary.WRITE_KEY, """
            {"userId":"u%d","event":"%s","messageId":"m-%d","timestamp":"2026-11-%02dT10:00:00Z",
             "properties":{"n":%d}}""".formatted(i % 5, event, i, 20 + i % 3, i)).statusCode())
            .isEqualTo(200);
      }
      // An enriched line that cannot be read is skipped, as the loader does; later events still arrive.
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers",
          t.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
        p.send(new ProducerRecord<>(config.kafka().enrichedTopic(), "{not json".getBytes(
            StandardCharsets.UTF_8))).get();
      }
      assertThat(TestTributary.post(port, "/v1/page", TestTributary.WRITE_KEY,
          "{\"userId\":\"u1\",\"name\":\"Home\",\"messageId\":\"m-page\"}").statusCode()).isEqualTo(200);

      Catalog catalog = IcebergWiring.catalog(config);
      try {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
            .until(() -> IcebergTables.eventIds(catalog.loadTable(EnrichedTable.ID)).size() == 41
                && TestTributary.count(port, "select count(*) from events") == 41);
        Table table = catalog.loadTable(EnrichedTable.ID);
        assertThat(table.location()).isEqualTo(
            dir.resolve("data/lake/enriched").toAbsolutePath().normalize().toString());

        Map<String, Record> lake = new HashMap<>();
        IcebergTables.rows(table).forEach(r -> lake.put((String) r.getField("event_id"), r));
        JsonNode events = TestTributary.rows(port, "select event_id, event_name, event_type, user_id,"
            + " strftime(event_time, '%Y-%m-%dT%H:%M:%S.%fZ'), properties::varchar from events");
        assertThat(events).hasSize(41);
        for (JsonNode e : events) {
          Record r = lake.get(e.get(0).asText());
          assertThat(r).as("lake row of %s", e.get(0)).isNotNull();
          assertThat(r.getField("event_name")).isEqualTo(e.get(1).asText());
          assertThat(r.getField("event_type")).isEqualTo(e.get(2).asText());
          assertThat(r.getField("user_id")).isEqualTo(e.get(3).asText());
          assertThat(r.getField("event_time")).isEqualTo(OffsetDateTime.parse(e.get(4).asText()));
          if (e.get(5).isNull()) {
            assertThat(r.getField("properties")).isNull();
          } else {
            assertThat(TestTributary.JSON.readTree((String) r.getField("properties")))
                .isEqualTo(TestTributary.JSON.readTree(e.get(5).asText()));
          }
        }

        JsonNode ready = TestTributary.readyChecks(port);
        assertThat(ready.get("archiver-enriched").get("ready").asBoolean()).isTrue();
        assertThat(ready.get("archiver-iceberg").get("detail").asText())
            .contains("committed 41 rows").contains("1 unreadable records skipped");

        assertThat(duckDbIds(config)).containsExactlyInAnyOrderElementsOf(lake.keySet());
      } finally {
        IcebergTables.close(catalog);
      }
    }
  }

  /** Event ids read by DuckDB from the expression {@code tributary lake files --duckdb} prints. */
  static List<String> duckDbIds(TributaryConfig config) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LakeCommand.print(config, EnrichedTable.ID, false, true, new PrintStream(out, true, StandardCharsets.UTF_8));
    String readParquet = out.toString(StandardCharsets.UTF_8).strip();
    assertThat(readParquet).startsWith("read_parquet([");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:", new Properties());
        ResultSet rs = c.createStatement().executeQuery("select event_id from " + readParquet)) {
      List<String> ids = new java.util.ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    }
  }
}
