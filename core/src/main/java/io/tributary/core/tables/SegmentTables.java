package io.tributary.core.tables;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Segment's warehouse schema: the rows a Segment event gives the per-type tables ({@code tracks},
 * {@code pages}, {@code screens}, {@code identifies}, {@code groups}, {@code aliases}) and its track
 * event's own table ({@code order_completed} for "Order Completed"), with {@code properties} (pages,
 * screens, event tables) or {@code traits} (identifies, groups) flattened into dynamic columns. The
 * {@code users} table is not derived row by row: it holds, per user id, the latest identified
 * traits, computed from {@code identifies} (its dynamic columns mirror those of identifies).
 */
public final class SegmentTables {
  public static final String DISCARDS = "discards";
  public static final String USERS = "users";

  /** Columns of every per-event table, in order; values from the event field of the same name. */
  private static final Map<String, ColumnType> COMMON = columns(
      "event_id", ColumnType.VARCHAR, "source", ColumnType.VARCHAR,
      "user_id", ColumnType.VARCHAR, "anonymous_id", ColumnType.VARCHAR,
      "event_time", ColumnType.TIMESTAMP, "original_timestamp", ColumnType.TIMESTAMP,
      "sent_at", ColumnType.TIMESTAMP, "received_at", ColumnType.TIMESTAMP,
      "context", ColumnType.JSON, "loaded_at", ColumnType.TIMESTAMP);

  public static final TableDef TRACKS = def("tracks", "property_",
      "event", ColumnType.VARCHAR, "event_text", ColumnType.VARCHAR);
  public static final TableDef PAGES = def("pages", "property_", "name", ColumnType.VARCHAR);
  public static final TableDef SCREENS = def("screens", "property_", "name", ColumnType.VARCHAR);
  public static final TableDef IDENTIFIES = new TableDef("identifies", COMMON, "trait_",
      union(COMMON.keySet(), Set.of("id")));
  public static final TableDef GROUPS = def("groups", "trait_", "group_id", ColumnType.VARCHAR);
  public static final TableDef ALIASES = def("aliases", "", "previous_id", ColumnType.VARCHAR);
  public static final TableDef USERS_TABLE = new TableDef(USERS, columns(
      "id", ColumnType.VARCHAR, "event_time", ColumnType.TIMESTAMP,
      "received_at", ColumnType.TIMESTAMP, "loaded_at", ColumnType.TIMESTAMP), "trait_");
  public static final TableDef DISCARDS_TABLE = new TableDef(DISCARDS, columns(
      "table_name", ColumnType.VARCHAR, "column_name", ColumnType.VARCHAR,
      "value", ColumnType.VARCHAR, "reason", ColumnType.VARCHAR,
      "event_id", ColumnType.VARCHAR, "received_at", ColumnType.TIMESTAMP,
      "loaded_at", ColumnType.TIMESTAMP), "");

  /** Tables with fixed names; a track event whose name gives one of these gets {@code track_}. */
  public static final Set<String> RESERVED_TABLES = Set.of("events", "bad_events", DISCARDS,
      "tracks", "pages", "screens", "identifies", "groups", "aliases", USERS);

  private static final Map<String, TableDef> FIXED = new HashMap<>();

  static {
    for (TableDef d : List.of(TRACKS, PAGES, SCREENS, IDENTIFIES, GROUPS, ALIASES, USERS_TABLE,
        DISCARDS_TABLE)) {
      FIXED.put(d.name(), d);
    }
  }

  private SegmentTables() {}

  /** The tables with fixed names, created when the warehouse opens. */
  public static List<TableDef> fixedTables() {
    return List.of(TRACKS, PAGES, SCREENS, IDENTIFIES, GROUPS, ALIASES, USERS_TABLE,
        DISCARDS_TABLE);
  }

  /** The table of a track event name: {@code Order Completed} → {@code order_completed}. */
  public static String eventTableName(String eventName) {
    return eventTableName(eventName, Set.of());
  }

  /**
   * As {@link #eventTableName(String)}, with the names of declared tables also taken: a track event
   * named like one gets {@code track_} too.
   */
  public static String eventTableName(String eventName, Set<String> taken) {
    String name = Names.snakeCase(eventName, "event");
    return RESERVED_TABLES.contains(name) || taken.contains(name) ? "track_" + name : name;
  }

  /** The definition of a table by name: a fixed one, or else the table of a track event. */
  public static TableDef definition(String table) {
    TableDef fixed = FIXED.get(table);
    return fixed != null ? fixed : eventTable(table);
  }

