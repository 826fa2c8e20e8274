package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfDescribingValidatorTest {
  static final String LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1";
  static final String WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";
  static final String UUID = "2b1f6f8e-7a2d-4c1e-9a4b-0c6d7e8f9a0b";

  private final SchemaRegistryFake acme = new SchemaRegistryFake("acme");
  private final SelfDescribingValidator validator = new SelfDescribingValidator(new SchemaResolver(List.of(
      new RegistryEntry(acme, 0, List.of("com.acme")),
      new RegistryEntry(new DirectoryRegistry("iglu-central", DirectoryRegistryTest.igluCentral()), 1))));

  private static EnrichedEvent event(String unstruct, String contexts) {
    return new EnrichedEvent()
        .set(EventField.UNSTRUCT_EVENT, Json.parseOrNull(unstruct))
        .set(EventField.CONTEXTS, Json.parseOrNull(contexts));
  }

  private static Failure violation(String message) {
    return new Failure(BadRowType.SCHEMA_VIOLATION, message);
  }

  @Test
  void validEventAndEntitiesPass() {
    EnrichedEvent event = event(
        "{\"schema\": \"" + LINK_CLICK + "\", \"data\": {\"targetUrl\": \"https://example.com\"}}",
        "[{\"schema\": \"" + WEB_PAGE + "\", \"data\": {\"id\": \"" + UUID + "\"}}]");

    assertThat(validator.validate(event)).isEmpty();
  }

  @Test
  void eventsWithoutSelfDescribingJsonPass() {
    assertThat(validator.validate(new EnrichedEvent())).isEmpty();
    assertThat(validator.validate(event(null, "[]"))).isEmpty();
    assertThat(validator.validate(event("null", null))).isEmpty();
  }

  @Test
  void snowplowEnvelopesAreLookedThrough() {
    EnrichedEvent event = event("""
        {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
         "data": {"schema": "%s", "data": {"targetUrl": ""}}}""".formatted(LINK_CLICK), """
        {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1",
         "data": [{"schema": "%s", "data": {"id": "%s"}}]}""".formatted(WEB_PAGE, UUID));

    assertThat(validator.validate(event)).containsExactly(violation(
        "unstruct_event (" + LINK_CLICK + "): $.targetUrl: must be at least 1 characters long"));
  }

  @Test
  void invalidDataIsASchemaViolationPerRule() {
    EnrichedEvent event = event(
        "{\"schema\": \"" + LINK_CLICK + "\", \"data\": {\"targetUrl\": \"u\", \"elementId\": 7}}",
        "[{\"schema\": \"" + WEB_PAGE + "\", \"data\": {\"id\": \"" + UUID + "\"}},"
            + "{\"schema\": \"" + WEB_PAGE + "\", \"data\": {}}]");

    assertThat(validator.validate(event)).containsExactly(
        violation("unstruct_event (" + LINK_CLICK + "): $.elementId: integer found, string expected"),
        violation("contexts[1] (" + WEB_PAGE + "): $: required property 'id' not found"));
  }

  @Test
  void missingSchemaOrDataIsASchemaViolation() {
    EnrichedEvent event = event("{\"data\": {}}", """
        [{"schema": "%s", "data": {"id": "%s"}},
         {"schema": "%s"},
         {"schema": "%s", "data": {"id": "%s"}},
         {}]""".formatted(WEB_PAGE, UUID, WEB_PAGE, WEB_PAGE, UUID));

    assertThat(validator.validate(event)).containsExactly(
        violation("unstruct_event: 'schema' is missing"),
        violation("contexts[1]: 'data' is missing"),
        violation("contexts[3]: 'schema' is missing"),
        violation("contexts[3]: 'data' is missing"));
  }

  @Test
  void invalidSchemaUrisAreASchemaViolation() {
    EnrichedEvent event = event(
        "{\"schema\": 42, \"data\": {}}",
        "[{\"schema\": \"iglu:com.acme/button\", \"data\": {}},"
            + "{\"schema\": \"http://example.com/schema.json\", \"data\": {}}]");

    assertThat(validator.validate(event)).containsExactly(
        violation("unstruct_event: 'schema' must be a string, found number"),
        violation("contexts[0]: 'schema' is not valid: invalid Iglu URI 'iglu:com.acme/button': "
            + "expected iglu:<vendor>/<name>/<format>/<model>-<revision>-<addition>, "
            + "e.g. iglu:com.acme/button_press/jsonschema/1-0-0"),
        violation("contexts[1]: 'schema' is not valid: invalid Iglu URI "
            + "'http://example.com/schema.json': expected "
            + "iglu:<vendor>/<name>/<format>/<model>-<revision>-<addition>, "
            + "e.g. iglu:com.acme/button_press/jsonschema/1-0-0"));
  }

  @Test
  void wrongShapesAreASchemaViolation() {
    assertThat(validator.validate(event("\"click\"", "{\"schema\": \"" + WEB_PAGE + "\"}")))
        .containsExactly(
            violation("unstruct_event: expected a self-describing JSON object {schema, data}, "
                + "found string"),
            violation("contexts: expected a JSON array of self-describing JSON, found object"));
    assertThat(validator.validate(event(null, "[{\"schema\": \"" + WEB_PAGE + "\", \"data\": {\"id\": \""
        + UUID + "\"}}, 1, [2]]")))
        .containsExactly(
            violation("contexts[1]: expected a self-describing JSON object {schema, data}, found number"),
            violation("contexts[2]: expected a self-describing JSON object {schema, data}, found array"));
  }

  @Test
  void unresolvableSchemasAreAResolutionError() {
    EnrichedEvent event = event(null, """
        [{"schema": "iglu:com.acme/button/jsonschema/1-0-0", "data": {}},
         {"schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/9-9-9", "data": {}}]""");

    assertThat(validator.validate(event)).containsExactly(
        new Failure(BadRowType.RESOLUTION_ERROR, "contexts[0] (iglu:com.acme/button/jsonschema/1-0-0): "
            + "schema iglu:com.acme/button/jsonschema/1-0-0 not found: registries tried: "
            + "[acme, iglu-central]"),
        new Failure(BadRowType.RESOLUTION_ERROR,
            "contexts[1] (iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/9-9-9): "
                + "schema iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/9-9-9 not found: "
                + "registries tried: [iglu-central]"));
  }

  @Test
  void registryFailuresAreAResolutionError() {
    acme.failing("connection refused");
    EnrichedEvent event = event("{\"schema\": \"iglu:com.acme/button/jsonschema/1-0-0\", \"data\": {}}", null);

    assertThat(validator.validate(event)).singleElement().satisfies(f -> {
      assertThat(f.type()).isEqualTo(BadRowType.RESOLUTION_ERROR);
      assertThat(f.message()).isEqualTo("unstruct_event (iglu:com.acme/button/jsonschema/1-0-0): "
          + "schema iglu:com.acme/button/jsonschema/1-0-0 could not be resolved from registries "
          + "[acme, iglu-central]: schema registry 'acme': connection refused");
    });
  }

  @Test
  void schemasOfTheTestRegistryValidateToo() {
    acme.with("iglu:com.acme/button/jsonschema/1-0-0",
        "{\"type\": \"object\", \"properties\": {\"label\": {\"type\": \"string\"}}}");
    EnrichedEvent event = event(
        "{\"schema\": \"iglu:com.acme/button/jsonschema/1-0-0\", \"data\": {\"label\": 1}}", null);

    assertThat(validator.validate(event)).containsExactly(violation(
        "unstruct_event (iglu:com.acme/button/jsonschema/1-0-0): $.label: integer found, string expected"));
  }
}
