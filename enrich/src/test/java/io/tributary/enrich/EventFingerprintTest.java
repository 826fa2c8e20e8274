package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventFingerprintTest {
  private final EventFingerprint fingerprint = new EventFingerprint();

  @Test
  void defaultFieldsAreAllButTheDeliverySpecificOnes() {
    assertThat(EventFingerprint.DEFAULT_FIELDS)
        .doesNotContain(EventField.EVENT_ID, EventField.RECEIVED_AT, EventField.RAW_ID,
            EventField.EVENT_FINGERPRINT)
        .hasSize(EventField.values().length - 4)
        .isSorted();
  }

  @Test
  void theEncodingIsPinned() throws Exception {
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.EVENT_NAME, "Order Completed")
        .set(EventField.SENT_AT, Instant.parse("2024-05-01T10:00:00.123Z"))
        .set(EventField.SE_VALUE, 2.5)
        .set(EventField.PROPERTIES, Json.parseOrNull("{\"b\":[1,{\"y\":true,\"x\":null}],\"a\":\"é\"}"));
    new EventFingerprint(List.of(EventField.PROPERTIES, EventField.SE_VALUE, EventField.EVENT_NAME,
        EventField.SENT_AT, EventField.USER_ID), "SHA-256").enrich(event);

    String text = "event_name=Order Completed\u0001sent_at=2024-05-01T10:00:00.123Z\u0001"
        + "properties={\"a\":\"é\",\"b\":[1,{\"x\":null,\"y\":true}]}\u0001se_value=2.5\u0001";
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(event.string(EventField.EVENT_FINGERPRINT)).isEqualTo(expected)
        .isEqualTo("2942ac5273760a96e33326468b6013d2d7de8ffebca09f7460f8197b91eb656d");
  }

  @Test
  void sameEventSameFingerprintWhateverTheDeliveryFields() {
    EnrichedEvent first = fullEvent();
    EnrichedEvent redelivered = fullEvent()
        .set(EventField.EVENT_ID, "another-id")
        .set(EventField.RECEIVED_AT, Instant.parse("2030-01-01T00:00:00Z"))
        .set(EventField.RAW_ID, "raw-2")
        .set(EventField.EVENT_FINGERPRINT, "stale");

    assertThat(hash(redelivered)).isEqualTo(hash(first)).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void everyDefaultFieldChangesTheFingerprint() {
    String base = hash(fullEvent());
    for (EventField field : EventFingerprint.DEFAULT_FIELDS) {
      EnrichedEvent changed = fullEvent().set(field, otherValue(field));
      assertThat(hash(changed)).as(field.column()).isNotEqualTo(base);
      EnrichedEvent removed = fullEvent().set(field, null);
      assertThat(hash(removed)).as(field.column() + " removed").isNotEqualTo(base);
    }
  }

  @Test
  void jsonKeyOrderAndConfiguredFieldOrderDoNotMatter() {
    EnrichedEvent a = new EnrichedEvent().set(EventField.USER_ID, "u")
        .set(EventField.PROPERTIES, Json.parseOrNull("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}"));
    EnrichedEvent b = new EnrichedEvent().set(EventField.USER_ID, "u")
        .set(EventField.PROPERTIES, Json.parseOrNull("{\"b\":{\"d\":3,\"c\":2},\"a\":1}"));
    new EventFingerprint(List.of(EventField.USER_ID, EventField.PROPERTIES), "SHA-256").enrich(a);
    new EventFingerprint(List.of(EventField.PROPERTIES, EventField.USER_ID), "SHA-256").enrich(b);

    assertThat(a.string(EventField.EVENT_FINGERPRINT)).isEqualTo(b.string(EventField.EVENT_FINGERPRINT));
  }

  @Test
  void absentAndEmptyDiffer() {
    EnrichedEvent empty = new EnrichedEvent().set(EventField.USER_ID, "");
    assertThat(hash(empty)).isNotEqualTo(hash(new EnrichedEvent()));
  }

  @Test
  void md5IsAllowedOthersAreNot() {
    EnrichedEvent event = fullEvent();
    new EventFingerprint(EventFingerprint.DEFAULT_FIELDS, "MD5").enrich(event);
    assertThat(event.string(EventField.EVENT_FINGERPRINT)).hasSize(32);

    assertThatThrownBy(() -> new EventFingerprint(EventFingerprint.DEFAULT_FIELDS, "SHA-1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHA-1");
    assertThatThrownBy(() -> new EventFingerprint(List.of(), "MD5"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new EventFingerprint(List.of(EventField.EVENT_FINGERPRINT), "MD5"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void instantsAreWrittenAsInstantToString() {
    Random random = new Random(7);
    List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH,
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
        Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.MIN, Instant.MAX, Instant.parse("2024-02-29T00:00:00Z")));
    for (int i = 0; i < 2_000; i++) {
      instants.add(Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L, random.nextInt(3) == 0
          ? 0 : random.nextInt(1_000_000_000)));
    }
    for (Instant t : instants) {
      EventFingerprint.Text text = new EventFingerprint.Text();
      text.instant(t);
      assertThat(bytes(text)).isEqualTo(t.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static byte[] bytes(EventFingerprint.Text text) {
    return java.util.Arrays.copyOf(text.bytes(), text.length());
  }

  @Test
  void jsonIsWrittenAsJacksonWritesItWithSortedKeys() throws Exception {
    ObjectMapper sorted = new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);
    List<JsonNode> trees = new java.util.ArrayList<>();
    for (String json : List.of("{}", "[]", "null", "\"\"", "0.1", "1e20", "1.0E-7", "-0.0", "1e400",
        "123456789.123", "12345678901234567890", "-9223372036854775808", "9223372036854775807",
        "2147483648", "{\"z\":{\"b\":1,\"a\":[{\"d\":2,\"c\":3}]},\"A\":\"x\",\"é\":1}",
        "\"\\u0000\\u001f\\\"\\\\/\\u007f\\u0080\\u009f\\u00a0\\u2028\\u2029\\ud83d\\ude00\\ud800\"")) {
      trees.add(Json.parseOrNull(json));
    }
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      trees.add(randomTree(random, 3));
    }
    for (JsonNode tree : trees) {
      EventFingerprint.Text text = new EventFingerprint.Text();
      text.canonical(tree);
      assertThat(bytes(text)).as(tree.toString())
          .isEqualTo(sorted.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void theWordTestFindsWhatTheByteTestFinds() {
    Random random = new Random(3);
    byte[] special = {0, 0x1f, 0x20, '"', '\\', 0x7e, 0x7f, (byte) 0x80, (byte) 0xff, 'a', '!', '#'};
    for (int n = 0; n < 20_000; n++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int k = 0; k < b.length; k++) {
        b[k] = random.nextInt(30) == 0 ? special[random.nextInt(special.length)]
            : (byte) (0x20 + random.nextInt(0x5f));
      }
      boolean expected = false;
      for (byte c : b) {
        expected |= c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
      }
      assertThat(EventFingerprint.Text.anyEscapedOrNonAscii(b)).isEqualTo(expected);
    }
  }

  @Test
  void fingerprintsAreThoseOfTheDocumentedEncoding() throws Exception {
    ObjectMapper sorted = new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);
    Random random = new Random(5);
    List<EnrichedEvent> events = new java.util.ArrayList<>(List.of(fullEvent(), new EnrichedEvent()));
    for (int i = 0; i < 2_000; i++) {
      EnrichedEvent event = new EnrichedEvent();
      for (EventField field : EventField.values()) {
        if (random.nextInt(3) > 0) {
          event.set(field, randomValue(random, field));
        }
      }
      events.add(event);
    }
    for (EnrichedEvent event : events) {
      StringBuilder text = new StringBuilder();
      for (EventField field : EventFingerprint.DEFAULT_FIELDS) {
        Object value = event.get(field);
        if (value != null) {
          text.append(field.column()).append('=').append(value instanceof JsonNode json
              ? sorted.writeValueAsString(json) : value.toString()).append('\u0001');
        }
      }
      String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
      assertThat(hash(event)).as(text.toString()).isEqualTo(expected);
    }
  }

  private static Object randomValue(Random random, EventField field) {
    return switch (field.type()) {
      case STRING -> randomString(random);
      case TIMESTAMP -> Instant.ofEpochSecond(random.nextInt(2_000_000_000),
          random.nextBoolean() ? 0 : random.nextInt(3) * 1_000_000 + random.nextInt(2) * 1_000 + random.nextInt(2));
      case INTEGER -> random.nextInt();
      case DOUBLE -> random.nextBoolean() ? random.nextDouble() * 1e6 : (double) random.nextInt(100);
      case BOOLEAN -> random.nextBoolean();
      case JSON -> randomTree(random, 3);
    };
  }

  private static String randomString(Random random) {
    // Lone surrogates too (getBytes makes each a '?'), and runs longer than Text writes char by char.
    String[] pieces = {"a", "Zz", "é", "例", "\"", "\\", "\n", "\u0001", "\u007f", "\u0085", "\u2028",
        "\ud83d\ude00", " ", "/", "0", "\ud83d", "\ude00", "https://shop.example.com/p?q=1&r=2",
        "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0"};
    StringBuilder s = new StringBuilder();
    for (int k = random.nextInt(7); k > 0; k--) {
      s.append(pieces[random.nextInt(pieces.length)]);
    }
    return s.toString();
  }

  private static JsonNode randomTree(Random random, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (depth <= 0 ? random.nextInt(6) : random.nextInt(8)) {
      case 0: return f.textNode(randomString(random));
      case 1: return f.numberNode(random.nextInt());
      case 2: return f.numberNode(random.nextLong());
      case 3: return f.numberNode(random.nextBoolean() ? random.nextDouble() * 1e12 : random.nextDouble() / 1e5);
      case 4: return f.booleanNode(random.nextBoolean());
      case 5: return random.nextBoolean() ? f.nullNode() : f.numberNode(new java.math.BigDecimal("1.50"));
      case 6: {
        ArrayNode array = f.arrayNode();
        for (int k = random.nextInt(4); k > 0; k--) {
          array.add(randomTree(random, depth - 1));
        }
        return array;
      }
      default: {
        ObjectNode object = f.objectNode();
        // Now and then more entries than appendCanonical sorts by insertion (16).
        for (int k = random.nextInt(random.nextInt(8) == 0 ? 30 : 5); k > 0; k--) {
          object.set(randomString(random), randomTree(random, depth - 1));
        }
        return object;
      }
    }
  }

  private String hash(EnrichedEvent event) {
    fingerprint.enrich(event);
    return event.string(EventField.EVENT_FINGERPRINT);
  }

  /** Every field set to a value of its type. */
  static EnrichedEvent fullEvent() {
    EnrichedEvent event = new EnrichedEvent();
    for (EventField field : EventField.values()) {
      event.set(field, value(field, 1));
    }
    return event;
  }

  private static Object otherValue(EventField field) {
    return value(field, 2);
  }

  private static Object value(EventField field, int n) {
    return switch (field.type()) {
      case STRING -> field.column() + "-" + n;
      case TIMESTAMP -> Instant.ofEpochSecond(1_700_000_000L + n);
      case INTEGER -> n;
      case DOUBLE -> n + 0.5;
      case BOOLEAN -> n == 1;
      case JSON -> Json.parseOrNull("{\"" + field.column() + "\":" + n + "}");
    };
  }
}
