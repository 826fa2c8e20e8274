package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation against real Iglu Central schemas, and against schemas of other dialects. */
class SchemaValidatorTest {
  static final String SNOWPLOW = "iglu:com.snowplowanalytics.snowplow/";

  @TempDir Path local;
  private SchemaResolver resolver;

  @BeforeEach
  void resolver() {
    resolver = new SchemaResolver(List.of(
        new RegistryEntry(new DirectoryRegistry("local", local), 0, List.of("com.acme")),
        new RegistryEntry(new DirectoryRegistry("iglu-central", DirectoryRegistryTest.igluCentral()), 1)));
  }

  private List<String> validate(String uri, String data) {
    return resolver.validate(SchemaKey.parse(uri), Json.parseOrNull(data));
  }

  private void publish(String uri, String schema) throws IOException {
    DirectoryRegistryTest.write(local.resolve("schemas").resolve(SchemaKey.parse(uri).path()), schema);
  }

  @Test
  void linkClickAcceptsValidData() {
    assertThat(validate(SNOWPLOW + "link_click/jsonschema/1-0-1", """
        {"targetUrl": "https://example.com/a", "elementId": "nav", "elementClasses": ["x", "y"],
         "elementTarget": "_blank", "elementContent": "Home"}""")).isEmpty();
  }

  @Test
  void linkClickNamesPathAndRuleOfEveryViolation() {
    assertThat(validate(SNOWPLOW + "link_click/jsonschema/1-0-1", """
        {"targetUrl": "", "elementId": 3, "elementClasses": ["ok", 1], "colour": "red"}"""))
        .containsExactlyInAnyOrder(
            "$.targetUrl: must be at least 1 characters long",
            "$.elementId: integer found, string expected",
            "$.elementClasses[1]: integer found, string expected",
            "$: property 'colour' is not defined in the schema and the schema does not allow "
                + "additional properties");
    assertThat(validate(SNOWPLOW + "link_click/jsonschema/1-0-1", "{}"))
        .containsExactly("$: required property 'targetUrl' not found");
    assertThat(validate(SNOWPLOW + "link_click/jsonschema/1-0-1", "[]"))
        .containsExactly("$: array found, object expected");
  }

  @Test
  void webPageChecksItsUuidPattern() {
    String uri = SNOWPLOW + "web_page/jsonschema/1-0-0";

    assertThat(validate(uri, "{\"id\": \"2b1f6f8e-7a2d-4c1e-9a4b-0c6d7e8f9a0b\"}")).isEmpty();
    assertThat(validate(uri, "{\"id\": \"not-a-uuid\"}"))
        .singleElement().asString()
        .startsWith("$.id: does not match the regex pattern ^[a-fA-F0-9]{8}-");
  }

  @Test
  void geolocationChecksRangesAndNullableTypes() {
    String uri = SNOWPLOW + "geolocation_context/jsonschema/1-1-0";

    assertThat(validate(uri, "{\"latitude\": 51.5, \"longitude\": -0.12, \"altitude\": null}")).isEmpty();
    assertThat(validate(uri, "{\"latitude\": 91, \"longitude\": 0, \"speed\": \"fast\"}"))
        .containsExactlyInAnyOrder(
            "$.latitude: must have a maximum value of 90",
            "$.speed: string found, [number, null] expected");
  }

  @Test
  void clientSessionChecksEnumsAndFormats() {
    String uri = SNOWPLOW + "client_session/jsonschema/1-0-2";
    String valid = """
        {"userId": "0f5d2b64-2d0c-4f3e-9a3b-2c7e5d1a9b8c",
         "sessionId": "7d0c7a39-2c3e-4e6b-8f0a-9b8c7d6e5f4a", "sessionIndex": 3,
         "storageMechanism": "COOKIE_1", "firstEventTimestamp": "2024-05-01T10:00:00.000Z"}""";

    assertThat(validate(uri, valid)).isEmpty();
    assertThat(validate(uri, valid.replace("COOKIE_1", "COOKIE_2")))
        .singleElement().asString()
        .startsWith("$.storageMechanism: does not have a value in the enumeration");
    assertThat(validate(uri, valid.replace("2024-05-01T10:00:00.000Z", "yesterday")))
        .singleElement().asString()
        .startsWith("$.firstEventTimestamp: does not match the date-time pattern");
  }

  @Test
  void igluMetaSchemaMeansDraft04() throws IOException {
    // draft-04: exclusiveMaximum is a boolean modifier of maximum; const does not exist
    String schema = """
        {"$schema": "%s",
         "self": {"vendor": "com.acme", "name": "n", "format": "jsonschema", "version": "1-0-0"},
         "type": "object",
         "properties": {"n": {"type": "integer", "maximum": 10, "exclusiveMaximum": true},
                        "c": {"const": 1}}}""";
    publish("iglu:com.acme/central_meta/jsonschema/1-0-0", schema.formatted(
        "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"));
    publish("iglu:com.acme/iglu_meta/jsonschema/1-0-0", schema.formatted(
        "http://iglu.snowplowanalytics.com/schema/jsonschema/self-desc/schema/jsonschema/1-0-0#"));
    publish("iglu:com.acme/no_meta/jsonschema/1-0-0", schema.replaceFirst("\"\\$schema\": \"%s\",", ""));

    for (String name : List.of("central_meta", "iglu_meta", "no_meta")) {
      String uri = "iglu:com.acme/" + name + "/jsonschema/1-0-0";
      assertThat(validate(uri, "{\"n\": 9, \"c\": 2}")).as(name).isEmpty();
      // 10 fails only under draft-04, where "exclusiveMaximum": true makes maximum exclusive
      assertThat(validate(uri, "{\"n\": 10}")).as(name)
          .containsExactly("$.n: must have a maximum value of 10");
    }
  }

