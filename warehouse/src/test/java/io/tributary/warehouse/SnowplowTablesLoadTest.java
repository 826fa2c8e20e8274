package io.tributary.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import io.tributary.core.RetriableException;
import io.tributary.core.SourcedRecord;
import io.tributary.core.tables.ColumnType;
import io.tributary.core.tables.SchemaColumnTypes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enriched Snowplow events through the loader into one table per self-describing event schema model
 * and per entity schema model: typed from their schemas, one row per entity instance, evolving with
 * new versions, exactly once.
 */
class SnowplowTablesLoadTest extends DerivedTablesLoadTestBase {
  private static final String BUTTON_1_0_0 = "iglu:com.acme/button_press/jsonschema/1-0-0";
  private static final String BUTTON_1_0_1 = "iglu:com.acme/button_press/jsonschema/1-0-1";
  private static final String BUTTON_2_0_0 = "iglu:com.acme/button_press/jsonschema/2-0-0";
  private static final String PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";
  private static final String BUTTON = "com_acme_button_press_1";
  private static final String WEB_PAGE = "com_snowplowanalytics_snowplow_web_page_1";
  private static final List<String> FIXED = List.of("event_id VARCHAR", "source VARCHAR",
      "app_id VARCHAR", "user_id VARCHAR", "event_name VARCHAR", "schema_version VARCHAR",
      "entity_index BIGINT", "event_time TIMESTAMP", "original_timestamp TIMESTAMP",
      "sent_at TIMESTAMP", "received_at TIMESTAMP", "loaded_at TIMESTAMP");

  private final Map<String, Map<String, ColumnType>> schemas = new LinkedHashMap<>();
  private final SchemaColumnTypes types = uri -> Optional.ofNullable(schemas.get(uri));

  @BeforeEach
  void registerSchemas() {
    schemas.put(BUTTON_1_0_0, columns("label", ColumnType.VARCHAR, "count", ColumnType.BIGINT,
        "price", ColumnType.DOUBLE, "target_url", ColumnType.VARCHAR,
        "target_attributes", ColumnType.JSON));
    schemas.put(PAGE, columns("id", ColumnType.VARCHAR));
  }

  @Test
  void tablesAreTypedFromTheSchemaWithOneRowPerEntityInstanceJoinedToEvents() throws SQLException {
    EventLoader loader = loader(types);
    load(loader, event("e1", sd(BUTTON_1_0_0,
            "{\"label\":\"ok\",\"count\":1,\"target\":{\"url\":\"/x\",\"attributes\":{\"a\":1}},"
                + "\"extra\":true,\"event_id\":\"shadow\"}"),
            sd(PAGE, "{\"id\":\"p1\"}"), sd(PAGE, "{\"id\":\"p2\"}")),
        event("e2", null, sd(PAGE, "{\"id\":\"p3\"}")));

    assertThat(columns(BUTTON)).containsExactlyElementsOf(concat(FIXED, "label VARCHAR",
        "count BIGINT", "price DOUBLE", "target_url VARCHAR", "target_attributes JSON",
        "extra BOOLEAN", "data_event_id VARCHAR"));
    assertThat(query("SELECT event_id, app_id, user_id, event_name, schema_version, entity_index,"
        + " label, count, price, target_url, CAST(target_attributes AS VARCHAR), extra,"
        + " data_event_id, CAST(event_time AS VARCHAR), CAST(received_at AS VARCHAR) FROM " + BUTTON))
        .containsExactly(row("e1", "shop", "u1", "button_press", "1-0-0", null, "ok", "1", null,
            "/x", "{\"a\":1}", "true", "shadow", "2026-11-22 11:59:00", "2026-11-22 12:00:00"));

    assertThat(columns(WEB_PAGE)).containsExactlyElementsOf(concat(FIXED, "id VARCHAR"));
    assertThat(query("SELECT p.event_id, p.entity_index, p.id, e.event_type FROM " + WEB_PAGE
        + " p JOIN events e ON e.event_id = p.event_id AND e.event_time = p.event_time"
        + " ORDER BY p.id"))
        .containsExactly(row("e1", "0", "p1", "unstruct"), row("e1", "1", "p2", "unstruct"),
            row("e2", "0", "p3", "page_view"));
    assertThat(query("SELECT count(*) FROM discards")).containsExactly(row("0"));
  }

