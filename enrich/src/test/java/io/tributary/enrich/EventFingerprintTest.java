package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
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
