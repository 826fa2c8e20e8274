package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.EventField;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentTablesTest {
  private static Map<EventField, Object> event(String type, String name, String json) {
    Map<EventField, Object> e = new EnumMap<>(EventField.class);
    e.put(EventField.PROTOCOL, "segment");
    e.put(EventField.EVENT_TYPE, type);
    e.put(EventField.EVENT_ID, "m1");
    e.put(EventField.USER_ID, "u1");
    e.put(EventField.SOURCE, "web");
    e.put(EventField.CONTEXT, "{\"library\":{\"name\":\"x\"}}");
    if (name != null) {
      e.put(EventField.EVENT_NAME, name);
    }
    if (json != null) {
      e.put(type.equals("identify") || type.equals("group") ? EventField.TRAITS
          : EventField.PROPERTIES, json);
    }
    return e;
  }

  private static List<DerivedRow> rows(Map<EventField, Object> event) {
    return SegmentTables.rows(event::get);
  }

  @Test
  void aTrackGivesATracksRowAndARowOfItsOwnTable() {
    List<DerivedRow> rows = rows(event("track", "Order Completed",
        "{\"total\":3,\"event_id\":\"p\",\"address\":{\"city\":\"Paris\"}}"));
    assertThat(rows).extracting(r -> r.table().name()).containsExactly("tracks", "order_completed");
    assertThat(rows.get(0).fields()).isEmpty();
    assertThat(rows.get(0).fixed()).containsEntry("event", "order_completed")
        .containsEntry("event_text", "Order Completed");
    Map<EventField, Object> e = event("track", "Order Completed", null);
    assertThat(SegmentTables.fixedValue(rows.get(1), "event_id", e::get)).isEqualTo("m1");
    assertThat(SegmentTables.fixedValue(rows.get(1), "user_id", e::get)).isEqualTo("u1");
    assertThat(SegmentTables.fixedValue(rows.get(1), "event_text", e::get))
        .isEqualTo("Order Completed");
    assertThat(SegmentTables.fixedValue(rows.get(1), "context", e::get))
        .isEqualTo("{\"library\":{\"name\":\"x\"}}");
    assertThat(rows.get(1).fields()).extracting(Field::column)
        .containsExactly("total", "property_event_id", "address_city");
  }

  @Test
  void eventNamesThatGiveAFixedTableNameArePrefixed() {
    assertThat(SegmentTables.eventTableName("Users")).isEqualTo("track_users");
    assertThat(SegmentTables.eventTableName("Discards")).isEqualTo("track_discards");
    assertThat(SegmentTables.eventTableName("Events")).isEqualTo("track_events");
    assertThat(SegmentTables.eventTableName("Signed Up")).isEqualTo("signed_up");
  }

  @Test
  void everyTypeGoesToItsTable() {
    assertThat(rows(event("page", "Home", "{\"url\":\"u\",\"name\":\"n\"}")))
        .singleElement().satisfies(r -> {
          assertThat(r.table().name()).isEqualTo("pages");
          assertThat(r.fixed()).containsEntry("name", "Home");
          assertThat(r.fields()).extracting(Field::column).containsExactly("url", "property_name");
        });
    assertThat(rows(event("screen", "Feed", null))).extracting(r -> r.table().name())
        .containsExactly("screens");
    assertThat(rows(event("identify", null, "{\"email\":\"a@b.c\",\"id\":\"x\",\"userId\":\"y\"}")))
        .singleElement().satisfies(r -> {
          assertThat(r.table().name()).isEqualTo("identifies");
          assertThat(r.fields()).extracting(Field::column)
              .containsExactly("email", "trait_id", "trait_user_id");
        });
    Map<EventField, Object> group = event("group", null, "{\"name\":\"ACME\"}");
    group.put(EventField.GROUP_ID, "g1");
    assertThat(rows(group)).singleElement().satisfies(r -> {
      assertThat(r.table().name()).isEqualTo("groups");
      assertThat(SegmentTables.fixedValue(r, "group_id", group::get)).isEqualTo("g1");
    });
    Map<EventField, Object> alias = event("alias", null, null);
    alias.put(EventField.PREVIOUS_ID, "a1");
    assertThat(rows(alias)).singleElement().satisfies(r -> {
      assertThat(r.table().name()).isEqualTo("aliases");
      assertThat(SegmentTables.fixedValue(r, "previous_id", alias::get)).isEqualTo("a1");
    });
  }

  @Test
  void snowplowEventsGiveNoSegmentRows() {
    Map<EventField, Object> e = event("track", "x", null);
    e.put(EventField.PROTOCOL, "snowplow");
    assertThat(rows(e)).isEmpty();
  }

  @Test
  void definitionsByName() {
    assertThat(SegmentTables.definition("users")).isSameAs(SegmentTables.USERS_TABLE);
    assertThat(SegmentTables.definition("order_completed").fixedColumns())
        .isEqualTo(SegmentTables.TRACKS.fixedColumns());
    assertThat(SegmentTables.fixedTables()).extracting(TableDef::name).containsExactly("tracks",
        "pages", "screens", "identifies", "groups", "aliases", "users", "discards");
  }
}
