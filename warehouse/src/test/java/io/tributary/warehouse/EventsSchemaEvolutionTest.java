package io.tributary.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import io.tributary.core.ManualClock;
import io.tributary.core.SourcedRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse file written by the previous version is upgraded in place when opened. */
class EventsSchemaEvolutionTest {
  /** The events table of the previous version, exactly as it created it. */
  private static final String OLD_EVENTS = """
      CREATE TABLE events (
      event_id VARCHAR NOT NULL PRIMARY KEY,
      source VARCHAR NOT NULL,
      event_type VARCHAR NOT NULL,
      event_name VARCHAR,
      user_id VARCHAR,
      anonymous_id VARCHAR,
      group_id VARCHAR,
      previous_id VARCHAR,
      received_at TIMESTAMP NOT NULL,
      sent_at TIMESTAMP,
      original_timestamp TIMESTAMP,
      event_time TIMESTAMP NOT NULL,
      properties JSON,
      traits JSON,
      context JSON,
      ip VARCHAR,
      user_agent VARCHAR,
      page_url VARCHAR,
      page_path VARCHAR,
      page_referrer VARCHAR,
      page_title VARCHAR,
      library_name VARCHAR,
      library_version VARCHAR,
      raw_id VARCHAR NOT NULL,
      loaded_at TIMESTAMP NOT NULL)""";
  private static final String OLD_OFFSETS = "CREATE TABLE _tributary_offsets (consumer VARCHAR"
      + " NOT NULL, topic VARCHAR NOT NULL, \"partition\" INTEGER NOT NULL, next_offset BIGINT"
      + " NOT NULL, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (consumer, topic, \"partition\"))";

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));

  private Path oldFile() throws SQLException {
    Path file = dir.resolve("warehouse.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        Statement st = c.createStatement()) {
      st.execute(OLD_EVENTS);
      st.execute(OLD_OFFSETS);
      st.execute("""
          INSERT INTO events VALUES ('old-1', 'web', 'page', 'Home', 'u1', 'a1', NULL, NULL,
            TIMESTAMP '2025-05-01 10:00:00', TIMESTAMP '2025-05-01 10:00:01',
            TIMESTAMP '2025-05-01 09:59:59', TIMESTAMP '2025-05-01 09:59:58',
            '{"url":"https://shop.example/home"}', NULL, '{"library":{"name":"analytics.js"}}',
            '203.0.113.7', 'old-agent/1.0', 'https://shop.example/home', '/home',
            'https://ref.example/', 'Home page', 'analytics.js', '4.0.0', 'raw-old',
            TIMESTAMP '2025-05-01 10:00:05')""");
      st.execute("INSERT INTO _tributary_offsets VALUES ('warehouse', 'raw', 0, 17,"
          + " TIMESTAMP '2025-05-01 10:00:05')");
    }
    return file;
  }

  private static Map<String, String> columns(DuckDbWarehouse warehouse, String table)
      throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = warehouse.newConnection()) {
      for (List<String> r : Segment.rows(c, "SELECT column_name, data_type FROM"
          + " information_schema.columns WHERE table_name = '" + table + "'"
          + " ORDER BY ordinal_position")) {
        out.put(r.get(0), r.get(1));
      }
    }
    return out;
  }

  private static List<List<String>> query(DuckDbWarehouse warehouse, String sql)
      throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.rows(c, sql);
    }
  }

  private static List<String> row(String... values) {
    return Arrays.asList(values);
  }

  private static JsonNode json(String text) {
    return Json.parseOrNull(text);
  }

  /** A new-style event using columns the old table did not have. */
  private static EnrichedEvent newEvent(String id) {
    return new EnrichedEvent()
        .set(EventField.EVENT_ID, id)
        .set(EventField.SOURCE, "web")
        .set(EventField.PROTOCOL, "snowplow")
        .set(EventField.EVENT_TYPE, "page_view")
        .set(EventField.APP_ID, "shop")
        .set(EventField.PLATFORM, "web")
        .set(EventField.DOMAIN_SESSIONIDX, 3)
        .set(EventField.RECEIVED_AT, Instant.parse("2026-11-22T12:00:00Z"))
        .set(EventField.TRUE_TIMESTAMP, Instant.parse("2026-11-22T11:59:59.250Z"))
        .set(EventField.EVENT_TIME, Instant.parse("2026-11-22T11:59:59.250Z"))
        .set(EventField.CONTEXTS, json("[{\"schema\":\"iglu:a/b/jsonschema/1-0-0\",\"data\":{}}]"))
        .set(EventField.SE_VALUE, 2.5)
        .set(EventField.PAGE_URL, "https://shop.example/cart?x=1")
        .set(EventField.PAGE_URLPATH, "/cart")
        .set(EventField.PAGE_URLPORT, 443)
        .set(EventField.IS_BOT, false)
        .set(EventField.GEO_LATITUDE, 48.8566)
        .set(EventField.RAW_ID, "raw-new");
  }

  private static EventLoader loader(DuckDbWarehouse warehouse, ManualClock clock) {
    return new EventLoader(warehouse,
        new LoaderSettings("warehouse", "enriched", 1000, Duration.ofSeconds(5)), clock,
        EventLoader.ENRICHED);
  }

  @Test
  void openingAddsEveryCanonicalColumnWithItsTypeAndKeepsTheOldOnes() throws SQLException {
    Path file = oldFile();
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(file)) {
      Map<String, String> cols = columns(warehouse, "events");
      for (EventField f : EventField.values()) {
        assertThat(cols).as(f.column()).containsEntry(f.column(), f.type().sql());
      }
      // columns only the old version had stay, with their type
      assertThat(cols).containsEntry("page_path", "VARCHAR").containsEntry("loaded_at", "TIMESTAMP");
      assertThat(cols).hasSize(EventField.values().length + 2);
      // the tables that did not exist yet are created
      assertThat(columns(warehouse, "bad_events")).containsKeys("id", "type", "raw", "loaded_at");
    }
  }

  @Test
  void theOldRowIsIntactAndItsNewColumnsAreNull() throws SQLException {
    Path file = oldFile();
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(file)) {
      assertThat(query(warehouse, """
          SELECT event_id, source, event_type, event_name, user_id, anonymous_id,
                 CAST(received_at AS VARCHAR), CAST(sent_at AS VARCHAR),
                 CAST(original_timestamp AS VARCHAR), CAST(event_time AS VARCHAR),
                 properties->>'$.url', context->>'$.library.name', ip, user_agent, page_url,
                 page_path, page_referrer, page_title, library_name, library_version, raw_id,
                 CAST(loaded_at AS VARCHAR)
          FROM events""")).containsExactly(row("old-1", "web", "page", "Home", "u1", "a1",
              "2025-05-01 10:00:00", "2025-05-01 10:00:01", "2025-05-01 09:59:59",
              "2025-05-01 09:59:58", "https://shop.example/home", "analytics.js",
              "203.0.113.7", "old-agent/1.0", "https://shop.example/home", "/home",
              "https://ref.example/", "Home page", "analytics.js", "4.0.0", "raw-old",
              "2025-05-01 10:00:05"));
      assertThat(query(warehouse, "SELECT protocol, app_id, domain_sessionidx, page_urlpath,"
          + " contexts, se_value, is_bot, true_timestamp FROM events"))
          .containsExactly(row(null, null, null, null, null, null, null, null));
    }
  }

  @Test
  void newEventsLoadIntoTheUpgradedTableByName() throws SQLException {
    Path file = oldFile();
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(file);
        EventLoader loader = loader(warehouse, clock)) {
      // the offsets stored by the old version are still the loader's
      try (EventLoader oldPipeline = new EventLoader(warehouse, new LoaderSettings("warehouse",
          "raw", 10, Duration.ofSeconds(5)), clock, EventLoader.ENRICHED)) {
        assertThat(oldPipeline.open(List.of(0))).containsExactly(Map.entry(0, 17L));
      }

      assertThat(loader.open(List.of(0))).isEmpty();
      loader.write(List.of(
          new SourcedRecord(0, 0, 0L, EnrichedEventCodec.encode(newEvent("new-1"))),
          // an id the old version loaded is not loaded again
          new SourcedRecord(0, 1, 0L, EnrichedEventCodec.encode(newEvent("old-1")))));
      assertThat(loader.flush(true)).containsExactly(Map.entry(0, 2L));
      assertThat(loader.loadedEvents()).isEqualTo(1);
      assertThat(loader.duplicateEvents()).isEqualTo(1);

      assertThat(query(warehouse, """
          SELECT event_id, source, protocol, event_type, app_id, platform, domain_sessionidx,
                 CAST(received_at AS VARCHAR), CAST(true_timestamp AS VARCHAR),
                 CAST(event_time AS VARCHAR), contexts->>'$[0].schema', se_value, page_url,
                 page_urlpath, page_urlport, is_bot, geo_latitude, raw_id, page_path,
                 loaded_at IS NOT NULL
          FROM events WHERE event_id = 'new-1'""")).containsExactly(row("new-1", "web",
              "snowplow", "page_view", "shop", "web", "3", "2026-11-22 12:00:00",
              "2026-11-22 11:59:59.25", "2026-11-22 11:59:59.25", "iglu:a/b/jsonschema/1-0-0",
              "2.5", "https://shop.example/cart?x=1", "/cart", "443", "false", "48.8566",
              "raw-new", null, "true"));
      assertThat(query(warehouse, "SELECT event_id, event_type, page_path FROM events"
          + " ORDER BY event_id")).containsExactly(row("new-1", "page_view", null),
              row("old-1", "page", "/home"));
    }
  }

  @Test
  void openingTwiceIsIdempotent() throws SQLException {
    Path file = oldFile();
    Map<String, String> first;
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(file);
        EventLoader loader = loader(warehouse, clock)) {
      first = columns(warehouse, "events");
      loader.open(List.of(0));
      loader.write(List.of(new SourcedRecord(0, 0, 0L, EnrichedEventCodec.encode(newEvent("n")))));
      loader.flush(true);
    }
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(file)) {
      assertThat(columns(warehouse, "events")).containsExactlyEntriesOf(first);
      assertThat(query(warehouse, "SELECT event_id, page_path, page_urlpath FROM events"
          + " ORDER BY event_id")).containsExactly(row("n", null, "/cart"),
              row("old-1", "/home", null));
      try (EventLoader loader = loader(warehouse, clock)) {
        assertThat(loader.open(List.of(0))).containsExactly(Map.entry(0, 1L));
        loader.write(List.of(
            new SourcedRecord(0, 1, 0L, EnrichedEventCodec.encode(newEvent("n2")))));
        loader.flush(true);
      }
      assertThat(query(warehouse, "SELECT count(*) FROM events")).containsExactly(row("3"));
    }
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(file)) {
      assertThat(columns(warehouse, "events")).containsExactlyEntriesOf(first);
    }
  }

  @Test
  void aFreshFileHasExactlyTheCanonicalColumnsInOrder() throws SQLException {
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("fresh.duckdb"))) {
      Map<String, String> expected = new LinkedHashMap<>();
      for (EventField f : EventField.values()) {
        expected.put(f.column(), f.type().sql());
      }
      expected.put("loaded_at", "TIMESTAMP");
      assertThat(columns(warehouse, "events")).containsExactlyEntriesOf(expected);
    }
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("fresh.duckdb"))) {
      assertThat(columns(warehouse, "events")).hasSize(EventField.values().length + 1);
    }
  }
}
