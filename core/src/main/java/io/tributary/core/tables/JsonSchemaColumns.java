package io.tributary.core.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The columns a JSON Schema (draft 4, as Iglu uses) declares for the data it describes, named as
 * {@link JsonFlattener} names the fields of a value, so that declared columns and values meet:
 *
 * <ul>
 *   <li>{@code integer} → BIGINT, {@code number} → DOUBLE (also {@code ["integer","number"]}),
 *       {@code boolean} → BOOLEAN, {@code string} → VARCHAR whatever its {@code format} (a {@code
 *       date-time} stays text, as strings in the value-typed tables do: a malformed one never costs
 *       the row), {@code array} → JSON;
 *   <li>{@code object} with {@code properties} → one column per property, names joined with {@code
 *       _} (up to {@link JsonFlattener#MAX_DEPTH} levels; deeper → JSON); an object without {@code
 *       properties} (free-form) → one JSON column;
 *   <li>{@code "null"} in a type list only makes the column nullable (all of them are); no {@code
 *       type} but an {@code enum} → the type of its values;
 *   <li>anything else → JSON: several scalar kinds (e.g. {@code ["string","integer"]}) → VARCHAR,
 *       any mix with object or array, no type at all, {@code $ref}, {@code oneOf}... → JSON.
 * </ul>
 *
 * <p>Properties not in the schema ({@code additionalProperties}) are not declared: the loader types
 * them from their values.
 */
public final class JsonSchemaColumns {
  private enum Kind { NULL, BOOLEAN, INTEGER, NUMBER, STRING, ARRAY, OBJECT }

  private JsonSchemaColumns() {}

  /** Columns of {@code schema} in property order; empty when it declares no properties. */
  public static Map<String, ColumnType> columns(JsonNode schema) {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    if (schema != null && schema.path("properties").isObject()) {
      walk(schema.path("properties"), "", 1, out);
    }
    return Collections.unmodifiableMap(out);
  }

  private static void walk(JsonNode properties, String parent, int depth,
      Map<String, ColumnType> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = parent + Names.snakeCase(e.getKey(), "field");
      JsonNode property = e.getValue();
      Set<Kind> kinds = kinds(property);
      kinds.remove(Kind.NULL);
      boolean nested = kinds.equals(EnumSet.of(Kind.OBJECT))
          && property.path("properties").isObject() && property.path("properties").size() > 0;
      if (nested && depth < JsonFlattener.MAX_DEPTH) {
        walk(property.path("properties"), name + "_", depth + 1, out);
      } else {
        out.putIfAbsent(name.length() > Names.MAX_LENGTH ? Names.snakeCase(name, "field") : name,
            type(kinds));
      }
    }
  }

  /** The column type of a set of non-null JSON kinds. */
  private static ColumnType type(Set<Kind> kinds) {
    if (kinds.size() == 1) {
      return switch (kinds.iterator().next()) {
        case BOOLEAN -> ColumnType.BOOLEAN;
        case INTEGER -> ColumnType.BIGINT;
        case NUMBER -> ColumnType.DOUBLE;
        case STRING -> ColumnType.VARCHAR;
        case NULL, ARRAY, OBJECT -> ColumnType.JSON;
      };
    }
    if (kinds.equals(EnumSet.of(Kind.INTEGER, Kind.NUMBER))) {
      return ColumnType.DOUBLE;
    }
    if (!kinds.isEmpty() && !kinds.contains(Kind.ARRAY) && !kinds.contains(Kind.OBJECT)) {
      return ColumnType.VARCHAR;
    }
    return ColumnType.JSON;
  }

  /** The kinds a property may have: from {@code type}, else from its {@code enum} values. */
  private static Set<Kind> kinds(JsonNode property) {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    JsonNode type = property.path("type");
    if (type.isTextual()) {
      add(kinds, type.textValue());
    } else if (type.isArray()) {
      type.forEach(t -> add(kinds, t.asText()));
    } else if (property.path("enum").isArray()) {
      for (JsonNode v : property.path("enum")) {
        kinds.add(v.isNull() ? Kind.NULL : v.isBoolean() ? Kind.BOOLEAN
            : v.isIntegralNumber() ? Kind.INTEGER : v.isNumber() ? Kind.NUMBER
            : v.isTextual() ? Kind.STRING : v.isArray() ? Kind.ARRAY : Kind.OBJECT);
      }
    } else if (property.path("properties").isObject()) {
      kinds.add(Kind.OBJECT);
    }
    return kinds;
  }

  private static void add(Set<Kind> kinds, String type) {
    switch (type) {
      case "null" -> kinds.add(Kind.NULL);
      case "boolean" -> kinds.add(Kind.BOOLEAN);
      case "integer" -> kinds.add(Kind.INTEGER);
      case "number" -> kinds.add(Kind.NUMBER);
      case "string" -> kinds.add(Kind.STRING);
      case "array" -> kinds.add(Kind.ARRAY);
      case "object" -> kinds.add(Kind.OBJECT);
      // An unknown type name may be anything: the column becomes JSON.
      default -> kinds.addAll(EnumSet.of(Kind.OBJECT, Kind.ARRAY));
    }
  }
}
