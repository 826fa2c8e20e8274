package io.tributary.app;

import static io.tributary.app.TestTributary.ADMIN_TOKEN;
import static io.tributary.app.TestTributary.WRITE_KEY;
import static io.tributary.app.TestTributary.count;
import static io.tributary.app.TestTributary.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The unmodified Segment Java SDK, pointed at Tributary, sends every message type. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentSdkEndToEndTest {
  @TempDir static Path dir;
  Tributary tributary;
  int port;

  @BeforeAll
  void start() {
    tributary = TestTributary.start(TestTributary.writeConfig(dir, 0, true));
    port = tributary.port();
  }

  @AfterAll
  void stop() {
    if (tributary != null) {
      tributary.close();
    }
  }

  @Test
  void everyMessageTypeArrivesOnceWithItsColumnsAndIsArchivedRaw() throws Exception {
    Set<String> succeeded = ConcurrentHashMap.newKeySet();
    Set<String> failed = ConcurrentHashMap.newKeySet();
    Analytics analytics = Analytics.builder(WRITE_KEY)
        .endpoint("http://127.0.0.1:" + port)
        .flushQueueSize(3)
        .flushInterval(1, TimeUnit.SECONDS)
        .callback(new Callback() {
          @Override
          public void success(Message message) {
            succeeded.add(message.messageId());
          }

          @Override
          public void failure(Message message, Throwable throwable) {
            failed.add(message.messageId() + ": " + throwable);
          }
        })
        .build();
    analytics.enqueue(TrackMessage.builder("Order Completed").userId("user-1").messageId("sdk-track")
        .properties(Map.of("revenue", 42.5, "currency", "EUR")));
    analytics.enqueue(IdentifyMessage.builder().userId("user-1").messageId("sdk-identify")
        .traits(Map.of("plan", "pro", "email", "a@example.com")));
    analytics.enqueue(PageMessage.builder("Pricing").anonymousId("anon-1").messageId("sdk-page")
        .properties(Map.of("url", "https://example.com/pricing")));
    analytics.enqueue(ScreenMessage.builder("Home").userId("user-1").messageId("sdk-screen"));
    analytics.enqueue(GroupMessage.builder("group-9").userId("user-1").messageId("sdk-group")
        .traits(Map.of("name", "Acme")));
    analytics.enqueue(AliasMessage.builder("anon-1").userId("user-1").messageId("sdk-alias"));
    analytics.flush();
    await().atMost(30, TimeUnit.SECONDS).until(() -> succeeded.size() + failed.size() >= 6);
    analytics.shutdown();
    assertThat(failed).isEmpty();

    await().atMost(30, TimeUnit.SECONDS)
        .until(() -> count(port, "select count(*) from events where event_id like 'sdk-%'") == 6);
    JsonNode r = rows(port, """
        select event_id, event_type, event_name, user_id, anonymous_id, group_id, previous_id,
               source, library_name, json_extract_string(properties, '$.currency'),
               json_extract_string(traits, '$.plan'), received_at is not null,
               event_time is not null, sent_at is not null, page_url
        from events where event_id like 'sdk-%' order by event_id""");
    assertThat(r.toString()).contains("analytics-java");
    assertRow(r, "sdk-alias", "alias", null, "user-1", null, null, "anon-1");
    assertRow(r, "sdk-group", "group", null, "user-1", null, "group-9", null);
    assertRow(r, "sdk-identify", "identify", null, "user-1", null, null, null);
    assertRow(r, "sdk-page", "page", "Pricing", null, "anon-1", null, null);
    assertRow(r, "sdk-screen", "screen", "Home", "user-1", null, null, null);
    assertRow(r, "sdk-track", "track", "Order Completed", "user-1", null, null, null);
    for (JsonNode row : r) {
      assertThat(row.get(7).asText()).isEqualTo("web");
      assertThat(row.get(11).asBoolean()).isTrue();
      assertThat(row.get(12).asBoolean()).isTrue();
      assertThat(row.get(13).asBoolean()).as("sentAt from the SDK batch").isTrue();
    }
    assertThat(find(r, "sdk-track").get(9).asText()).isEqualTo("EUR");
    assertThat(find(r, "sdk-identify").get(10).asText()).isEqualTo("pro");
    assertThat(find(r, "sdk-page").get(14).asText()).isEqualTo("https://example.com/pricing");

    // The SDK retries on timeouts: the same messageIds sent again are not loaded twice.
    var again = TestTributary.post(port, "/v1/batch", WRITE_KEY,
        "{\"batch\":[{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-1\","
            + "\"messageId\":\"sdk-track\"}]}");
    assertThat(again.statusCode()).isEqualTo(200);
    long loadedBefore = tributary.loadedEvents();
    await().atMost(10, TimeUnit.SECONDS).pollDelay(1, TimeUnit.SECONDS).until(() -> true);
    assertThat(count(port, "select count(*) from events where event_id = 'sdk-track'")).isEqualTo(1);
    assertThat(tributary.loadedEvents()).isEqualTo(loadedBefore);

    // Archived raw: the lake holds the SDK's requests, readable by DuckDB.
    Path lake = dir.resolve("data/lake/raw");
    await().atMost(30, TimeUnit.SECONDS).until(() -> lakeHas(lake, "sdk-alias"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = c.createStatement().executeQuery(
            "select count(*) from (select unnest(body.batch, recursive := true) from read_json('"
                + lake + "/*/*/*.ndjson.gz', format = 'newline_delimited', union_by_name = true)) "
                + "where messageId like 'sdk-%'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("SDK messages in the raw lake").isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void queryApiNeedsTheAdminTokenAndRejectsWrites() {
    assertThat(TestTributary.query(port, null, "select 1").statusCode()).isEqualTo(401);
    assertThat(TestTributary.query(port, "wrong-token-wrong-token", "select 1").statusCode()).isEqualTo(401);
    var write = TestTributary.query(port, ADMIN_TOKEN, "delete from events");
    assertThat(write.statusCode()).isEqualTo(400);
    assertThat(write.body()).contains("read-only");
    assertThat(TestTributary.query(port, ADMIN_TOKEN, "select nope from events").statusCode())
        .isEqualTo(400);
  }

  @Test
  void readyReportsEveryStage() throws Exception {
    var ready = TestTributary.HTTP.sendAsync(
        java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/ready")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).join();
    assertThat(ready.statusCode()).isEqualTo(200);
    // Each part reports under its own name (a shared name would hide one part's state).
    List<String> names = new ArrayList<>();
    TestTributary.JSON.readTree(ready.body()).get("checks").fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("disk", "broker", "raw-topic", "enrich", "enrichment", "loader",
        "warehouse", "bad-loader", "bad-rows", "archiver-raw", "archiver-bad", "archiver-enriched",
        "archiver-iceberg");
  }

  private static boolean lakeHas(Path lake, String text) throws Exception {
    if (!Files.isDirectory(lake)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ndjson.gz")).toList()) {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
          if (new String(in.readAllBytes()).contains(text)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static JsonNode find(JsonNode rows, String id) {
    for (JsonNode row : rows) {
      if (row.get(0).asText().equals(id)) {
        return row;
      }
    }
    throw new AssertionError("no row " + id + " in " + rows);
  }

  private static void assertRow(JsonNode rows, String id, String type, String name, String userId,
      String anonymousId, String groupId, String previousId) {
    JsonNode row = find(rows, id);
    assertThat(row.get(1).asText()).isEqualTo(type);
    assertThat(text(row.get(2))).as(id + " event_name").isEqualTo(name);
    assertThat(text(row.get(3))).as(id + " user_id").isEqualTo(userId);
    assertThat(text(row.get(4))).as(id + " anonymous_id").isEqualTo(anonymousId);
    assertThat(text(row.get(5))).as(id + " group_id").isEqualTo(groupId);
    assertThat(text(row.get(6))).as(id + " previous_id").isEqualTo(previousId);
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }
}
