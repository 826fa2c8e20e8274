package io.tributary.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A canonical event while it is validated and enriched: a mutable map from {@link EventField} to a
 * value of that field's Java type. Not thread-safe; one stage works on it at a time.
 */
public final class EnrichedEvent {
  private final EnumMap<EventField, Object> values = new EnumMap<>(EventField.class);

  /** Sets a field (null removes it); the value must be of the field's Java type. */
  public EnrichedEvent set(EventField field, Object value) {
    if (value == null) {
      values.remove(field);
      return this;
    }
    Class<?> expected = switch (field.type()) {
      case STRING -> String.class;
      case TIMESTAMP -> Instant.class;
      case INTEGER -> Integer.class;
      case DOUBLE -> Double.class;
      case BOOLEAN -> Boolean.class;
      case JSON -> JsonNode.class;
    };
    if (!expected.isInstance(value)) {
      throw new IllegalArgumentException(field.column() + " takes " + expected.getSimpleName()
          + ", not " + value.getClass().getSimpleName());
    }
    values.put(field, value);
    return this;
  }

  public Object get(EventField field) {
    return values.get(field);
  }

  public String string(EventField field) {
    return (String) values.get(field);
  }

  public Instant timestamp(EventField field) {
    return (Instant) values.get(field);
  }

  public JsonNode json(EventField field) {
    return (JsonNode) values.get(field);
  }

  public boolean has(EventField field) {
    return values.containsKey(field);
  }

  /** The fields that are set, in declaration order. */
  public Map<EventField, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  public String eventId() {
    return string(EventField.EVENT_ID);
  }

  @Override
  public String toString() {
    return "EnrichedEvent" + values;
  }
}
