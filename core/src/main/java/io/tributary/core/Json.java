package io.tributary.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The one shared JSON mapper of core, and small helpers around it. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses JSON text produced by Tributary itself; null stays null. */
  public static JsonNode parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * A value read from an event as a JSON tree: a tree as it is (a JSON null or missing node as null),
   * JSON text parsed, anything else, or text that is not JSON, null.
   */
  public static JsonNode treeOrNull(Object value) {
    if (value instanceof JsonNode node) {
      return node.isNull() || node.isMissingNode() ? null : node;
    }
    if (value instanceof String text) {
      try {
        return parseOrNull(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }
}
