package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnowplowTablesTest {
  private static final String BUTTON = "iglu:com.acme/button_press/jsonschema/1-0-2";
  private static final String PAGE =
      "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";
  private static final String USER = "iglu:com.acme/appUser/jsonschema/2-1-0";

  private static Map<EventField, Object> event(String unstruct, String contexts) {
    Map<EventField, Object> e = new EnumMap<>(EventField.class);
    e.put(EventField.PROTOCOL, "snowplow");
    e.put(EventField.EVENT_ID, "e1");
    if (unstruct != null) {
      e.put(EventField.UNSTRUCT_EVENT, unstruct);
    }
    if (contexts != null) {
      e.put(EventField.CONTEXTS, contexts);
    }
    return e;
  }

  private static List<DerivedRow> rows(SchemaColumnTypes types, Map<EventField, Object> event) {
    return new SnowplowTables(types).rows(event::get);
  }

  private static String sd(String schema, String data) {
    return "{\"schema\":\"" + schema + "\",\"data\":" + data + "}";
  }

  @Test
  void tableNamesAreVendorNameAndModel() {
    assertThat(SnowplowTables.tableName(BUTTON)).isEqualTo("com_acme_button_press_1");
    assertThat(SnowplowTables.tableName(PAGE))
        .isEqualTo("com_snowplowanalytics_snowplow_web_page_1");
    assertThat(SnowplowTables.tableName(USER)).isEqualTo("com_acme_app_user_2");
    assertThat(SnowplowTables.tableName("iglu:com.acme/x/jsonschema/10-0-0"))
        .isEqualTo("com_acme_x_10");
    assertThat(SnowplowTables.tableName("iglu:com.acme/" + "n".repeat(200) + "/jsonschema/3-0-0"))
        .hasSize(Names.MAX_LENGTH).endsWith("nnn_3");
    assertThat(SnowplowTables.tableName("com.acme/button_press/jsonschema/1-0-0")).isNull();
    assertThat(SnowplowTables.tableName("iglu:com.acme/button_press/jsonschema/1-0")).isNull();
    assertThat(SnowplowTables.tableName(null)).isNull();
  }

  @Test
  void aSchemaTableNamedLikeADeclaredTableGetsSchemaFirst() {
    SnowplowTables tables = new SnowplowTables(SchemaColumnTypes.NONE,
        Set.of("com_acme_button_press_1"));
    List<DerivedRow> rows = tables.rows(event(sd(BUTTON, "{\"label\":\"ok\"}"),
        "[" + sd(PAGE, "{\"id\":\"p1\"}") + "]")::get);

    assertThat(rows).extracting(r -> r.table().name()).containsExactly(
        "schema_com_acme_button_press_1", "com_snowplowanalytics_snowplow_web_page_1");
    String longUri = "iglu:com.acme/" + "n".repeat(200) + "/jsonschema/3-0-0";
    String longName = SnowplowTables.tableName(longUri);
    assertThat(SnowplowTables.tableName(longUri, Set.of(longName)))
        .hasSize(Names.MAX_LENGTH).startsWith("schema_").endsWith("nnn_3");
  }

  @Test
  void theSelfDescribingEventGivesOneRowEachEntityOneRowPerInstance() {
    List<DerivedRow> rows = rows(SchemaColumnTypes.NONE, event(
        sd(BUTTON, "{\"label\":\"ok\",\"count\":1,\"event_id\":\"x\"}"),
        "[" + sd(PAGE, "{\"id\":\"p1\"}") + "," + sd(USER, "{\"plan\":\"pro\"}") + ","
            + sd(PAGE, "{\"id\":\"p2\"}") + ",{\"no\":\"schema\"}]"));

    assertThat(rows).extracting(r -> r.table().name()).containsExactly("com_acme_button_press_1",
        "com_snowplowanalytics_snowplow_web_page_1", "com_acme_app_user_2",
        "com_snowplowanalytics_snowplow_web_page_1");
    assertThat(rows).extracting(DerivedRow::fixed).containsExactly(
        Map.of("schema_version", "1-0-2"),
        Map.of("schema_version", "1-0-0", "entity_index", 0L),
        Map.of("schema_version", "2-1-0", "entity_index", 0L),
        Map.of("schema_version", "1-0-0", "entity_index", 1L));
    assertThat(rows.get(0).fields()).containsExactly(new Field("label", Json.MAPPER.valueToTree("ok")),
        new Field("count", Json.MAPPER.valueToTree(1)),
        new Field("data_event_id", Json.MAPPER.valueToTree("x")));
    assertThat(rows.get(3).fields()).containsExactly(new Field("id", Json.MAPPER.valueToTree("p2")));
    assertThat(rows).allSatisfy(r -> assertThat(r.declared()).isEmpty());
    assertThat(rows.get(0).table().fixedColumns()).isEqualTo(SnowplowTables.FIXED_COLUMNS);
  }

  @Test
  void eventsWithoutSelfDescribingDataGiveNoRows() {
    assertThat(rows(SchemaColumnTypes.NONE, event(null, null))).isEmpty();
    assertThat(rows(SchemaColumnTypes.NONE, event(null, "[]"))).isEmpty();
    assertThat(rows(SchemaColumnTypes.NONE, event(sd("not-iglu", "{}"), null))).isEmpty();
  }

  @Test
  void knownSchemasDeclareTheirColumnsAndKeepJsonColumnsWhole() {
    Map<String, ColumnType> declared = new LinkedHashMap<>();
    declared.put("label", ColumnType.VARCHAR);
    declared.put("meta", ColumnType.JSON);
    declared.put("event_id", ColumnType.VARCHAR);
    declared.put("size_width", ColumnType.BIGINT);
    SchemaColumnTypes types = uri -> uri.equals(BUTTON) ? Optional.of(declared) : Optional.empty();

    DerivedRow row = rows(types, event(sd(BUTTON,
        "{\"meta\":{\"a\":1},\"size\":{\"width\":3},\"extra\":true}"), null)).get(0);
    assertThat(row.declared()).containsExactly(entry("label", ColumnType.VARCHAR),
        entry("meta", ColumnType.JSON), entry("data_event_id", ColumnType.VARCHAR),
        entry("size_width", ColumnType.BIGINT));
    assertThat(row.fields()).extracting(Field::column)
        .containsExactly("meta", "size_width", "extra");

    TableShape shape = TableShape.create(row.table(), 300);
    shape.declare(row.declared());
    TableShape.Fitted fitted = shape.fit(row.fields());
    assertThat(fitted.values()).containsExactly(entry("meta", "{\"a\":1}"),
        entry("size_width", 3L), entry("extra", true));
    assertThat(shape.columns()).containsAllEntriesOf(row.declared())
        .containsEntry("extra", ColumnType.BOOLEAN);
  }
}