  @Test
  void withoutSchemasColumnsAreTypedFromValues() throws SQLException {
    EventLoader loader = loader(SchemaColumnTypes.NONE);
    load(loader, event("e1", sd(BUTTON_1_0_0, "{\"label\":\"ok\",\"count\":1}"),
        sd(PAGE, "{\"id\":\"p1\"}")));
    load(loader, event("e2", sd(BUTTON_1_0_0, "{\"label\":\"ok\",\"count\":1.5}")));

    assertThat(columns(BUTTON)).containsExactlyElementsOf(concat(FIXED, "label VARCHAR",
        "count DOUBLE"));
    assertThat(columns(WEB_PAGE)).containsExactlyElementsOf(concat(FIXED, "id VARCHAR"));
  }

  @Test
  void newVersionsAddColumnsNewModelsNewTablesMisfitsGoToDiscards() throws SQLException {
    EventLoader loader = loader(types);
    load(loader, event("e1", sd(BUTTON_1_0_0, "{\"label\":\"ok\",\"count\":1}")));
    Map<String, ColumnType> v101 = new LinkedHashMap<>(schemas.get(BUTTON_1_0_0));
    v101.put("color", ColumnType.VARCHAR);
    v101.put("count", ColumnType.DOUBLE);
    schemas.put(BUTTON_1_0_1, v101);
    schemas.put(BUTTON_2_0_0, columns("name", ColumnType.VARCHAR));
    load(loader, event("e2", sd(BUTTON_1_0_1, "{\"label\":\"ok\",\"count\":2.5,\"color\":\"red\"}")),
        event("e3", sd(BUTTON_1_0_1, "{\"label\":7,\"count\":\"many\"}")),
        event("e4", sd(BUTTON_2_0_0, "{\"name\":\"new model\"}")));

    assertThat(columns(BUTTON)).contains("count DOUBLE", "color VARCHAR");
    assertThat(query("SELECT event_id, schema_version, label, count, color FROM " + BUTTON
        + " ORDER BY event_id")).containsExactly(row("e1", "1-0-0", "ok", "1.0", null),
            row("e2", "1-0-1", "ok", "2.5", "red"), row("e3", "1-0-1", "7", null, null));
    assertThat(columns("com_acme_button_press_2")).containsExactlyElementsOf(
        concat(FIXED, "name VARCHAR"));
    assertThat(query("SELECT event_id, schema_version, name FROM com_acme_button_press_2"))
        .containsExactly(row("e4", "2-0-0", "new model"));
    assertThat(query("SELECT table_name, column_name, value, reason, event_id FROM discards"))
        .containsExactly(row(BUTTON, "count", "\"many\"", "a string does not fit column type DOUBLE",
            "e3"));
  }

  @Test
  void anEventSentAgainOrRetriedAfterAFailureAddsNoRows() throws Exception {
    EventLoader loader = loader(types);
    SourcedRecord e1 = record(event("e1", sd(BUTTON_1_0_0, "{\"label\":\"ok\"}"),
        sd(PAGE, "{\"id\":\"p1\"}"), sd(PAGE, "{\"id\":\"p2\"}")));
    load(loader, e1);
    load(loader, record(event("e1", sd(BUTTON_1_0_0, "{\"label\":\"ok\"}"),
        sd(PAGE, "{\"id\":\"p1\"}"), sd(PAGE, "{\"id\":\"p2\"}"))));

    // A batch that fails after writing the Snowplow tables: nothing of it stays.
    execute("ALTER TABLE users RENAME TO users_away");
    loader.write(List.of(record(event("e2", sd(BUTTON_1_0_0, "{\"label\":\"two\"}"),
        sd(PAGE, "{\"id\":\"p3\"}"))), record(segmentIdentify())));
    assertThatThrownBy(() -> loader.flush(true)).isInstanceOf(RetriableException.class);
    assertThat(query("SELECT count(*) FROM " + WEB_PAGE)).containsExactly(row("2"));
    execute("ALTER TABLE users_away RENAME TO users");
    loader.flush(true);
    // A new loader, as after a restart, offered the same events again.
    load(loader(types), record(event("e2", sd(BUTTON_1_0_0, "{\"label\":\"two\"}"),
        sd(PAGE, "{\"id\":\"p3\"}"))));

    assertThat(query("SELECT count(*) FROM events")).containsExactly(row("3"));
    assertThat(query("SELECT event_id, count(*) FROM " + BUTTON + " GROUP BY 1 ORDER BY 1"))
        .containsExactly(row("e1", "1"), row("e2", "1"));
    assertThat(query("SELECT event_id, entity_index, id FROM " + WEB_PAGE + " ORDER BY id"))
        .containsExactly(row("e1", "0", "p1"), row("e1", "1", "p2"), row("e2", "0", "p3"));
  }