  @Test
  void honoursDraft07() throws IOException {
    publish("iglu:com.acme/checkout/jsonschema/1-0-0", """
        {"$schema": "http://json-schema.org/draft-07/schema#",
         "type": "object",
         "properties": {
           "version": {"const": 2},
           "total": {"type": "number", "exclusiveMinimum": 0},
           "coupon": {"if": {"type": "string"}, "then": {"minLength": 4}}
         },
         "required": ["total"]}""");
    String uri = "iglu:com.acme/checkout/jsonschema/1-0-0";

    assertThat(validate(uri, "{\"version\": 2, \"total\": 9.5, \"coupon\": \"SAVE10\"}")).isEmpty();
    assertThat(validate(uri, "{\"version\": 3, \"total\": 0, \"coupon\": \"X\"}"))
        .containsExactlyInAnyOrder(
            "$.version: must be the constant value '2'",
            "$.total: must have an exclusive minimum value of 0",
            "$.coupon: must be at least 4 characters long");
  }

  @Test
  void honoursDraft2020And2019() throws IOException {
    publish("iglu:com.acme/pair/jsonschema/1-0-0", """
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}""");
    publish("iglu:com.acme/card/jsonschema/1-0-0", """
        {"$schema": "https://json-schema.org/draft/2019-09/schema",
         "type": "object", "dependentRequired": {"card": ["cvv"]}}""");

    assertThat(validate("iglu:com.acme/pair/jsonschema/1-0-0", "[\"a\", 1]")).isEmpty();
    assertThat(validate("iglu:com.acme/pair/jsonschema/1-0-0", "[\"a\", \"b\", 3]"))
        .containsExactlyInAnyOrder("$[1]: string found, integer expected",
            "$: index '2' is not defined in the schema and the schema does not allow additional items");
    assertThat(validate("iglu:com.acme/card/jsonschema/1-0-0", "{\"card\": \"4111\"}"))
        .singleElement().asString().startsWith("$: has a missing property 'cvv'");
  }

  @Test
  void followsLocalReferences() throws IOException {
    publish("iglu:com.acme/order/jsonschema/1-0-0", """
        {"definitions": {"money": {"type": "number", "minimum": 0}},
         "type": "object", "properties": {"total": {"$ref": "#/definitions/money"}}}""");

    assertThat(validate("iglu:com.acme/order/jsonschema/1-0-0", "{\"total\": -1}"))
        .containsExactly("$.total: must have a minimum value of 0");
  }

  @Test
  void doesNotFollowRemoteReferences() throws IOException {
    try (HttpRegistryFakeServer server = new HttpRegistryFakeServer()) {
      server.respond("/money.json", 200, "{\"type\": \"number\"}");
      publish("iglu:com.acme/remote/jsonschema/1-0-0", """
          {"type": "object", "properties": {"total": {"$ref": "%s"}}}"""
          .formatted(server.uri("/money.json")));

      assertThatThrownBy(() -> validate("iglu:com.acme/remote/jsonschema/1-0-0", "{\"total\": 1}"))
          .isInstanceOf(SchemaResolutionException.class)
          .hasMessageContaining("schema iglu:com.acme/remote/jsonschema/1-0-0 is not a usable JSON Schema")
          .hasMessageContaining("references to other documents are disabled");
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void rejectsUnknownMetaSchemasAndNonSchemas() throws IOException {
    publish("iglu:com.acme/unknown_meta/jsonschema/1-0-0",
        "{\"$schema\": \"http://127.0.0.1:9/my-meta#\", \"type\": \"object\"}");
    publish("iglu:com.acme/array/jsonschema/1-0-0", "[1, 2]");

    assertThatThrownBy(() -> validate("iglu:com.acme/unknown_meta/jsonschema/1-0-0", "{}"))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageStartingWith("schema iglu:com.acme/unknown_meta/jsonschema/1-0-0 is not a usable JSON Schema");
    assertThatThrownBy(() -> validate("iglu:com.acme/array/jsonschema/1-0-0", "{}"))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessage("schema iglu:com.acme/array/jsonschema/1-0-0 is not a JSON Schema: "
            + "expected an object or a boolean, found array");
  }

  @Test
  void nullDataIsJsonNull() {
    JsonNode none = null;

    assertThat(resolver.validate(
        SchemaKey.parse(SNOWPLOW + "link_click/jsonschema/1-0-1"), none))
        .containsExactly("$: null found, object expected");
  }
}
