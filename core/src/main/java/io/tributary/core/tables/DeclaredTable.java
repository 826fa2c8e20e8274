package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

import io.tributary.core.EventField;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A table the configuration declares: which events it takes ({@link Filter}) and which columns it
 * gives them, each a {@link JsonPath} into the event and a type. One row per matching event, with
 * the {@link #FIXED_COLUMNS} first. Built with {@link #parse}, which checks every rule.
 */
public record DeclaredTable(String name, Filter filter, List<Column> columns) {
  /** Columns every declared table has, before its own; values from the event fields of that name. */
  public static final Map<String, ColumnType> FIXED_COLUMNS = fixedColumns();

  /** The types a column may be declared with, by their name in the configuration. */
  public static final Map<String, ColumnType> TYPES = Map.of("varchar", ColumnType.VARCHAR,
      "bigint", ColumnType.BIGINT, "double", ColumnType.DOUBLE, "boolean", ColumnType.BOOLEAN,
      "timestamp", ColumnType.TIMESTAMP, "json", ColumnType.JSON);

  public DeclaredTable {
    requireNonNull(name, "name is null");
    requireNonNull(filter, "filter is null");
    columns = List.copyOf(columns);
  }

  /** One declared column. */
  public record Column(String name, JsonPath path, ColumnType type) {
    public Column {
      requireNonNull(name, "name is null");
      requireNonNull(path, "path is null");
      requireNonNull(type, "type is null");
    }
  }

  /**
   * Which events the table takes: each condition given must hold, and a condition holds when the
   * event's value is one of those listed. Empty sets are conditions not given.
   *
   * @param events values of {@code event_name}
   * @param types values of {@code event_type}
   * @param sources values of {@code source}
   * @param schemas patterns {@code event_schema} must match one of
   */
  public record Filter(Set<String> events, Set<String> types, Set<String> sources,
      List<SchemaPattern> schemas) {
    public Filter {
      events = Set.copyOf(events);
      types = Set.copyOf(types);
      sources = Set.copyOf(sources);
      schemas = List.copyOf(schemas);
    }

    public boolean matches(Function<EventField, Object> event) {
      return in(events, event.apply(EventField.EVENT_NAME))
          && in(types, event.apply(EventField.EVENT_TYPE))
          && in(sources, event.apply(EventField.SOURCE))
          && (schemas.isEmpty() || schemas.stream()
              .anyMatch(p -> p.matches((String) event.apply(EventField.EVENT_SCHEMA))));
    }

    private static boolean in(Set<String> allowed, Object value) {
      return allowed.isEmpty() || (value instanceof String s && allowed.contains(s));
    }
  }

  /** A column as configured, before it is checked. */
  public record ColumnSpec(String name, String path, String type) {}

  /**
   * Checks a declared table and builds it.
   *
   * @param filter condition name ({@code event}, {@code type}, {@code source}, {@code schema}) to
   *     the values it accepts
   * @throws IllegalArgumentException naming the bad value and the rule
   */
  public static DeclaredTable parse(String name, Map<String, List<String>> filter,
      List<ColumnSpec> columns) {
    checkName(name, "table name");
    if (SegmentTables.RESERVED_TABLES.contains(name) || name.startsWith("_tributary")) {
      throw new IllegalArgumentException("'" + name + "' is the name of a built-in table; choose"
          + " another (built-in: " + new java.util.TreeSet<>(SegmentTables.RESERVED_TABLES)
          + ", _tributary_*)");
    }
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("declares no columns: add at least one {name, path, type}");
    }
    Set<String> seen = new HashSet<>();
    List<Column> out = new java.util.ArrayList<>();
    for (ColumnSpec c : columns) {
      checkName(c.name(), "column name");
      if (FIXED_COLUMNS.containsKey(c.name())) {
        throw new IllegalArgumentException("column '" + c.name() + "' is a column every declared"
            + " table has already " + FIXED_COLUMNS.keySet() + "; choose another name");
      }
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("column '" + c.name() + "' is declared twice");
      }
      if (c.path() == null) {
        throw new IllegalArgumentException("column '" + c.name() + "' has no path");
      }
      JsonPath path;
      try {
        path = JsonPath.parse(c.path());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("column '" + c.name() + "': " + e.getMessage());
      }
      ColumnType type = c.type() == null ? null : TYPES.get(c.type().toLowerCase(Locale.ROOT));
      if (type == null) {
        throw new IllegalArgumentException("column '" + c.name() + "': type must be one of "
            + new java.util.TreeSet<>(TYPES.keySet()) + ", not '" + c.type() + "'");
      }
      out.add(new Column(c.name(), path, type));
    }
    return new DeclaredTable(name, filter(filter == null ? Map.of() : filter), out);
  }

  private static Filter filter(Map<String, List<String>> conditions) {
    List<SchemaPattern> schemas = new java.util.ArrayList<>();
    for (String s : conditions.getOrDefault("schema", List.of())) {
      schemas.add(SchemaPattern.parse(s));
    }
    for (String key : conditions.keySet()) {
      if (!Set.of("event", "type", "source", "schema").contains(key)) {
        throw new IllegalArgumentException("filter '" + key + "' is unknown; use event, type,"
            + " source and/or schema");
      }
    }
    return new Filter(Set.copyOf(conditions.getOrDefault("event", List.of())),
        Set.copyOf(conditions.getOrDefault("type", List.of())),
        Set.copyOf(conditions.getOrDefault("source", List.of())), schemas);
  }

  private static void checkName(String name, String what) {
    if (name == null || name.isEmpty() || !name.equals(Names.snakeCase(name, "x"))) {
      throw new IllegalArgumentException(what + " '" + name + "' must be snake_case: lower-case"
          + " ASCII letters, digits and single '_', not starting with a digit, at most "
          + Names.MAX_LENGTH + " characters"
          + (name == null || name.isEmpty() ? "" : " (e.g. '" + Names.snakeCase(name, "x") + "')"));
    }
  }

  /** The table's definition: the fixed columns, then the declared ones (in {@link #declared}). */
  public TableDef def() {
    return new TableDef(name, FIXED_COLUMNS, "");
  }

  /** The declared columns and their types, in order. */
  public Map<String, ColumnType> declared() {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    columns.forEach(c -> out.put(c.name(), c.type()));
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, ColumnType> fixedColumns() {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    out.put("event_id", ColumnType.VARCHAR);
    out.put("event_time", ColumnType.TIMESTAMP);
    out.put("original_timestamp", ColumnType.TIMESTAMP);
    out.put("sent_at", ColumnType.TIMESTAMP);
    out.put("received_at", ColumnType.TIMESTAMP);
    out.put("loaded_at", ColumnType.TIMESTAMP);
    return Collections.unmodifiableMap(out);
  }
}
