package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaKeyTest {
  @Test
  void parsesAnIgluUri() {
    SchemaKey key = SchemaKey.parse("iglu:com.acme/button_press/jsonschema/1-2-3");

    assertThat(key).isEqualTo(new SchemaKey("com.acme", "button_press", "jsonschema", 1, 2, 3));
    assertThat(key.version()).isEqualTo("1-2-3");
  }

  @Test
  void printsUriAndPath() {
    SchemaKey key = new SchemaKey("com.snowplowanalytics.snowplow", "link_click", "jsonschema", 1, 0, 1);

    assertThat(key.toUri()).isEqualTo("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1");
    assertThat(key.path()).isEqualTo("com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1");
    assertThat(key).hasToString(key.toUri());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "iglu:com.acme/button_press/jsonschema/1-0-0",
      "iglu:com.acme-corp_x/a-b_c/jsonschema/10-20-300",
      "iglu:com.acme/x/avro/0-0-0"})
  void roundTrips(String uri) {
    assertThat(SchemaKey.parse(uri).toUri()).isEqualTo(uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "com.acme/button_press/jsonschema/1-0-0",
      "http://iglucentral.com/schemas/com.acme/button_press/jsonschema/1-0-0",
      "iglu:com.acme/button_press/jsonschema/1-0",
      "iglu:com.acme/button_press/jsonschema/1-0-0-0",
      "iglu:com.acme/button_press/jsonschema/1-0-x",
      "iglu:com.acme/button_press/1-0-0",
      "iglu:com.acme/button_press/jsonschema/1-0-0/extra",
      "iglu:com.acme/button press/jsonschema/1-0-0",
      "iglu:com.acme/button.press/jsonschema/1-0-0",
      "iglu:com acme/button_press/jsonschema/1-0-0",
      "iglu:/button_press/jsonschema/1-0-0",
      "iglu:../button_press/jsonschema/1-0-0",
      "iglu:com.acme/button_press/jsonschema/1234567890-0-0",
      " iglu:com.acme/button_press/jsonschema/1-0-0"})
  void rejectsInvalidUris(String uri) {
    assertThatThrownBy(() -> SchemaKey.parse(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid Iglu URI '" + uri + "'");
  }

  @Test
  void explainsTheExpectedForm() {
    assertThatThrownBy(() -> SchemaKey.parse("iglu:com.acme/button_press/jsonschema/1-0"))
        .hasMessage("invalid Iglu URI 'iglu:com.acme/button_press/jsonschema/1-0': expected "
            + "iglu:<vendor>/<name>/<format>/<model>-<revision>-<addition>, "
            + "e.g. iglu:com.acme/button_press/jsonschema/1-0-0");
    assertThatThrownBy(() -> SchemaKey.parse("iglu:com.acme/a.b/jsonschema/1-0-0"))
        .hasMessageContaining("invalid schema name 'a.b': must match [a-zA-Z0-9-_]+");
    assertThatThrownBy(() -> SchemaKey.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid Iglu URI: null");
  }

  @Test
  void constructorChecksEveryPart() {
    assertThatThrownBy(() -> new SchemaKey(null, "n", "jsonschema", 1, 0, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("vendor is null");
    assertThatThrownBy(() -> new SchemaKey("com.acme", "n", "json/schema", 1, 0, 0))
        .hasMessageContaining("invalid schema format 'json/schema'");
    assertThatThrownBy(() -> new SchemaKey("com.acme", "n", "jsonschema", 1, -1, 0))
        .hasMessageContaining("1--1-0: model, revision and addition must not be negative");
    assertThatThrownBy(() -> new SchemaKey("..", "n", "jsonschema", 1, 0, 0))
        .hasMessageContaining("invalid schema vendor '..'");
  }
}
