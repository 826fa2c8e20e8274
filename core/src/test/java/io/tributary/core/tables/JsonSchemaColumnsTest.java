package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tributary.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JsonSchemaColumnsTest {
  /** The public Iglu Central copy, relative to the module directory Surefire runs in. */
  private static final Path IGLU_CENTRAL =
      Path.of("../../shared/testdata/iglu-central/schemas/com.snowplowanalytics.snowplow");

  private static java.util.Map<String, ColumnType> columns(String schema) {
    return JsonSchemaColumns.columns(Json.parseOrNull(schema));
  }

  @Test
  void scalarTypesMapToColumnTypesInSchemaOrder() {
    assertThat(columns("""
        {"type":"object","properties":{
          "count":{"type":"integer"}, "price":{"type":"number"}, "ok":{"type":"boolean"},
          "label":{"type":"string","maxLength":5}, "at":{"type":"string","format":"date-time"},
          "tags":{"type":"array","items":{"type":"string"}}}}"""))
        .containsExactly(entry("count", ColumnType.BIGINT), entry("price", ColumnType.DOUBLE),
            entry("ok", ColumnType.BOOLEAN), entry("label", ColumnType.VARCHAR),
            entry("at", ColumnType.VARCHAR), entry("tags", ColumnType.JSON));
  }

  @Test
  void nullInAUnionOnlyMakesTheColumnNullable() {
    assertThat(columns("""
        {"properties":{"a":{"type":["string","null"]},"b":{"type":["null","integer"]},
          "c":{"type":["integer","number","null"]},"d":{"type":"null"}}}"""))
        .containsExactly(entry("a", ColumnType.VARCHAR), entry("b", ColumnType.BIGINT),
            entry("c", ColumnType.DOUBLE), entry("d", ColumnType.JSON));
  }

  @Test
  void mixedKindsBecomeVarcharForScalarsAndJsonOtherwise() {
    assertThat(columns("""
        {"properties":{"s":{"type":["string","integer"]},"b":{"type":["boolean","number"]},
          "o":{"type":["object","string"]},"a":{"type":["array","object"]},
          "none":{"description":"anything"},"ref":{"$ref":"#/definitions/x"},
          "one":{"oneOf":[{"type":"string"},{"type":"integer"}]},"odd":{"type":"date"}}}"""))
        .containsExactly(entry("s", ColumnType.VARCHAR), entry("b", ColumnType.VARCHAR),
            entry("o", ColumnType.JSON), entry("a", ColumnType.JSON), entry("none", ColumnType.JSON),
            entry("ref", ColumnType.JSON), entry("one", ColumnType.JSON),
            entry("odd", ColumnType.JSON));
  }

  @Test
  void anEnumWithoutTypeTakesTheTypeOfItsValues() {
    assertThat(columns("""
        {"properties":{"e":{"enum":["a","b",null]},"n":{"enum":[1,2]},"m":{"enum":[1,"x"]}}}"""))
        .containsExactly(entry("e", ColumnType.VARCHAR), entry("n", ColumnType.BIGINT),
            entry("m", ColumnType.VARCHAR));
  }

  @Test
  void objectsWithPropertiesAreFlattenedFreeFormOnesStayJson() {
    assertThat(columns("""
        {"properties":{"address":{"type":["object","null"],"properties":{
            "city":{"type":"string"},"geo":{"type":"object","properties":{"lat":{"type":"number"}}}}},
          "extra":{"type":"object","additionalProperties":true},
          "empty":{"type":"object","properties":{}}}}"""))
        .containsExactly(entry("address_city", ColumnType.VARCHAR),
            entry("address_geo_lat", ColumnType.DOUBLE), entry("extra", ColumnType.JSON),
            entry("empty", ColumnType.JSON));
  }

  @Test
  void namesAreSnakeCaseAsTheFlattenerNamesValues() {
    String schema = """
        {"properties":{"targetUrl":{"type":"string"},"HTTPStatus":{"type":"integer"},
          "elementClasses":{"type":["array","null"]},"deep":{"type":"object","properties":{
            "innerValue":{"type":"boolean"}}}}}""";
    String value = """
        {"targetUrl":"x","HTTPStatus":200,"elementClasses":["a"],"deep":{"innerValue":true}}""";
    assertThat(columns(schema).keySet()).containsExactlyElementsOf(
        JsonFlattener.flatten(Json.parseOrNull(value), "", java.util.Set.of()).stream()
            .map(Field::column).toList());
  }

  @Test
  void objectsDeeperThanTheFlattenerGoesStayJson() {
    String leaf = "{\"type\":\"string\"}";
    String schema = leaf;
    for (int i = 0; i < JsonFlattener.MAX_DEPTH + 1; i++) {
      schema = "{\"type\":\"object\",\"properties\":{\"x\":" + schema + "}}";
    }
    assertThat(columns(schema)).containsExactly(
        entry("x_".repeat(JsonFlattener.MAX_DEPTH - 1) + "x", ColumnType.JSON));
  }

  @Test
  void aSchemaWithoutPropertiesDeclaresNothing() {
    assertThat(columns("{\"type\":\"object\"}")).isEmpty();
    assertThat(JsonSchemaColumns.columns(null)).isEmpty();
  }

  @Test
  void igluCentralClientSession() throws Exception {
    assertThat(JsonSchemaColumns.columns(Json.MAPPER.readTree(
        Files.readString(IGLU_CENTRAL.resolve("client_session/jsonschema/1-0-2")))))
        .containsExactly(entry("user_id", ColumnType.VARCHAR),
            entry("session_id", ColumnType.VARCHAR), entry("session_index", ColumnType.BIGINT),
            entry("event_index", ColumnType.BIGINT),
            entry("previous_session_id", ColumnType.VARCHAR),
            entry("storage_mechanism", ColumnType.VARCHAR),
            entry("first_event_id", ColumnType.VARCHAR),
            entry("first_event_timestamp", ColumnType.VARCHAR));
  }
}
