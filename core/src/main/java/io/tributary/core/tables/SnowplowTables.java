package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Snowplow's per-schema tables: the self-describing event of an event ({@code unstruct_event}) gives
 * one row to the table of its schema, and each entity ({@code contexts}) one row to the table of its
 * schema. A table holds one schema model of one vendor and name: {@code
 * iglu:com.acme/button_press/jsonschema/1-0-2} → {@code com_acme_button_press_1}; revisions and
 * additions of that model share it (new columns), a new model gets a new table. The data's fields
 * become columns as {@link JsonFlattener} names them, typed from the schema where {@link
 * SchemaColumnTypes} knows it and from the values otherwise.
 *
 * <p>Every table has the same fixed columns ({@link #FIXED_COLUMNS}), whether its rows come from
 * events or entities (a schema may be used as both): {@code entity_index} is NULL in the row of a
 * self-describing event and 0, 1... for the instances of that entity schema in one event.
 */
public final class SnowplowTables {
  /** Prefix of a data field whose column name equals a fixed column ({@code data_event_id}). */
  public static final String PREFIX = "data_";

  public static final Map<String, ColumnType> FIXED_COLUMNS = fixedColumns();

  private static final Pattern IGLU =
      Pattern.compile("iglu:([^/]+)/([^/]+)/([^/]+)/([0-9]{1,9})-([0-9]{1,9})-([0-9]{1,9})");
  private static final int CACHED = 10_000;

  private final SchemaColumnTypes types;
  /** Table names declared tables hold: a schema table named like one gets {@code schema_} first. */
  private final Set<String> taken;
  /** Per schema URI (bounded: cleared when it grows past {@link #CACHED}); null values: no table. */
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  /** The table and version of one schema URI. */
  private record Schema(TableDef table, String version) {}

  public SnowplowTables(SchemaColumnTypes types) {
    this(types, Set.of());
  }

  /** @param taken names of declared tables, which schema tables must not write into */
  public SnowplowTables(SchemaColumnTypes types, Set<String> taken) {
    this.types = requireNonNull(types, "types is null");
    this.taken = Set.copyOf(taken);
  }

  /** As {@link #tableName(String)}, with {@code schema_} first when a declared table has that name. */
  public static String tableName(String schemaUri, Set<String> taken) {
    String table = tableName(schemaUri);
    if (table == null || !taken.contains(table)) {
      return table;
    }
    String prefixed = "schema_" + table;
    return prefixed.length() <= Names.MAX_LENGTH ? prefixed
        : "schema_" + table.substring(table.length() + "schema_".length() - Names.MAX_LENGTH);
  }

  /**
   * The table of a schema: vendor and name in snake_case, then the model, e.g. {@code
   * com_snowplowanalytics_snowplow_web_page_1}; null for a string that is not an Iglu URI.
   */
  public static String tableName(String schemaUri) {
    Matcher m = schemaUri == null ? null : IGLU.matcher(schemaUri);
    if (m == null || !m.matches()) {
      return null;
    }
    String model = "_" + Integer.parseInt(m.group(4));
    String base = Names.snakeCase(m.group(1) + "_" + m.group(2), "schema");
    if (base.length() + model.length() > Names.MAX_LENGTH) {
      base = base.substring(0, Names.MAX_LENGTH - model.length());
    }
    return base + model;
  }

  /** The definition of a Snowplow table (its fixed columns; dynamic ones come from the data). */
  public static TableDef definition(String table) {
    return new TableDef(table, FIXED_COLUMNS, PREFIX);
  }

  /**
   * The rows an event gives: one for its self-describing event, one per entity. {@code event} reads
   * the event's values by field (JSON fields as JSON text or a {@link JsonNode}).
   */
  public List<DerivedRow> rows(Function<EventField, Object> event) {
    JsonNode unstruct = Json.treeOrNull(event.apply(EventField.UNSTRUCT_EVENT));
    JsonNode contexts = Json.treeOrNull(event.apply(EventField.CONTEXTS));
    boolean hasEntities = contexts != null && contexts.isArray() && !contexts.isEmpty();
    if (unstruct == null && !hasEntities) {
      return List.of();
    }
    List<DerivedRow> rows = new ArrayList<>(hasEntities ? contexts.size() + 1 : 1);
    if (unstruct != null) {
      DerivedRow row = row(unstruct, null);
      if (row != null) {
        rows.add(row);
      }
    }
    if (hasEntities) {
      Map<String, Integer> indexes = new HashMap<>();
      for (JsonNode entity : contexts) {
        Schema schema = schema(entity.path("schema").textValue());
        if (schema != null) {
          int index = indexes.merge(schema.table().name(), 1, Integer::sum) - 1;
          rows.add(row(entity, (long) index));
        }
      }
    }
    return rows;
  }

  private DerivedRow row(JsonNode selfDescribing, Long entityIndex) {
    String uri = selfDescribing.path("schema").textValue();
    Schema schema = schema(uri);
    if (schema == null) {
      return null;
    }
    TableDef def = schema.table();
    Map<String, ColumnType> declared = types.columns(uri).orElse(Map.of());
    List<Field> fields = JsonFlattener.flatten(selfDescribing.path("data"), PREFIX, def.reserved(),
        name -> declared.containsKey(name));
    Map<String, Object> fixed = entityIndex == null
        ? Map.of("schema_version", schema.version())
        : Map.of("schema_version", schema.version(), "entity_index", entityIndex);
    return new DerivedRow(def, fixed, fields, prefixed(declared, def));
  }

  private Schema schema(String uri) {
    if (uri == null) {
      return null;
    }
    Schema schema = schemas.get(uri);
    if (schema == null) {
      String table = tableName(uri, taken);
      if (table == null) {
        return null;
      }
      Matcher m = IGLU.matcher(uri);
      m.matches();
      if (schemas.size() > CACHED) {
        schemas.clear();
      }
      schema = new Schema(definition(table), Integer.parseInt(m.group(4)) + "-"
          + Integer.parseInt(m.group(5)) + "-" + Integer.parseInt(m.group(6)));
      schemas.put(uri, schema);
    }
    return schema;
  }

  /** Declared columns with the prefix where they would take a fixed column's name. */
  private static Map<String, ColumnType> prefixed(Map<String, ColumnType> declared, TableDef def) {
    if (declared.keySet().stream().noneMatch(def.reserved()::contains)) {
      return declared;
    }
    Map<String, ColumnType> out = new LinkedHashMap<>();
    declared.forEach((name, type) ->
        out.putIfAbsent(def.reserved().contains(name) ? def.prefix() + name : name, type));
    return out;
  }

  private static Map<String, ColumnType> fixedColumns() {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    out.put("event_id", ColumnType.VARCHAR);
    out.put("source", ColumnType.VARCHAR);
    out.put("app_id", ColumnType.VARCHAR);
    out.put("user_id", ColumnType.VARCHAR);
    out.put("event_name", ColumnType.VARCHAR);
    out.put("schema_version", ColumnType.VARCHAR);
    out.put("entity_index", ColumnType.BIGINT);
    out.put("event_time", ColumnType.TIMESTAMP);
    out.put("original_timestamp", ColumnType.TIMESTAMP);
    out.put("sent_at", ColumnType.TIMESTAMP);
    out.put("received_at", ColumnType.TIMESTAMP);
    out.put("loaded_at", ColumnType.TIMESTAMP);
    return java.util.Collections.unmodifiableMap(out);
  }
}
