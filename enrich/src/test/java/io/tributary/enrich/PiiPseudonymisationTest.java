package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiPseudonymisationTest {
  private static final String SALT = "pepper";

  @Test
  void hashesStringFieldsWithTheSalt() throws Exception {
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.USER_ID, "alice@example.com")
        .set(EventField.IP, "81.2.69.142")
        .set(EventField.APP_ID, "shop");
    pii(List.of(EventField.USER_ID, EventField.IP, EventField.NETWORK_USERID), Map.of()).enrich(event);

    assertThat(event.string(EventField.USER_ID)).isEqualTo(sha256(SALT + "alice@example.com"))
        .isEqualTo("8b8d9adc4875c0dca816e3e17b7ac87b45e40945b731fa02e3b42bf101589e21");
    assertThat(event.string(EventField.IP)).isEqualTo(sha256(SALT + "81.2.69.142"));
    assertThat(event.string(EventField.APP_ID)).isEqualTo("shop");
    assertThat(event.has(EventField.NETWORK_USERID)).isFalse();
  }

  @Test
  void differentSaltsGiveDifferentHashes() {
    EnrichedEvent a = new EnrichedEvent().set(EventField.USER_ID, "alice");
    EnrichedEvent b = new EnrichedEvent().set(EventField.USER_ID, "alice");
    new PiiPseudonymisation("one", List.of(EventField.USER_ID), Map.of()).enrich(a);
    new PiiPseudonymisation("two", List.of(EventField.USER_ID), Map.of()).enrich(b);

    assertThat(a.string(EventField.USER_ID)).isNotEqualTo(b.string(EventField.USER_ID));
  }

  @Test
  void hashesValuesAtJsonPaths() throws Exception {
    JsonNode traits = Json.parseOrNull("""
        {"email": "alice@example.com", "user": {"phone": 5551234, "name": "Alice"},
         "plan": "pro", "vip": true, "address": {"city": "Leeds"}, "nothing": null}""");
    EnrichedEvent event = new EnrichedEvent().set(EventField.TRAITS, traits);
    pii(List.of(), Map.of(EventField.TRAITS,
        List.of("$.email", "$.user.phone", "$.vip", "$.address", "$.nothing", "$.missing.deep")))
        .enrich(event);

    JsonNode out = event.json(EventField.TRAITS);
    assertThat(out.get("email").asText()).isEqualTo(sha256(SALT + "alice@example.com"));
    assertThat(out.at("/user/phone").asText()).isEqualTo(sha256(SALT + "5551234"));
    assertThat(out.at("/user/name").asText()).isEqualTo("Alice");
    assertThat(out.get("vip").asText()).isEqualTo(sha256(SALT + "true"));
    assertThat(out.get("address").asText()).isEqualTo(sha256(SALT + "{\"city\":\"Leeds\"}"));
    assertThat(out.get("nothing").isNull()).isTrue();
    assertThat(out.get("plan").asText()).isEqualTo("pro");
    assertThat(out.has("missing")).isFalse();
    assertThat(traits.get("email").asText()).as("the original tree is not touched")
        .isEqualTo("alice@example.com");
  }

  @Test
  void hashesThroughArraysOfEntities() throws Exception {
    JsonNode contexts = Json.parseOrNull("""
        [{"schema": "iglu:com.acme/user/jsonschema/1-0-0", "data": {"email": "a@x.io", "id": 1}},
         {"schema": "iglu:com.acme/page/jsonschema/1-0-0", "data": {"title": "Home"}},
         {"schema": "iglu:com.acme/user/jsonschema/1-0-0", "data": {"email": "b@x.io"}}]""");
    JsonNode unstruct = Json.parseOrNull("""
        {"schema": "iglu:com.acme/signup/jsonschema/1-0-0",
         "data": {"email": "c@x.io", "phones": ["555-1", "555-2"]}}""");
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.CONTEXTS, contexts)
        .set(EventField.UNSTRUCT_EVENT, unstruct);
    pii(List.of(), Map.of(
        EventField.CONTEXTS, List.of("$[*].data.email"),
        EventField.UNSTRUCT_EVENT, List.of("$.data.email", "$.data.phones[*]"))).enrich(event);

    JsonNode c = event.json(EventField.CONTEXTS);
    assertThat(c.at("/0/data/email").asText()).isEqualTo(sha256(SALT + "a@x.io"));
    assertThat(c.at("/0/data/id").asInt()).isEqualTo(1);
    assertThat(c.at("/1/data").toString()).isEqualTo("{\"title\":\"Home\"}");
    assertThat(c.at("/2/data/email").asText()).isEqualTo(sha256(SALT + "b@x.io"));
    JsonNode u = event.json(EventField.UNSTRUCT_EVENT);
    assertThat(u.at("/data/email").asText()).isEqualTo(sha256(SALT + "c@x.io"));
    assertThat(u.at("/data/phones/0").asText()).isEqualTo(sha256(SALT + "555-1"));
    assertThat(u.at("/data/phones/1").asText()).isEqualTo(sha256(SALT + "555-2"));
    assertThat(u.get("schema").asText()).isEqualTo("iglu:com.acme/signup/jsonschema/1-0-0");
  }

  @Test
  void pathsThatDoNotFitTheShapeAreIgnored() {
    JsonNode props = Json.parseOrNull("{\"email\": [\"a\"], \"list\": {\"x\": 1}}");
    EnrichedEvent event = new EnrichedEvent().set(EventField.PROPERTIES, props);
    pii(List.of(), Map.of(EventField.PROPERTIES, List.of("$.email.inner", "$.list[*]", "$[*]")))
        .enrich(event);

    assertThat(event.json(EventField.PROPERTIES)).isEqualTo(props);
  }

  @Test
  void absentFieldsAreSkipped() {
    EnrichedEvent event = new EnrichedEvent();
    pii(List.of(EventField.USER_ID), Map.of(EventField.TRAITS, List.of("$.email"))).enrich(event);
    assertThat(event.values()).isEmpty();
  }

  @Test
  void failsFastOnBadConfiguration() {
    assertThatThrownBy(() -> new PiiPseudonymisation("", List.of(EventField.USER_ID), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("salt");
    assertThatThrownBy(() -> new PiiPseudonymisation(null, List.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("salt");
    assertThatThrownBy(() -> pii(List.of(EventField.TRAITS), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("traits");
    assertThatThrownBy(() -> pii(List.of(), Map.of(EventField.USER_ID, List.of("$.x"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("user_id");
    for (String bad : List.of("email", "$", "$.", "$.a..b", "$.a[0]", "$['a']", "$.a[*")) {
      assertThatThrownBy(() -> pii(List.of(), Map.of(EventField.TRAITS, List.of(bad))))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining(bad);
    }
  }

  @Test
  void parsesPathsIntoSteps() {
    assertThat(PiiPseudonymisation.parsePath("$[*].data.email"))
        .containsExactly(null, "data", "email");
    assertThat(PiiPseudonymisation.parsePath("$.user.phone")).containsExactly("user", "phone");
    assertThat(PiiPseudonymisation.parsePath("$.list[*][*]")).containsExactly("list", null, null);
  }

  private static PiiPseudonymisation pii(List<EventField> fields,
      Map<EventField, List<String>> paths) {
    return new PiiPseudonymisation(SALT, fields, paths);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