  /** Definitions of event tables met so far (bounded: cleared when it grows past 10,000). */
  private static final Map<String, TableDef> EVENT_TABLES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static TableDef eventTable(String table) {
    TableDef def = EVENT_TABLES.get(table);
    if (def == null) {
      if (EVENT_TABLES.size() > 10_000) {
        EVENT_TABLES.clear();
      }
      def = new TableDef(table, TRACKS.fixedColumns(), "property_");
      EVENT_TABLES.put(table, def);
    }
    return def;
  }

  /**
   * The rows a Segment event gives; none for other protocols. {@code event} reads the event's values
   * by field (JSON fields as JSON text or a {@link JsonNode}).
   */
  public static List<DerivedRow> rows(Function<EventField, Object> event) {
    return rows(event, Set.of());
  }

  /** As {@link #rows(Function)}, with {@code taken} table names (declared tables) avoided. */
  public static List<DerivedRow> rows(Function<EventField, Object> event, Set<String> taken) {
    if (!"segment".equals(event.apply(EventField.PROTOCOL))) {
      return List.of();
    }
    Object type = event.apply(EventField.EVENT_TYPE);
    if (!(type instanceof String t)) {
      return List.of();
    }
    return switch (t) {
      case "track" -> track(event, taken);
      case "page" -> List.of(withFields(PAGES, event, EventField.PROPERTIES));
      case "screen" -> List.of(withFields(SCREENS, event, EventField.PROPERTIES));
      case "identify" -> List.of(withFields(IDENTIFIES, event, EventField.TRAITS));
      case "group" -> List.of(withFields(GROUPS, event, EventField.TRAITS));
      case "alias" -> List.of(new DerivedRow(ALIASES, Map.of(), List.of()));
      default -> List.of();
    };
  }

  private static List<DerivedRow> track(Function<EventField, Object> event, Set<String> taken) {
    Object name = event.apply(EventField.EVENT_NAME);
    if (!(name instanceof String eventName)) {
      return List.of(new DerivedRow(TRACKS, Map.of(), List.of()));
    }
    TableDef own = eventTable(eventTableName(eventName, taken));
    Map<String, Object> fixed = Map.of("event", own.name(), "event_text", eventName);
    return List.of(new DerivedRow(TRACKS, fixed, List.of()), new DerivedRow(own, fixed,
        JsonFlattener.flatten(Json.treeOrNull(event.apply(EventField.PROPERTIES)), own.prefix(),
            own.reserved())));
  }

  private static DerivedRow withFields(TableDef def, Function<EventField, Object> event,
      EventField source) {
    Object name = event.apply(EventField.EVENT_NAME);
    Map<String, Object> fixed = (def == PAGES || def == SCREENS) && name != null
        ? Map.of("name", name) : Map.of();
    return new DerivedRow(def, fixed,
        JsonFlattener.flatten(Json.treeOrNull(event.apply(source)), def.prefix(), def.reserved()));
  }

  /**
   * The value of a fixed column: from the row's own values, else from the event field of the same
   * name (JSON as text); null if neither has one.
   */
  public static Object fixedValue(DerivedRow row, String column,
      Function<EventField, Object> event) {
    return fixedValue(row, column, EventField.ofColumn(column), event);
  }

  /**
   * As {@link #fixedValue(DerivedRow, String, Function)}, with the column's event field ({@link
   * EventField#ofColumn}, may be null) looked up once by the caller rather than per row.
   */
  public static Object fixedValue(DerivedRow row, String column, EventField field,
      Function<EventField, Object> event) {
    Object v = row.fixed().get(column);
    if (v != null) {
      return v;
    }
    v = field == null ? null : event.apply(field);
    return v instanceof JsonNode j ? j.toString() : v;
  }

  private static TableDef def(String name, String prefix, Object... extra) {
    Map<String, ColumnType> cols = new LinkedHashMap<>();
    Map<String, ColumnType> more = columns(extra);
    // Type-specific columns go after the ids, before the times (as Segment's tables read).
    COMMON.forEach((k, v) -> {
      if (k.equals("event_time")) {
        cols.putAll(more);
      }
      cols.put(k, v);
    });
    return new TableDef(name, cols, prefix);
  }

  private static Map<String, ColumnType> columns(Object... nameType) {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    for (int i = 0; i < nameType.length; i += 2) {
      out.put((String) nameType[i], (ColumnType) nameType[i + 1]);
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
