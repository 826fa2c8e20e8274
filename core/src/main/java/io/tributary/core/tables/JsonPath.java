package io.tributary.core.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.core.EventField;
import io.tributary.core.FieldType;
import io.tributary.core.Json;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A path to one value of an enriched event as the {@code events} table shows it: {@code $.} then a
 * column of {@code events}, then, inside a JSON column, object members and array elements.
 *
 * <pre>
 * $.event_name                         a column (timestamps read as ISO-8601 UTC strings)
 * $.properties.order_id                a member; nested: $.context.page.url
 * $.properties['order id']             a member whose name has '.', '[', ']' or spaces ("…" works too)
 * $.properties.items[0].sku            an array element, counted from 0
 * $.unstruct_event[iglu:com.acme/checkout/jsonschema/1-*-*].total
 *                                      the self-describing event's data, if its schema matches
 * $.contexts[iglu:com.acme/product/jsonschema/1-*-*].sku
 *                                      the data of the first entity whose schema matches
 * </pre>
 *
 * A path that leads nowhere (a missing member, an index past the end, a schema that does not match)
 * reads as null, like a JSON null.
 */
public final class JsonPath {
  /** One step below the column. */
  private sealed interface Step {}

  private record Member(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Schema(SchemaPattern pattern) implements Step {}

  private final String text;
  private final EventField column;
  private final List<Step> steps;

  private JsonPath(String text, EventField column, List<Step> steps) {
    this.text = text;
    this.column = column;
    this.steps = List.copyOf(steps);
  }

  /** @throws IllegalArgumentException naming the position and the rule when the path is invalid */
  public static JsonPath parse(String text) {
    if (text == null || !text.startsWith("$.")) {
      throw invalid(text, 0, "must start with '$.' and a column of events ($.properties.total)");
    }
    int i = 2;
    int end = nameEnd(text, i);
    String name = text.substring(i, end);
    EventField column = EventField.ofColumn(name);
    if (column == null) {
      throw invalid(text, i, "'" + name + "' is not a column of events");
    }
    List<Step> steps = new ArrayList<>();
    i = end;
    while (i < text.length()) {
      if (column.type() != FieldType.JSON) {
        throw invalid(text, i, "only JSON columns (properties, traits, context, unstruct_event,"
            + " contexts) have members, not " + column.column());
      }
      char c = text.charAt(i);
      if (c == '.') {
        end = nameEnd(text, i + 1);
        if (end == i + 1) {
          throw invalid(text, i, "empty member name");
        }
        steps.add(new Member(text.substring(i + 1, end)));
        i = end;
      } else if (c == '[') {
        int close = bracketEnd(text, i);
        String inner = text.substring(i + 1, close);
        steps.add(bracket(text, i, inner, column, steps.isEmpty()));
        i = close + 1;
      } else {
        throw invalid(text, i, "expected '.' or '['");
      }
    }
    return new JsonPath(text, column, steps);
  }

  private static Step bracket(String text, int at, String inner, EventField column,
      boolean first) {
    if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
        && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
      return new Member(inner.substring(1, inner.length() - 1));
    }
    if (inner.startsWith("iglu:")) {
      if (!first || (column != EventField.UNSTRUCT_EVENT && column != EventField.CONTEXTS)) {
        throw invalid(text, at, "a schema selector [iglu:…] may only follow $.unstruct_event or"
            + " $.contexts");
      }
      try {
        return new Schema(SchemaPattern.parse(inner));
      } catch (IllegalArgumentException e) {
        throw invalid(text, at, e.getMessage());
      }
    }
    if (inner.matches("[0-9]{1,9}")) {
      return new Index(Integer.parseInt(inner));
    }
    throw invalid(text, at, "expected [N] (an array index), ['name'] or [iglu:…], not [" + inner
        + "]");
  }

  private static int nameEnd(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
      i++;
    }
    return i;
  }

  private static int bracketEnd(String text, int open) {
    char quote = open + 1 < text.length() ? text.charAt(open + 1) : 0;
    int from = open + 1;
    if (quote == '\'' || quote == '"') {
      int closeQuote = text.indexOf(quote, open + 2);
      if (closeQuote < 0) {
        throw invalid(text, open, "unclosed quote");
      }
      from = closeQuote;
    }
    int close = text.indexOf(']', from);
    if (close < 0) {
      throw invalid(text, open, "unclosed '['");
    }
    return close;
  }

  private static IllegalArgumentException invalid(String text, int at, String rule) {
    return new IllegalArgumentException("path '" + text + "' at " + at + ": " + rule);
  }

  /** The column of {@code events} the path starts from. */
  public EventField column() {
    return column;
  }

  /**
   * The value at this path of an event whose values {@code event} reads by field (JSON fields as
   * JSON text or a {@link JsonNode}, timestamps as {@link Instant} or UTC {@link LocalDateTime});
   * null where there is none.
   */
  public JsonNode read(Function<EventField, Object> event) {
    JsonNode node = root(event.apply(column));
    for (Step step : steps) {
      if (node == null) {
        return null;
      }
      if (step instanceof Member m) {
        node = node.isObject() ? node.get(m.name()) : null;
      } else if (step instanceof Index x) {
        node = node.isArray() ? node.get(x.index()) : null;
      } else {
        node = select(node, ((Schema) step).pattern());
      }
    }
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  private JsonNode root(Object value) {
    if (value == null) {
      return null;
    }
    return switch (column.type()) {
      case JSON -> Json.treeOrNull(value);
      case STRING -> TextNode.valueOf(value.toString());
      case INTEGER -> IntNode.valueOf(((Number) value).intValue());
      case DOUBLE -> DoubleNode.valueOf(((Number) value).doubleValue());
      case BOOLEAN -> BooleanNode.valueOf((Boolean) value);
      case TIMESTAMP -> TextNode.valueOf(value instanceof LocalDateTime t
          ? t.toInstant(ZoneOffset.UTC).toString() : value.toString());
    };
  }

  /** The data of the self-describing JSON (or first entity of an array) whose schema matches. */
  private static JsonNode select(JsonNode node, SchemaPattern pattern) {
    if (node.isArray()) {
      for (JsonNode entity : node) {
        if (pattern.matches(entity.path("schema").textValue())) {
          return entity.get("data");
        }
      }
      return null;
    }
    return pattern.matches(node.path("schema").textValue()) ? node.get("data") : null;
  }

  @Override
  public String toString() {
    return text;
  }
}
