package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.FieldType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Replaces personal data with its salted SHA-256 (lowercase hex of SHA-256(salt + value), UTF-8),
 * so it can still be joined on but not read back.
 *
 * <p>{@code fields}: STRING fields, replaced whole. {@code jsonPaths}: for JSON fields (PROPERTIES,
 * TRAITS, CONTEXT, UNSTRUCT_EVENT, CONTEXTS), paths of exactly this form: "$" followed by ".name"
 * steps and "[*]" (every element of an array), e.g. "$.email", "$.user.phone", "$.data.email",
 * "$[*].data.email". Strings are hashed by their text, numbers and booleans by theirs, objects and
 * arrays by their compact JSON with sorted keys; null values and missing paths are left alone. The
 * JSON value is copied before it is changed, so a tree shared with other code is not touched.
 */
public final class PiiPseudonymisation implements Enrichment {
  private final byte[] salt;
  private final List<EventField> fields;
  private final Map<EventField, List<List<String>>> jsonPaths;

  public PiiPseudonymisation(String salt, List<EventField> fields,
      Map<EventField, List<String>> jsonPaths) {
    if (salt == null || salt.isEmpty()) {
      throw new ConfigException("pii.salt must be non-empty");
    }
    requireNonNull(fields, "fields is null");
    requireNonNull(jsonPaths, "jsonPaths is null");
    for (EventField field : fields) {
      if (field.type() != FieldType.STRING) {
        throw new ConfigException("pii.fields: " + field.column() + " is " + field.type()
            + ", only STRING fields can be pseudonymised whole (use jsonPaths for JSON)");
      }
    }
    Map<EventField, List<List<String>>> parsed = new EnumMap<>(EventField.class);
    jsonPaths.forEach((field, paths) -> {
      if (field.type() != FieldType.JSON) {
        throw new ConfigException("pii.jsonPaths: " + field.column() + " is not a JSON field");
      }
      List<List<String>> steps = new ArrayList<>();
      for (String path : paths) {
        steps.add(parsePath(path));
      }
      parsed.put(field, List.copyOf(steps));
    });
    this.salt = salt.getBytes(StandardCharsets.UTF_8);
    this.fields = List.copyOf(fields);
    this.jsonPaths = parsed;
  }

  @Override
  public String name() {
    return "pii_pseudonymisation";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    for (EventField field : fields) {
      String value = event.string(field);
      if (value != null) {
        event.set(field, hash(value));
      }
    }
    jsonPaths.forEach((field, paths) -> {
      JsonNode json = event.json(field);
      if (json == null) {
        return;
      }
      JsonNode copy = json.deepCopy();
      for (List<String> steps : paths) {
        replace(copy, steps, 0);
      }
      event.set(field, copy);
    });
  }

  /** Steps of a path: a name, or null for "[*]". */
  static List<String> parsePath(String path) {
    if (path == null || !path.startsWith("$") || path.length() < 2) {
      throw new ConfigException("pii.jsonPaths: " + path
          + " must be \"$\" followed by .name and [*] steps, e.g. $.user.email or $[*].data.email");
    }
    List<String> steps = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      if (path.startsWith("[*]", i)) {
        steps.add(null);
        i += 3;
      } else if (path.charAt(i) == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          throw new ConfigException("pii.jsonPaths: " + path + " has an empty name at " + i);
        }
        steps.add(path.substring(i + 1, end));
        i = end;
      } else {
        throw new ConfigException("pii.jsonPaths: " + path + " has '" + path.charAt(i) + "' at " + i
            + "; only .name and [*] steps are supported");
      }
    }
    return Collections.unmodifiableList(steps);
  }

  private void replace(JsonNode container, List<String> steps, int index) {
    String step = steps.get(index);
    boolean last = index == steps.size() - 1;
    if (step != null) {
      if (container instanceof ObjectNode object && object.has(step)) {
        if (last) {
          JsonNode hashed = hashNode(object.get(step));
          if (hashed != null) {
            object.set(step, hashed);
          }
        } else {
          replace(object.get(step), steps, index + 1);
        }
      }
    } else if (container instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (last) {
          JsonNode hashed = hashNode(array.get(i));
          if (hashed != null) {
            array.set(i, hashed);
          }
        } else {
          replace(array.get(i), steps, index + 1);
        }
      }
    }
  }

  private JsonNode hashNode(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isContainerNode()) {
      return TextNode.valueOf(hash(EventFingerprint.canonicalJson(value)));
    }
    return TextNode.valueOf(hash(value.asText()));
  }

  String hash(String value) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    digest.update(salt);
    return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}
