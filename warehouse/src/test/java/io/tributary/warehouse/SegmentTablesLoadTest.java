package io.tributary.warehouse;

import static io.tributary.warehouse.Segment.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.RetriableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Segment events through the loader into the per-type, per-event, users and discards tables. */
class SegmentTablesLoadTest extends DerivedTablesLoadTestBase {

  @Test
  void withTheTablesOffOnlyEventsIsLoaded() throws SQLException {
    EventLoader loader = loader(0);
    load(loader, next(track("off-1", "Order Completed", "{\"total\":5}"),
        identify("off-2", "u9", "2026-11-22T11:00:00Z", "{\"plan\":\"pro\"}")));
    load(loader, next(track("off-1", "Order Completed", "{\"total\":5}")));

    assertThat(query("SELECT count(*) FROM events")).containsExactly(List.of("2"));
    assertThat(query("SELECT count(*) FROM tracks")).containsExactly(List.of("0"));
    assertThat(query("SELECT count(*) FROM users")).containsExactly(List.of("0"));
    assertThat(query("SELECT count(*) FROM information_schema.tables"
        + " WHERE table_name = 'order_completed'")).containsExactly(List.of("0"));
    assertThat(loader.duplicateEvents()).isEqualTo(1);
  }

  private EventLoader loader(int maxColumns) {
    EventLoader loader = new EventLoader(warehouse,
        new LoaderSettings("loader", "raw", 10_000, Duration.ofSeconds(5)), clock,
        EventLoader.RAW_SEGMENT, maxColumns);
    return opened(loader);
  }

  private static String track(String id, String event, String properties) {
    return "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"u1\",\"messageId\":\"" + id
        + "\",\"timestamp\":\"2026-11-22T11:59:00Z\",\"properties\":" + properties + "}";
  }

  private static String identify(String id, String user, String timestamp, String traits) {
    return "{\"type\":\"identify\",\"userId\":\"" + user + "\",\"messageId\":\"" + id
        + "\",\"timestamp\":\"" + timestamp + "\",\"traits\":" + traits + "}";
  }

