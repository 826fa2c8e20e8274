package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;
import static io.tributary.app.TestTributary.count;
import static io.tributary.app.TestTributary.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment events over HTTP into the Segment-style tables, read back through /api/query: new
 * properties become columns, a mistyped value goes to discards, users hold the latest traits, and a
 * restart with the client retrying adds no row anywhere.
 */
class SegmentTablesEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> TABLES = List.of("events", "tracks", "order_completed",
      "identifies", "users", "pages", "discards");

  @TempDir Path dir;

  private static String track(String id, String properties) {
    return "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"messageId\":\""
        + id + "\",\"properties\":" + properties + "}";
  }

  private static String identify(String id, String timestamp, String traits) {
    return "{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"" + id + "\",\"timestamp\":\""
        + timestamp + "\",\"traits\":" + traits + "}";
  }

  private static void send(int port, String... messages) {
    String body = "{\"batch\":[" + String.join(",", messages) + "]}";
    assertThat(TestTributary.post(port, "/v1/batch", WRITE_KEY, body).statusCode()).isEqualTo(200);
  }

  private static List<String> columns(int port, String table) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : rows(port, "select column_name || ' ' || data_type from"
        + " information_schema.columns where table_name = '" + table + "' order by ordinal_position")) {
      out.add(r.get(0).asText());
    }
    return out;
  }

  private static List<Long> counts(int port) {
    return TABLES.stream().map(t -> count(port, "select count(*) from " + t)).toList();
  }

  @Test
  void eventsOverTimeEvolveTheTablesAndARestartDuplicatesNothing() {
    Path config = TestTributary.writeConfig(dir, 0, true);
    String[] first = {
        track("t1", "{\"total\":3,\"currency\":\"EUR\"}"),
        identify("i1", "2026-11-22T10:00:00Z", "{\"plan\":\"free\",\"email\":\"a@b.c\"}"),
        "{\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"a1\",\"messageId\":\"p1\","
            + "\"properties\":{\"path\":\"/\"}}"};
    String[] second = {
        track("t2", "{\"total\":4,\"coupon\":\"SPRING\",\"shipping\":{\"city\":\"Paris\"}}"),
        track("t3", "{\"total\":\"five\",\"currency\":\"USD\"}"),
        identify("i2", "2026-11-22T11:00:00Z", "{\"plan\":\"pro\"}")};
    List<Long> before;
    try (Tributary tributary = TestTributary.start(config)) {
      int port = tributary.port();
      send(port, first);
      await().atMost(WAIT).ignoreExceptions().until(() -> count(port, "select count(*) from order_completed") == 1);
      assertThat(columns(port, "order_completed")).contains("total BIGINT", "currency VARCHAR")
          .doesNotContain("coupon VARCHAR");

      send(port, second);
      await().atMost(WAIT).ignoreExceptions().until(() -> count(port, "select count(*) from order_completed") == 3);
      assertThat(columns(port, "order_completed")).contains("total BIGINT", "currency VARCHAR",
          "coupon VARCHAR", "shipping_city VARCHAR");
      JsonNode rows = rows(port, "select event_id, total, currency, coupon, shipping_city"
          + " from order_completed order by event_id");
      assertThat(rows.toString()).isEqualTo("[[\"t1\",3,\"EUR\",null,null],"
          + "[\"t2\",4,null,\"SPRING\",\"Paris\"],[\"t3\",null,\"USD\",null,null]]");
      assertThat(rows(port, "select table_name, column_name, value, event_id from discards")
          .toString()).isEqualTo("[[\"order_completed\",\"total\",\"\\\"five\\\"\",\"t3\"]]");
      assertThat(rows(port, "select id, plan, email from users").toString())
          .isEqualTo("[[\"u1\",\"pro\",\"a@b.c\"]]");
      assertThat(rows(port, "select name, path from pages").toString())
          .isEqualTo("[[\"Home\",\"/\"]]");
      before = counts(port);
      assertThat(before).containsExactly(6L, 3L, 3L, 2L, 1L, 1L, 1L);
    }

    try (Tributary restarted = TestTributary.start(config)) {
      int port = restarted.port();
      // The client did not see the answers and sends everything again, plus one new event.
      send(port, first);
      send(port, second);
      send(port, track("t4", "{\"total\":6,\"gift\":true}"));
      await().atMost(WAIT).ignoreExceptions().until(() -> count(port, "select count(*) from order_completed") == 4);
      await().atMost(WAIT).ignoreExceptions().until(() -> count(port, "select count(*) from events") == 7);
      assertThat(counts(port)).containsExactly(7L, 4L, 4L, 2L, 1L, 1L, 1L);
      assertThat(columns(port, "order_completed")).contains("gift BOOLEAN");
      assertThat(count(port, "select count(distinct event_id) from order_completed")).isEqualTo(4);
    }
  }
}
