package io.tributary.core.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.core.EventField;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rows events give the {@link DeclaredTable}s: one per table whose filter the event matches,
 * each column's value read at its path and cast to the column's type. A value that cannot be cast
 * becomes a {@link Discard} of the row (the column stays NULL); a missing value is NULL.
 *
 * <p>Casts, beyond a value that already has the type: a number or boolean into VARCHAR as its JSON
 * text; a string holding a number into BIGINT (if whole) or DOUBLE; a whole number written as a
 * decimal ({@code 12.0}) into BIGINT; {@code "true"}/{@code "false"} into BOOLEAN; an ISO-8601 time
 * into TIMESTAMP; anything into JSON. Nothing else: an object or array into VARCHAR, a fraction into
 * BIGINT, or a word into a number is discarded.
 */
public final class DeclaredTables {
  private static final Pattern NUMBER =
      Pattern.compile("\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*");

  private final List<DeclaredTable> tables;

  public DeclaredTables(List<DeclaredTable> tables) {
    this.tables = List.copyOf(tables);
  }

  public Set<String> names() {
    return tables.stream().map(DeclaredTable::name).collect(Collectors.toUnmodifiableSet());
  }

  public boolean isEmpty() {
    return tables.isEmpty();
  }

  /** The rows an event gives, reading its values by field as {@link JsonPath#read} does. */
  public List<DerivedRow> rows(Function<EventField, Object> event) {
    List<DerivedRow> rows = List.of();
    for (DeclaredTable t : tables) {
      if (t.filter().matches(event)) {
        if (rows.isEmpty()) {
          rows = new ArrayList<>(2);
        }
        rows.add(row(t, event));
      }
    }
    return rows;
  }

  static DerivedRow row(DeclaredTable table, Function<EventField, Object> event) {
    List<Field> fields = new ArrayList<>(table.columns().size());
    List<Discard> discards = List.of();
    for (DeclaredTable.Column c : table.columns()) {
      JsonNode v = c.path().read(event);
      if (v == null) {
        continue;
      }
      JsonNode cast = cast(v, c.type());
      if (cast != null) {
        fields.add(new Field(c.name(), cast));
      } else {
        if (discards.isEmpty()) {
          discards = new ArrayList<>(1);
        }
        discards.add(new Discard(table.name(), c.name(), v.toString(),
            TypeRules.kind(v) + " does not fit column type " + c.type().sql()));
      }
    }
    return new DerivedRow(table.def(), Map.of(), fields, table.declared(), discards);
  }

  /** The value as a JSON value of the column's type (see the class doc); null if it has none. */
  static JsonNode cast(JsonNode v, ColumnType type) {
    return switch (type) {
      case JSON -> v;
      case VARCHAR -> v.isTextual() ? v
          : v.isNumber() || v.isBoolean() ? TextNode.valueOf(v.toString()) : null;
      case BOOLEAN -> v.isBoolean() ? v : v.isTextual() ? bool(v.textValue()) : null;
      case DOUBLE -> v.isNumber() ? DoubleNode.valueOf(v.doubleValue())
          : v.isTextual() && NUMBER.matcher(v.textValue()).matches()
              ? DoubleNode.valueOf(Double.parseDouble(v.textValue().strip())) : null;
      case BIGINT -> whole(v.isNumber() ? v.decimalValue()
          : v.isTextual() && NUMBER.matcher(v.textValue()).matches()
              ? new BigDecimal(v.textValue().strip()) : null);
      case TIMESTAMP -> {
        Instant t = v.isTextual() ? TypeRules.instantOrNull(v.textValue()) : null;
        yield t == null ? null : TextNode.valueOf(t.toString());
      }
    };
  }

  private static JsonNode bool(String s) {
    return s.equalsIgnoreCase("true") ? BooleanNode.TRUE
        : s.equalsIgnoreCase("false") ? BooleanNode.FALSE : null;
  }

  private static JsonNode whole(BigDecimal d) {
    if (d == null) {
      return null;
    }
    try {
      return LongNode.valueOf(d.longValueExact());
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