  @Test
  void withTheSnowplowTablesOffNoneIsMade() throws SQLException {
    EventLoader loader = new EventLoader(warehouse,
        new LoaderSettings("loader", "enriched", 10_000, Duration.ofSeconds(5)), clock,
        EventLoader.ENRICHED, 300, true, null);
    opened(loader);
    load(loader, event("e1", sd(BUTTON_1_0_0, "{\"label\":\"ok\"}"), sd(PAGE, "{\"id\":\"p\"}")));
    assertThat(query("SELECT count(*) FROM events")).containsExactly(row("1"));
    assertThat(query("SELECT count(*) FROM information_schema.tables"
        + " WHERE table_name LIKE 'com_%'")).containsExactly(row("0"));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private EventLoader loader(SchemaColumnTypes schemaTypes) {
    EventLoader loader = new EventLoader(warehouse,
        new LoaderSettings("loader", "enriched", 10_000, Duration.ofSeconds(5)), clock,
        EventLoader.ENRICHED, 300, true, schemaTypes);
    return opened(loader);
  }

  private static EnrichedEvent event(String id, String unstruct, String... entities) {
    EnrichedEvent e = new EnrichedEvent();
    e.set(EventField.EVENT_ID, id);
    e.set(EventField.RAW_ID, "raw-" + id);
    e.set(EventField.SOURCE, "snowplow");
    e.set(EventField.PROTOCOL, "snowplow");
    e.set(EventField.EVENT_TYPE, unstruct == null ? "page_view" : "unstruct");
    e.set(EventField.APP_ID, "shop");
    e.set(EventField.USER_ID, "u1");
    e.set(EventField.RECEIVED_AT, Instant.parse("2026-11-22T12:00:00Z"));
    e.set(EventField.EVENT_TIME, Instant.parse("2026-11-22T11:59:00Z"));
    if (unstruct != null) {
      e.set(EventField.UNSTRUCT_EVENT, Json.parseOrNull(unstruct));
      e.set(EventField.EVENT_SCHEMA, Json.parseOrNull(unstruct).path("schema").asText());
      e.set(EventField.EVENT_NAME, "button_press");
    }
    if (entities.length > 0) {
      e.set(EventField.CONTEXTS, Json.parseOrNull("[" + String.join(",", entities) + "]"));
    }
    return e;
  }

  private static EnrichedEvent segmentIdentify() {
    EnrichedEvent e = new EnrichedEvent();
    e.set(EventField.EVENT_ID, "i1");
    e.set(EventField.RAW_ID, "raw-i1");
    e.set(EventField.SOURCE, "web");
    e.set(EventField.EVENT_TIME, Instant.parse("2026-11-22T11:00:00Z"));
    e.set(EventField.PROTOCOL, "segment");
    e.set(EventField.EVENT_TYPE, "identify");
    e.set(EventField.USER_ID, "u1");
    e.set(EventField.RECEIVED_AT, Instant.parse("2026-11-22T12:00:00Z"));
    e.set(EventField.TRAITS, Json.parseOrNull("{\"plan\":\"pro\"}"));
    return e;
  }

  private static String sd(String schema, String data) {
    return "{\"schema\":\"" + schema + "\",\"data\":" + data + "}";
  }

  private SourcedRecord record(EnrichedEvent e) {
    return new SourcedRecord(0, offset++, 0L, EnrichedEventCodec.encode(e));
  }

  private void load(EventLoader loader, EnrichedEvent... events) {
    load(loader, Arrays.stream(events).map(this::record).toArray(SourcedRecord[]::new));
  }

  private static Map<String, ColumnType> columns(Object... nameType) {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    for (int i = 0; i < nameType.length; i += 2) {
      out.put((String) nameType[i], (ColumnType) nameType[i + 1]);
    }
    return out;
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> out = new ArrayList<>(head);
    out.addAll(List.of(tail));
    return out;
  }
}
