package io.tributary.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.FieldType;
import io.tributary.core.Json;
import io.tributary.core.ManualClock;
import io.tributary.core.SourcedRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An event with every canonical field set goes through the enriched topic into events intact. */
class EnrichedEventLoadTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final TimeZone originalZone = TimeZone.getDefault();
  private DuckDbWarehouse warehouse;

  @BeforeEach
  void openWarehouse() {
    warehouse = DuckDbWarehouse.open(dir.resolve("warehouse.duckdb"));
  }

  @AfterEach
  void close() {
    warehouse.close();
    TimeZone.setDefault(originalZone);
  }

  /** A distinct value of the field's type for every field (instants have whole microseconds). */
  static EnrichedEvent fullEvent(String id) {
    EnrichedEvent e = new EnrichedEvent();
    int i = 0;
    for (EventField f : EventField.values()) {
      i++;
      Object v = switch (f.type()) {
        case STRING -> f.column() + " value ü ✓ 😀 \"quoted\" \\ line\nbreak " + i;
        case TIMESTAMP -> Instant.parse("2026-03-08T02:30:00Z")
            .plus(i, ChronoUnit.MINUTES).plus(123_456L * i, ChronoUnit.MICROS);
        case INTEGER -> i % 2 == 0 ? 1_000 * i : -i;
        case DOUBLE -> i * 1.5 + 0.000_001;
        case BOOLEAN -> i % 2 == 0;
        case JSON -> Json.parseOrNull("{\"field\":\"" + f.column() + "\",\"n\":" + i
            + ",\"nested\":{\"list\":[1,2.5,\"x\",null,true],\"ü\":\"😀\"}}");
      };
      e.set(f, v);
    }
    e.set(EventField.EVENT_ID, id);
    e.set(EventField.CONTEXTS, Json.parseOrNull(
        "[{\"schema\":\"iglu:com.acme/ctx/jsonschema/1-0-0\",\"data\":{\"a\":1}},"
            + "{\"schema\":\"iglu:com.acme/ctx/jsonschema/1-0-1\",\"data\":[]}]"));
    e.set(EventField.DOMAIN_SESSIONIDX, Integer.MAX_VALUE);
    e.set(EventField.PAGE_URLPORT, Integer.MIN_VALUE);
    e.set(EventField.GEO_LATITUDE, -33.868_820_1);
    e.set(EventField.GEO_LONGITUDE, 151.209_295_5);
    // Outside the range any day-of-week or epoch arithmetic would handle lazily.
    e.set(EventField.SENT_AT, Instant.parse("1970-01-01T00:00:00Z"));
    e.set(EventField.ORIGINAL_TIMESTAMP, Instant.parse("1969-12-31T23:59:59.999999Z"));
    e.set(EventField.TRUE_TIMESTAMP, Instant.parse("2099-12-31T23:59:59.999999Z"));
    return e;
  }

  private EventLoader loader() {
    return new EventLoader(warehouse,
        new LoaderSettings("warehouse", "enriched", 1000, Duration.ofSeconds(5)), clock,
        EventLoader.ENRICHED);
  }

  private void load(EnrichedEvent... events) {
    try (EventLoader loader = loader()) {
      loader.open(List.of(0));
      long offset = 0;
      for (EnrichedEvent e : events) {
        loader.write(List.of(new SourcedRecord(0, offset++, 0L, EnrichedEventCodec.encode(e))));
      }
      assertThat(loader.flush(true)).containsExactly(Map.entry(0, offset));
      assertThat(loader.rejectedRecords()).isZero();
    }
  }

  /** Every column of one row, read back as the field's Java type. */
  private Map<EventField, Object> readBack(String eventId) throws SQLException {
    StringBuilder select = new StringBuilder();
    for (EventField f : EventField.values()) {
      String c = f.column();
      select.append(select.length() == 0 ? "" : ", ").append(switch (f.type()) {
        case TIMESTAMP -> "epoch_us(" + c + ")";
        case JSON -> "CAST(" + c + " AS VARCHAR)";
        default -> c;
      });
    }
    Map<EventField, Object> out = new EnumMap<>(EventField.class);
    try (Connection c = warehouse.newConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + select + " FROM events WHERE event_id = '"
            + eventId + "'")) {
      assertThat(rs.next()).as("row " + eventId).isTrue();
      int col = 0;
      for (EventField f : EventField.values()) {
        col++;
        if (rs.getObject(col) == null) {
          continue;
        }
        out.put(f, switch (f.type()) {
          case STRING -> rs.getString(col);
          case TIMESTAMP -> Instant.EPOCH.plus(rs.getLong(col), ChronoUnit.MICROS);
          case INTEGER -> rs.getInt(col);
          case DOUBLE -> rs.getDouble(col);
          case BOOLEAN -> rs.getBoolean(col);
          case JSON -> Json.parseOrNull(rs.getString(col));
        });
      }
      assertThat(rs.next()).isFalse();
    }
    return out;
  }

  private List<List<String>> query(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.rows(c, sql);
    }
  }

  @Test
  void everyFieldIsSetAndSurvivesTheCodec() {
    EnrichedEvent event = fullEvent("evt-codec");
    assertThat(event.values()).hasSize(EventField.values().length);
    for (FieldType t : FieldType.values()) {
      assertThat(event.values().keySet()).anyMatch(f -> f.type() == t);
    }
    assertThat(event.json(EventField.PROPERTIES).isObject()).isTrue();
    assertThat(event.json(EventField.CONTEXTS).isArray()).isTrue();

    EnrichedEvent decoded = EnrichedEventCodec.decode(EnrichedEventCodec.encode(event));
    assertThat(decoded.values()).containsExactlyEntriesOf(event.values());
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/New_York", "Pacific/Kiritimati", "Asia/Kolkata",
      "America/St_Johns"})
  void everyColumnReadsBackEqualWhateverTheJvmZone(String zone) throws SQLException {
    TimeZone.setDefault(TimeZone.getTimeZone(zone));
    EnrichedEvent event = fullEvent("evt-all");
    load(event);

    Map<EventField, Object> back = readBack("evt-all");
    for (EventField f : EventField.values()) {
      assertThat(back.get(f)).as(f.column() + " in " + zone).isEqualTo(event.get(f));
    }
    assertThat(back).hasSize(EventField.values().length);
  }

  @Test
  void timestampColumnsHoldUtcWallClockTime() throws SQLException {
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    EnrichedEvent event = fullEvent("evt-ts")
        .set(EventField.RECEIVED_AT, Instant.parse("2026-03-08T02:30:00Z"))
        .set(EventField.EVENT_TIME, Instant.parse("2026-11-01T01:30:00.000001Z"));
    load(event);

    assertThat(query("""
        SELECT CAST(received_at AS VARCHAR), CAST(event_time AS VARCHAR), CAST(sent_at AS VARCHAR),
               CAST(original_timestamp AS VARCHAR), CAST(true_timestamp AS VARCHAR),
               typeof(received_at)
        FROM events""")).containsExactly(List.of("2026-03-08 02:30:00",
            "2026-11-01 01:30:00.000001", "1970-01-01 00:00:00", "1969-12-31 23:59:59.999999",
            "2099-12-31 23:59:59.999999", "TIMESTAMP"));
  }

  @Test
  void jsonColumnsAreValidJsonOfTheirShape() throws SQLException {
    load(fullEvent("evt-json"));

    assertThat(query("""
        SELECT typeof(properties), json_valid(properties), json_type(properties),
               properties->>'$.field', properties->'$.nested'->>'$.ü',
               json_array_length(properties->'$.nested.list'),
               typeof(contexts), json_valid(contexts), json_type(contexts),
               json_array_length(contexts), contexts->>'$[1].schema',
               json_valid(traits), json_valid(context), json_valid(unstruct_event)
        FROM events""")).containsExactly(List.of("JSON", "true", "OBJECT", "properties", "😀",
            "5", "JSON", "true", "ARRAY", "2", "iglu:com.acme/ctx/jsonschema/1-0-1", "true",
            "true", "true"));
  }

  @Test
  void columnTypesAreTheDeclaredOnes() throws SQLException {
    load(fullEvent("evt-types"));
    StringBuilder select = new StringBuilder();
    for (EventField f : EventField.values()) {
      select.append(select.length() == 0 ? "" : ", ").append("typeof(").append(f.column())
          .append(')');
    }
    List<String> types = query("SELECT " + select + " FROM events").get(0);
    int i = 0;
    for (EventField f : EventField.values()) {
      assertThat(types.get(i++)).as(f.column()).isEqualTo(f.type().sql());
    }
  }

  @Test
  void unsetFieldsAreNull() throws SQLException {
    EnrichedEvent minimal = new EnrichedEvent()
        .set(EventField.EVENT_ID, "evt-min")
        .set(EventField.SOURCE, "web")
        .set(EventField.EVENT_TYPE, "struct")
        .set(EventField.RECEIVED_AT, Instant.parse("2026-11-22T12:00:00Z"))
        .set(EventField.EVENT_TIME, Instant.parse("2026-11-22T12:00:00Z"))
        .set(EventField.RAW_ID, "raw-min")
        .set(EventField.IS_BOT, false)
        .set(EventField.SE_VALUE, 0.0)
        .set(EventField.DVCE_SCREENWIDTH, 0);
    load(minimal);

    Map<EventField, Object> back = readBack("evt-min");
    assertThat(back).containsExactlyEntriesOf(minimal.values());
  }

  @Test
  void aJsonNullFieldIsLoadedAsSqlNull() throws SQLException {
    EnrichedEvent event = fullEvent("evt-nulljson");
    event.set(EventField.TRAITS, com.fasterxml.jackson.databind.node.NullNode.getInstance());
    load(event);
    assertThat(query("SELECT traits IS NULL FROM events")).containsExactly(List.of("true"));
  }
}
