package io.tributary.core.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns a JSON object (Segment {@code properties} or {@code traits}) into column fields: nested
 * objects are flattened with {@code _} ({@code {"address":{"city":…}}} → {@code address_city}), each
 * key in {@link Names#snakeCase snake_case}; arrays stay whole (JSON columns); nulls and empty
 * objects give no field; objects deeper than {@link #MAX_DEPTH} stay whole. A name equal to one of
 * the table's {@code reserved} columns gets {@code prefix} in front ({@code event_id} → {@code
 * property_event_id}). Two keys may give the same name; both are returned, in document order, and
 * the table keeps the first (see {@link TableShape#fit}).
 */
public final class JsonFlattener {
  public static final int MAX_DEPTH = 8;

  private JsonFlattener() {}

  public static List<Field> flatten(JsonNode object, String prefix, Set<String> reserved) {
    return flatten(object, prefix, reserved, name -> false);
  }

  /**
   * As {@link #flatten(JsonNode, String, Set)}, but an object whose column name (before the prefix)
   * {@code whole} accepts stays whole, as one field: a schema declared a JSON column for it.
   */
  public static List<Field> flatten(JsonNode object, String prefix, Set<String> reserved,
      Predicate<String> whole) {
    List<Field> out = new ArrayList<>();
    if (object != null && object.isObject()) {
      walk(object, "", 1, whole, out);
    }
    if (!reserved.isEmpty()) {
      for (int i = 0; i < out.size(); i++) {
        Field f = out.get(i);
        if (reserved.contains(f.column())) {
          out.set(i, new Field(prefix + f.column(), f.value()));
        }
      }
    }
    return out;
  }

  private static void walk(JsonNode object, String parent, int depth, Predicate<String> whole,
      List<Field> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        continue;
      }
      String name = parent + Names.snakeCase(e.getKey(), "field");
      if (v.isObject() && depth < MAX_DEPTH && !whole.test(name)) {
        walk(v, name + "_", depth + 1, whole, out);
      } else {
        out.add(new Field(name.length() > Names.MAX_LENGTH ? Names.snakeCase(name, "field") : name,
            v));
      }
    }
  }
}