  @Test
  void derivedRowsCarryTheColumnsOfTheirEventAndDuplicatesGiveNone() throws SQLException {
    EventLoader loader = loader(300);
    String context =
        ",\"context\":{\"ip\":\"203.0.113.7\",\"page\":{\"url\":\"https://a.example/x\"}}";
    load(loader, next(withContext(track("c1", "Order Completed", "{\"total\":1}"), context),
        identify("c2", "u7", "2026-11-22T10:00:00Z", "{\"plan\":\"pro\"}")));
    // The same batch again with one new event: the duplicates give no derived rows.
    load(loader, next(withContext(track("c1", "Order Completed", "{\"total\":1}"), context),
        identify("c2", "u7", "2026-11-22T10:00:00Z", "{\"plan\":\"pro\"}"),
        withContext(track("c3", "Signed Up", "{\"plan\":\"free\"}"), context),
        "{\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"a9\",\"messageId\":\"c4\","
            + "\"properties\":{\"title\":\"T\"}" + context + "}"));

    String same = " USING (event_id) WHERE d.source IS NOT DISTINCT FROM e.source"
        + " AND d.user_id IS NOT DISTINCT FROM e.user_id"
        + " AND d.anonymous_id IS NOT DISTINCT FROM e.anonymous_id"
        + " AND d.event_time = e.event_time AND d.received_at = e.received_at"
        + " AND d.original_timestamp IS NOT DISTINCT FROM e.original_timestamp"
        + " AND d.sent_at IS NOT DISTINCT FROM e.sent_at AND d.loaded_at = e.loaded_at";
    Map<String, String> rows = Map.of("tracks", "2", "order_completed", "1", "signed_up", "1",
        "pages", "1", "identifies", "1");
    rows.forEach((table, count) -> {
      try {
        assertThat(query("SELECT count(*) FROM " + table)).as(table).containsExactly(row(count));
        assertThat(query("SELECT count(*) FROM " + table + " d JOIN events e" + same
            + " AND d.context IS NOT DISTINCT FROM e.context")).as(table)
            .containsExactly(row(count));
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(query("SELECT CAST(context AS VARCHAR) FROM pages"))
        .containsExactly(row(context.substring(",\"context\":".length())));
    assertThat(query("SELECT id, plan FROM users")).containsExactly(row("u7", "pro"));
  }

  private static String withContext(String message, String context) {
    return message.substring(0, message.length() - 1) + context + "}";
  }

  @Test
  void tablesSomeoneAlteredByHandKeepLoading() throws SQLException {
    EventLoader loader = loader(300);
    load(loader, next(track("h1", "Order Completed", "{\"total\":3}")));
    // Types the loader never makes, and a column it does not know (its default applies).
    execute("ALTER TABLE tracks ADD COLUMN reviewed DATE");
    execute("ALTER TABLE order_completed ALTER COLUMN total TYPE INTEGER");
    execute("ALTER TABLE order_completed ADD COLUMN note VARCHAR DEFAULT 'hand'");
    load(loader, next(track("h2", "Order Completed", "{\"total\":4,\"coupon\":\"X\"}")));

    assertThat(query("SELECT event_id, total, coupon, note FROM order_completed ORDER BY event_id"))
        .containsExactly(row("h1", "3", null, "hand"), row("h2", "4", "X", "hand"));
    assertThat(query("SELECT event_id, reviewed FROM tracks ORDER BY event_id"))
        .containsExactly(row("h1", null), row("h2", null));
    assertThat(columns("order_completed")).contains("total INTEGER", "coupon VARCHAR");

    // A column it made, dropped by hand: the batch fails on it once, its retry adds it again.
    execute("ALTER TABLE tracks DROP COLUMN reviewed");
    execute("ALTER TABLE tracks ADD COLUMN reviewer VARCHAR");
    execute("ALTER TABLE order_completed DROP COLUMN coupon");
    loader.write(List.of(next(track("h3", "Order Completed", "{\"total\":5,\"coupon\":\"Y\"}"))));
    try {
      loader.flush(true);
    } catch (RetriableException e) {
      loader.flush(true);
    }
    assertThat(query("SELECT event_id, reviewer FROM tracks ORDER BY event_id"))
        .containsExactly(row("h1", null), row("h2", null), row("h3", null));
    assertThat(query("SELECT event_id, total, coupon FROM order_completed ORDER BY event_id"))
        .containsExactly(row("h1", "3", null), row("h2", "4", null), row("h3", "5", "Y"));
  }

  @Test
  void newPropertiesOverTimeBecomeNewColumns() throws SQLException {
    EventLoader loader = loader(300);
    load(loader, next(track("m1", "Order Completed", "{\"total\":3,\"currency\":\"EUR\"}")));
    load(loader, next(track("m2", "Order Completed",
        "{\"total\":4,\"coupon\":\"X\",\"address\":{\"city\":\"Paris\"},\"items\":[1,2],"
            + "\"event_id\":\"shadow\",\"gift\":true}")));

    assertThat(columns("order_completed")).containsExactly("event_id VARCHAR", "source VARCHAR",
        "user_id VARCHAR", "anonymous_id VARCHAR", "event VARCHAR", "event_text VARCHAR",
        "event_time TIMESTAMP", "original_timestamp TIMESTAMP", "sent_at TIMESTAMP",
        "received_at TIMESTAMP", "context JSON", "loaded_at TIMESTAMP", "total BIGINT",
        "currency VARCHAR", "coupon VARCHAR", "address_city VARCHAR", "items JSON",
        "property_event_id VARCHAR", "gift BOOLEAN");
    assertThat(query("SELECT event_id, event, event_text, user_id, total, currency, coupon,"
        + " address_city, CAST(items AS VARCHAR), property_event_id, gift,"
        + " CAST(original_timestamp AS VARCHAR) FROM order_completed ORDER BY event_id"))
        .containsExactly(
            row("m1", "order_completed", "Order Completed", "u1", "3", "EUR", null, null, null,
                null, null, "2026-11-22 11:59:00"),
            row("m2", "order_completed", "Order Completed", "u1", "4", null, "X", "Paris", "[1,2]",
                "shadow", "true", "2026-11-22 11:59:00"));
    assertThat(query("SELECT event_id, event, event_text FROM tracks ORDER BY event_id"))
        .containsExactly(row("m1", "order_completed", "Order Completed"),
            row("m2", "order_completed", "Order Completed"));
    assertThat(query("SELECT count(*) FROM discards")).containsExactly(row("0"));
  }

  @Test
  void aValueThatDoesNotFitGoesToDiscardsTheRestOfTheEventLoads() throws SQLException {
    EventLoader loader = loader(300);
    load(loader, next(track("m1", "Order Completed", "{\"total\":3}")));
    load(loader, next(track("m2", "Order Completed", "{\"total\":\"four\",\"currency\":\"EUR\"}"),
        track("m3", "Order Completed", "{\"total\":5.5}")));

    assertThat(columns("order_completed")).contains("total DOUBLE", "currency VARCHAR");
    assertThat(query("SELECT event_id, total, currency FROM order_completed ORDER BY event_id"))
        .containsExactly(row("m1", "3.0", null), row("m2", null, "EUR"), row("m3", "5.5", null));
    assertThat(query("SELECT table_name, column_name, value, reason, event_id,"
        + " CAST(received_at AS VARCHAR) FROM discards")).containsExactly(
            row("order_completed", "total", "\"four\"", "a string does not fit column type BIGINT",
                "m2", "2026-11-22 12:00:00"));
    assertThat(query("SELECT count(*) FROM events")).containsExactly(row("3"));
  }

  @Test
  void everyTypeHasItsTable() throws SQLException {
    EventLoader loader = loader(300);
    load(loader, next(
        "{\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"a1\",\"messageId\":\"p1\","
            + "\"properties\":{\"url\":\"https://x.example/\",\"name\":\"shadowed\"}}",
        "{\"type\":\"screen\",\"name\":\"Feed\",\"userId\":\"u2\",\"messageId\":\"s1\"}",
        "{\"type\":\"group\",\"groupId\":\"g1\",\"userId\":\"u1\",\"messageId\":\"g1\","
            + "\"traits\":{\"name\":\"ACME\",\"employees\":12}}",
        "{\"type\":\"alias\",\"previousId\":\"a1\",\"userId\":\"u1\",\"messageId\":\"al1\"}",
        identify("i1", "u1", "2026-11-22T11:00:00Z", "{\"email\":\"a@b.c\",\"id\":\"t\"}")));

    assertThat(query("SELECT event_id, name, anonymous_id, url, property_name FROM pages"))
        .containsExactly(row("p1", "Home", "a1", "https://x.example/", "shadowed"));
    assertThat(query("SELECT event_id, name, user_id FROM screens"))
        .containsExactly(row("s1", "Feed", "u2"));
    assertThat(query("SELECT event_id, group_id, name, employees FROM groups"))
        .containsExactly(row("g1", "g1", "ACME", "12"));
    assertThat(query("SELECT event_id, previous_id, user_id FROM aliases"))
        .containsExactly(row("al1", "a1", "u1"));
    assertThat(query("SELECT event_id, user_id, email, trait_id FROM identifies"))
        .containsExactly(row("i1", "u1", "a@b.c", "t"));
    assertThat(query("SELECT id, email, trait_id FROM users")).containsExactly(row("u1", "a@b.c", "t"));
    assertThat(query("SELECT count(*) FROM tracks")).containsExactly(row("0"));
  }

  @Test
  void usersHoldTheLatestTraitsByEventTimeWhateverTheArrivalOrder() throws SQLException {
    EventLoader loader = loader(300);
    load(loader, next(identify("i2", "u1", "2026-11-22T11:00:00Z",
        "{\"plan\":\"pro\",\"logins\":2}")));
    // Older, arriving later: fills what the newer one did not send, never overwrites it.
    load(loader, next(identify("i1", "u1", "2026-11-22T10:00:00Z",
        "{\"plan\":\"free\",\"logins\":1,\"email\":\"old@b.c\"}"),
        identify("j1", "u2", "2026-11-22T10:00:00Z", "{\"plan\":\"team\"}")));
    load(loader, next(identify("i3", "u1", "2026-11-22T11:30:00Z",
        "{\"email\":\"new@b.c\",\"logins\":2.5}")));

    assertThat(query("SELECT id, plan, logins, email, CAST(event_time AS VARCHAR) FROM users"
        + " ORDER BY id")).containsExactly(
            row("u1", "pro", "2.5", "new@b.c", "2026-11-22 11:30:00"),
            row("u2", "team", null, null, "2026-11-22 10:00:00"));
    assertThat(columns("users")).contains("logins DOUBLE");
  }

  @Test
  void usersIdentifiedAgainAreUpdatedInPlaceLeavingNoDeletedRowsInTheFile() throws SQLException {
    EventLoader loader = loader(300);
    // u0 keeps the first row group alive: its other rows, if deleted, would stay in the file.
    load(loader, next(identify("z", "u0", "2026-11-22T09:00:00Z", "{\"plan\":\"free\"}")));
    for (int i = 0; i < 4; i++) {
      load(loader, next(
          identify("a" + i, "u1", "2026-11-22T1" + i + ":00:00Z", "{\"plan\":\"p" + i + "\"}"),
          identify("b" + i, "u2", "2026-11-22T1" + i + ":00:00Z", "{\"logins\":" + i + "}")));
      execute("CHECKPOINT");
    }

    assertThat(query("SELECT id, plan, logins FROM users ORDER BY id"))
        .containsExactly(row("u0", "free", null), row("u1", "p3", null), row("u2", null, "3"));
    // The checkpoints do not merge row groups, so a deleted row would still be stored.
    assertThat(query("SELECT sum(count) FROM pragma_storage_info('users')"
        + " WHERE column_name = 'id' AND segment_type = 'VARCHAR'")).containsExactly(row("3"));
  }

  @Test
  void anEventSentAgainAddsNoRowsAnywhere() throws SQLException {
    EventLoader loader = loader(300);
    String t = track("m1", "Order Completed", "{\"total\":\"x\"}");
    String i = identify("i1", "u1", "2026-11-22T11:00:00Z", "{\"plan\":\"pro\"}");
    load(loader, next(track("m0", "Order Completed", "{\"total\":1}")));
    load(loader, next(t, i, t));
    load(loader, next(t, i));
    // A new loader, as after a restart, offered the same records again.
    EventLoader restarted = loader(300);
    load(restarted, next(t, i));

    assertThat(query("SELECT count(*) FROM events")).containsExactly(row("3"));
    for (String table : List.of("tracks", "order_completed")) {
      assertThat(query("SELECT count(*) FROM " + table)).as(table).containsExactly(row("2"));
    }
    for (String table : List.of("identifies", "users", "discards")) {
      assertThat(query("SELECT count(*) FROM " + table)).as(table).containsExactly(row("1"));
    }
  }

  @Test
  void aFailedBatchLeavesNoTraceAndItsRetryWritesEveryTableOnce() throws Exception {
    EventLoader loader = loader(300);
    load(loader, next(track("m1", "Order Completed", "{\"total\":3}")));
    // The batch adds a column to order_completed and widens another, then fails at the users table.
    execute("ALTER TABLE users RENAME TO users_away");
    loader.write(List.of(next(track("m2", "Order Completed", "{\"total\":3.5,\"coupon\":\"X\"}"),
        identify("i1", "u1", "2026-11-22T11:00:00Z", "{\"plan\":\"pro\"}"))));
    assertThatThrownBy(() -> loader.flush(true)).isInstanceOf(RetriableException.class);
    assertThat(columns("order_completed")).contains("total BIGINT").doesNotContain("coupon VARCHAR");
    assertThat(query("SELECT count(*) FROM events")).containsExactly(row("1"));

    execute("ALTER TABLE users_away RENAME TO users");
    loader.flush(true);
    assertThat(columns("order_completed")).contains("total DOUBLE", "coupon VARCHAR");
    assertThat(query("SELECT event_id, total, coupon FROM order_completed ORDER BY event_id"))
        .containsExactly(row("m1", "3.0", null), row("m2", "3.5", "X"));
    assertThat(query("SELECT count(*) FROM tracks")).containsExactly(row("2"));
    assertThat(query("SELECT id, plan FROM users")).containsExactly(row("u1", "pro"));
    assertThat(query("SELECT next_offset FROM _tributary_offsets")).containsExactly(row("2"));
  }

  @Test
  void fieldsBeyondTheColumnCapGoToDiscards() throws SQLException {
    EventLoader loader = loader(20);
    StringBuilder props = new StringBuilder("{");
    for (int i = 0; i < 10; i++) {
      props.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":").append(i);
    }
    load(loader, next(track("m1", "Wide", props.append("}").toString())));
    // 12 fixed columns + 8 properties = 20.
    assertThat(columns("wide")).hasSize(20).endsWith("p7 BIGINT");
    assertThat(query("SELECT column_name, value, reason FROM discards ORDER BY column_name"))
        .containsExactly(
            row("p8", "8", "table wide has reached its limit of 20 columns"
                + " (warehouse.max_columns_per_table)"),
            row("p9", "9", "table wide has reached its limit of 20 columns"
                + " (warehouse.max_columns_per_table)"));
    assertThat(query("SELECT p0, p7 FROM wide")).containsExactly(row("0", "7"));
  }

  @Test
  void tablesAndColumnsGetSafeNames() throws SQLException {
    EventLoader loader = loader(300);
    load(loader, next(track("m1", "Users", "{\"a\":1}"),
        track("m2", "x\\\"; DROP TABLE events; --", "{\"Weird Key!\":1,\"select\":2}")));
    assertThat(query("SELECT count(*) FROM track_users")).containsExactly(row("1"));
    assertThat(query("SELECT event, weird_key, \"select\" FROM x_drop_table_events"))
        .containsExactly(row("x_drop_table_events", "1", "2"));
    assertThat(query("SELECT count(*) FROM events")).containsExactly(row("2"));
  }

  @Test
  void theFixedTablesExistBeforeAnyEvent() throws SQLException {
    assertThat(query("SELECT table_name FROM information_schema.tables"
        + " WHERE table_name IN ('tracks','pages','screens','identifies','groups','aliases',"
        + "'users','discards') ORDER BY 1").stream().map(r -> r.get(0)))
        .containsExactly("aliases", "discards", "groups", "identifies", "pages", "screens",
            "tracks", "users");
  }
}
