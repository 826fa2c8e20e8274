package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.EventField;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclaredTablesTest {
  private static final String CHECKOUT = "iglu:com.acme/checkout/jsonschema/1-0-2";

  private static Map<EventField, Object> segment(String name, String properties) {
    Map<EventField, Object> e = new EnumMap<>(EventField.class);
    e.put(EventField.EVENT_ID, "m1");
    e.put(EventField.PROTOCOL, "segment");
    e.put(EventField.SOURCE, "web");
    e.put(EventField.EVENT_TYPE, "track");
    e.put(EventField.EVENT_NAME, name);
    e.put(EventField.RECEIVED_AT, LocalDateTime.parse("2026-11-22T10:00:00.123"));
    e.put(EventField.PROPERTIES, properties);
    return e;
  }

  private static Map<EventField, Object> snowplow() {
    Map<EventField, Object> e = new EnumMap<>(EventField.class);
    e.put(EventField.EVENT_ID, "s1");
    e.put(EventField.EVENT_TYPE, "unstruct");
    e.put(EventField.EVENT_SCHEMA, CHECKOUT);
    e.put(EventField.UNSTRUCT_EVENT, "{\"schema\":\"" + CHECKOUT + "\",\"data\":{\"total\":9.5}}");
    e.put(EventField.CONTEXTS, "[{\"schema\":\"iglu:com.acme/product/jsonschema/1-0-0\","
        + "\"data\":{\"sku\":\"A\"}},{\"schema\":\"iglu:com.acme/product/jsonschema/2-0-0\","
        + "\"data\":{\"sku\":\"B\"}},{\"schema\":\"iglu:com.acme/user/jsonschema/1-0-0\","
        + "\"data\":{\"id\":7}}]");
    return e;
  }

  private static DeclaredTable table(Map<String, List<String>> filter,
      DeclaredTable.ColumnSpec... columns) {
    return DeclaredTable.parse("checkouts", filter, List.of(columns));
  }

  private static DeclaredTable.ColumnSpec col(String name, String path, String type) {
    return new DeclaredTable.ColumnSpec(name, path, type);
  }

  private static Object read(String path, Map<EventField, Object> event) {
    var v = JsonPath.parse(path).read(event::get);
    return v == null ? null : v.toString();
  }

  @Test
  void pathsReadColumnsMembersElementsAndSchemas() {
    Map<EventField, Object> e = segment("Order Completed",
        "{\"total\":3,\"order id\":\"o.1\",\"items\":[{\"sku\":\"x\"},{\"sku\":\"y\"}]}");
    assertThat(read("$.event_name", e)).isEqualTo("\"Order Completed\"");
    assertThat(read("$.received_at", e)).isEqualTo("\"2026-11-22T10:00:00.123Z\"");
    assertThat(read("$.properties.total", e)).isEqualTo("3");
    assertThat(read("$.properties['order id']", e)).isEqualTo("\"o.1\"");
    assertThat(read("$.properties[\"order id\"]", e)).isEqualTo("\"o.1\"");
    assertThat(read("$.properties.items[1].sku", e)).isEqualTo("\"y\"");
    assertThat(read("$.properties.items", e)).isEqualTo("[{\"sku\":\"x\"},{\"sku\":\"y\"}]");
    assertThat(read("$.properties.items[5].sku", e)).isNull();
    assertThat(read("$.properties.missing.deeper", e)).isNull();
    assertThat(read("$.user_id", e)).isNull();

    Map<EventField, Object> s = snowplow();
    assertThat(read("$.unstruct_event[iglu:com.acme/checkout/jsonschema/1-*-*].total", s))
        .isEqualTo("9.5");
    assertThat(read("$.unstruct_event[iglu:com.acme/checkout/jsonschema/2-*-*].total", s))
        .isNull();
    assertThat(read("$.unstruct_event.data.total", s)).isEqualTo("9.5");
    assertThat(read("$.contexts[iglu:com.acme/product/jsonschema/2-*-*].sku", s))
        .isEqualTo("\"B\"");
    assertThat(read("$.contexts[iglu:com.acme/product/jsonschema/*-*-*].sku", s))
        .isEqualTo("\"A\"");
    assertThat(read("$.contexts[iglu:com.acme/user/jsonschema/1-0-0]", s))
        .isEqualTo("{\"id\":7}");
    assertThat(read("$.contexts[2].data.id", s)).isEqualTo("7");
  }

  @Test
  void badPathsAreRejectedWithTheRule() {
    assertThatThrownBy(() -> JsonPath.parse("properties.total"))
        .hasMessageContaining("must start with '$.'");
    assertThatThrownBy(() -> JsonPath.parse("$.propertie.total"))
        .hasMessageContaining("'propertie' is not a column of events");
    assertThatThrownBy(() -> JsonPath.parse("$.event_name.x"))
        .hasMessageContaining("only JSON columns");
    assertThatThrownBy(() -> JsonPath.parse("$.properties..x")).hasMessageContaining("empty");
    assertThatThrownBy(() -> JsonPath.parse("$.properties[x]"))
        .hasMessageContaining("expected [N]");
    assertThatThrownBy(() -> JsonPath.parse("$.properties[0"))
        .hasMessageContaining("unclosed '['");
    assertThatThrownBy(() -> JsonPath.parse("$.properties['a]"))
        .hasMessageContaining("unclosed quote");
    assertThatThrownBy(() -> JsonPath.parse("$.properties[iglu:com.a/b/jsonschema/1-*-*]"))
        .hasMessageContaining("may only follow $.unstruct_event or $.contexts");
    assertThatThrownBy(() -> JsonPath.parse("$.contexts[iglu:com.a/b/1-*-*]"))
        .hasMessageContaining("is not a schema pattern");
  }

  @Test
  void filtersTakeOnlyMatchingEvents() {
    DeclaredTables byName = new DeclaredTables(List.of(table(
        Map.of("event", List.of("Order Completed", "Checkout Completed"), "type", List.of("track")),
        col("total", "$.properties.total", "double"))));
    assertThat(byName.rows(segment("Order Completed", "{}")::get)).hasSize(1);
    assertThat(byName.rows(segment("Checkout Completed", "{}")::get)).hasSize(1);
    assertThat(byName.rows(segment("Order Refunded", "{}")::get)).isEmpty();
    assertThat(byName.rows(snowplow()::get)).isEmpty();

    DeclaredTables bySchema = new DeclaredTables(List.of(table(
        Map.of("schema", List.of("iglu:com.acme/checkout/jsonschema/1-*-*")),
        col("total", "$.unstruct_event.data.total", "double"))));
    assertThat(bySchema.rows(snowplow()::get)).hasSize(1);
    assertThat(bySchema.rows(segment("Order Completed", "{}")::get)).isEmpty();

    DeclaredTables all = new DeclaredTables(List.of(table(Map.of(),
        col("name", "$.event_name", "varchar"))));
    assertThat(all.rows(snowplow()::get)).hasSize(1);
    assertThat(all.rows(segment("x", "{}")::get)).hasSize(1);
  }

  @Test
  void valuesAreCastToTheDeclaredTypeOrDiscarded() {
    DeclaredTables tables = new DeclaredTables(List.of(table(Map.of(),
        col("a_double", "$.properties.a", "double"), col("b_bigint", "$.properties.b", "BIGINT"),
        col("c_varchar", "$.properties.c", "varchar"), col("d_bool", "$.properties.d", "boolean"),
        col("e_time", "$.properties.e", "timestamp"), col("f_json", "$.properties.f", "json"),
        col("g_bigint", "$.properties.g", "bigint"), col("h_missing", "$.properties.h", "bigint"))));
    DerivedRow row = tables.rows(segment("x", "{\"a\":\"12.5\",\"b\":12.0,\"c\":42,\"d\":\"TRUE\","
        + "\"e\":\"2026-11-22T11:00:00+01:00\",\"f\":{\"k\":[1]},\"g\":\"twelve\"}")::get).get(0);
    assertThat(row.table().name()).isEqualTo("checkouts");
    assertThat(row.table().fixedColumns()).containsOnlyKeys(DeclaredTable.FIXED_COLUMNS.keySet());
    assertThat(row.declared()).containsExactly(Map.entry("a_double", ColumnType.DOUBLE),
        Map.entry("b_bigint", ColumnType.BIGINT), Map.entry("c_varchar", ColumnType.VARCHAR),
        Map.entry("d_bool", ColumnType.BOOLEAN), Map.entry("e_time", ColumnType.TIMESTAMP),
        Map.entry("f_json", ColumnType.JSON), Map.entry("g_bigint", ColumnType.BIGINT),
        Map.entry("h_missing", ColumnType.BIGINT));
    assertThat(row.fields()).extracting(f -> f.column() + "=" + f.value()).containsExactly(
        "a_double=12.5", "b_bigint=12", "c_varchar=\"42\"", "d_bool=true",
        "e_time=\"2026-11-22T10:00:00Z\"", "f_json={\"k\":[1]}");
    assertThat(row.discards()).containsExactly(new Discard("checkouts", "g_bigint", "\"twelve\"",
        "a string does not fit column type BIGINT"));

    // What the loader then makes of the cast values, in a table with the declared types.
    TableShape shape = TableShape.create(row.table(), 300);
    shape.declare(row.declared());
    TableShape.Fitted fitted = shape.fit(row.fields());
    assertThat(fitted.discards()).isEmpty();
    assertThat(fitted.values()).containsEntry("a_double", 12.5).containsEntry("b_bigint", 12L)
        .containsEntry("c_varchar", "42").containsEntry("d_bool", true)
        .containsEntry("e_time", java.time.Instant.parse("2026-11-22T10:00:00Z"))
        .containsEntry("f_json", "{\"k\":[1]}");
    assertThat(shape.columns()).containsEntry("e_time", ColumnType.TIMESTAMP)
        .containsEntry("b_bigint", ColumnType.BIGINT);
  }

  @Test
  void castsRejectWhatTheTypeCannotHold() {
    var json = io.tributary.core.Json.MAPPER;
    assertThat(DeclaredTables.cast(json.valueToTree(1.5), ColumnType.BIGINT)).isNull();
    assertThat(DeclaredTables.cast(json.valueToTree(List.of(1)), ColumnType.VARCHAR)).isNull();
    assertThat(DeclaredTables.cast(json.valueToTree(1), ColumnType.BOOLEAN)).isNull();
    assertThat(DeclaredTables.cast(json.valueToTree("yes"), ColumnType.BOOLEAN)).isNull();
    assertThat(DeclaredTables.cast(json.valueToTree("1e3"), ColumnType.BIGINT).longValue())
        .isEqualTo(1000L);
    assertThat(DeclaredTables.cast(json.valueToTree("2026-11-22"), ColumnType.TIMESTAMP)).isNull();
    assertThat(DeclaredTables.cast(json.valueToTree(1700000000), ColumnType.TIMESTAMP)).isNull();
    assertThat(DeclaredTables.cast(json.valueToTree("2026-11-22T10:00:00"), ColumnType.TIMESTAMP)
        .textValue()).isEqualTo("2026-11-22T10:00:00Z");
  }

  @Test
  void declarationsAreCheckedWithClearMessages() {
    var ok = col("total", "$.properties.total", "double");
    assertThatThrownBy(() -> DeclaredTable.parse("Checkouts", Map.of(), List.of(ok)))
        .hasMessageContaining("table name 'Checkouts' must be snake_case")
        .hasMessageContaining("e.g. 'checkouts'");
    assertThatThrownBy(() -> DeclaredTable.parse("users", Map.of(), List.of(ok)))
        .hasMessageContaining("'users' is the name of a built-in table");
    assertThatThrownBy(() -> DeclaredTable.parse("_tributary_x", Map.of(), List.of(ok)))
        .hasMessageContaining("must be snake_case");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of(), List.of()))
        .hasMessageContaining("declares no columns");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of(),
        List.of(col("total", "$.properties.total", "decimal"))))
        .hasMessageContaining("column 'total': type must be one of [bigint, boolean, double, json,"
            + " timestamp, varchar], not 'decimal'");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of(),
        List.of(col("total", "$.propertis.total", "double"))))
        .hasMessageContaining("column 'total': path '$.propertis.total' at 2:");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of(), List.of(ok, ok)))
        .hasMessageContaining("column 'total' is declared twice");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of(),
        List.of(col("event_id", "$.event_id", "varchar"))))
        .hasMessageContaining("column 'event_id' is a column every declared table has");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of(), List.of(col("Total", "$.x", "double"))))
        .hasMessageContaining("column name 'Total' must be snake_case");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of("name", List.of("x")), List.of(ok)))
        .hasMessageContaining("filter 'name' is unknown");
    assertThatThrownBy(() -> DeclaredTable.parse("c", Map.of("schema", List.of("com.acme/x")),
        List.of(ok))).hasMessageContaining("is not a schema pattern");
  }

  @Test
  void aTrackEventNamedLikeADeclaredTableGetsThePrefix() {
    assertThat(SegmentTables.eventTableName("Checkouts", java.util.Set.of("checkouts")))
        .isEqualTo("track_checkouts");
    assertThat(SegmentTables.eventTableName("Checkouts")).isEqualTo("checkouts");
  }
}
