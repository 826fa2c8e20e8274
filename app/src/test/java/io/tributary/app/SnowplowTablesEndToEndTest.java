package io.tributary.app;

import static io.tributary.app.TestTributary.JSON;
import static io.tributary.app.TestTributary.count;
import static io.tributary.app.TestTributary.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.snowplowanalytics.snowplow.tracker.DevicePlatform;
import com.snowplowanalytics.snowplow.tracker.Tracker;
import com.snowplowanalytics.snowplow.tracker.configuration.EmitterConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.NetworkConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.TrackerConfiguration;
import com.snowplowanalytics.snowplow.tracker.emitter.BatchEmitter;
import com.snowplowanalytics.snowplow.tracker.emitter.EmitterCallback;
import com.snowplowanalytics.snowplow.tracker.emitter.FailureType;
import com.snowplowanalytics.snowplow.tracker.events.PageView;
import com.snowplowanalytics.snowplow.tracker.events.SelfDescribing;
import com.snowplowanalytics.snowplow.tracker.payload.SelfDescribingJson;
import com.snowplowanalytics.snowplow.tracker.payload.TrackerPayload;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified Snowplow Java tracker sends a self-describing event with three entities (two of the
 * same schema) and a page view with one: each schema model gets its own table, typed from its schema
 * in the registries (Iglu Central and a custom one), with one row per entity instance that joins back
 * to {@code events}. After a restart the tracker's payloads sent again add no row anywhere.
 */
class SnowplowTablesEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String BUTTON = "iglu:com.acme/button_press/jsonschema/1-0-0";
  private static final String WEB_PAGE =
      "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";
  private static final String SESSION =
      "iglu:com.snowplowanalytics.snowplow/client_session/jsonschema/1-0-2";
  private static final String BUTTON_TABLE = "com_acme_button_press_1";
  private static final String PAGE_TABLE = "com_snowplowanalytics_snowplow_web_page_1";
  private static final String SESSION_TABLE = "com_snowplowanalytics_snowplow_client_session_1";
  private static final List<String> TABLES =
      List.of("events", BUTTON_TABLE, PAGE_TABLE, SESSION_TABLE, "discards");

  @TempDir Path dir;
  // web_page ids are UUIDs (Iglu Central's schema says so).
  private final String p1 = UUID.randomUUID().toString();
  private final String p2 = UUID.randomUUID().toString();
  private final String p3 = UUID.randomUUID().toString();
  private final String p4 = UUID.randomUUID().toString();

  @Test
  void entityTablesAreTypedFromTheirSchemasJoinBackToEventsAndARestartDuplicatesNothing()
      throws Exception {
    Path config = writeConfig();
    List<TrackerPayload> sent = Collections.synchronizedList(new ArrayList<>());
    String buttonId;
    String pageViewId;
    try (Tributary tributary = TestTributary.start(config)) {
      int port = tributary.port();
      Tracker tracker = tracker(port, sent);
      buttonId = tracker.track(SelfDescribing.builder()
          .eventData(new SelfDescribingJson(BUTTON, Map.of("label", "ok", "count", 3)))
          .customContext(List.of(page(p1), session(), page(p2)))
          .build()).get(0);
      pageViewId = tracker.track(PageView.builder().pageUrl("https://shop.example/")
          .pageTitle("Home").customContext(List.of(page(p3))).build()).get(0);
      tracker.getEmitter().flushBuffer();
      await().atMost(WAIT).until(() -> sent.size() == 2);
      tracker.close();
      await().atMost(WAIT).until(() -> count(port, "select count(*) from events")
          + count(port, "select count(*) from bad_events") >= 2);
      assertThat(count(port, "select count(*) from bad_events"))
          .as(() -> rows(port, "select type, messages from bad_events").toString()).isZero();
      await().atMost(WAIT).ignoreExceptions()
          .until(() -> count(port, "select count(*) from " + PAGE_TABLE) == 3);

      // Typed from the schemas, columns declared up front even when no event sent a value.
      assertThat(columns(port, BUTTON_TABLE)).containsSubsequence("event_id VARCHAR",
          "schema_version VARCHAR", "entity_index BIGINT", "event_time TIMESTAMP",
          "received_at TIMESTAMP", "label VARCHAR", "count BIGINT");
      assertThat(columns(port, SESSION_TABLE)).contains("user_id VARCHAR", "session_id VARCHAR",
          "session_index BIGINT", "event_index BIGINT", "previous_session_id VARCHAR",
          "storage_mechanism VARCHAR", "first_event_id VARCHAR",
          "first_event_timestamp VARCHAR");
      assertThat(columns(port, PAGE_TABLE)).endsWith("loaded_at TIMESTAMP", "id VARCHAR");

      assertThat(rows(port, "select event_id, event_name, schema_version, entity_index, label,"
          + " count from " + BUTTON_TABLE).toString()).isEqualTo(JSON.createArrayNode().add(
              JSON.createArrayNode().add(buttonId).add("button_press").add("1-0-0").addNull()
                  .add("ok").add(3)).toString());
      // One row per entity instance, joined back to events by event_id and event time.
      JsonNode pages = rows(port, "select p.event_id, p.entity_index, p.id, e.event_type"
          + " from " + PAGE_TABLE + " p join events e"
          + " on e.event_id = p.event_id and e.event_time = p.event_time"
          + " order by e.event_type desc, p.entity_index");
      assertThat(pages.toString()).isEqualTo(JSON.createArrayNode()
          .add(JSON.createArrayNode().add(buttonId).add(0).add(p1).add("unstruct"))
          .add(JSON.createArrayNode().add(buttonId).add(1).add(p2).add("unstruct"))
          .add(JSON.createArrayNode().add(pageViewId).add(0).add(p3).add("page_view"))
          .toString());
      JsonNode session = rows(port, "select s.event_id, s.entity_index, s.session_index,"
          + " s.event_index, s.storage_mechanism, e.event_name from " + SESSION_TABLE
          + " s join events e using (event_id, event_time)").get(0);
      assertThat(session.toString()).isEqualTo(JSON.createArrayNode().add(buttonId).add(0).add(2)
          .addNull().add("COOKIE_1").add("button_press").toString());
      assertThat(counts(port)).containsExactly(2L, 1L, 3L, 1L, 0L);
    }

    try (Tributary restarted = TestTributary.start(config)) {
      int port = restarted.port();
      // The tracker did not see the answers and sends the same payloads again, then a new event.
      assertThat(post(port, tp2(sent)).statusCode()).isEqualTo(200);
      List<TrackerPayload> more = Collections.synchronizedList(new ArrayList<>());
      Tracker tracker = tracker(port, more);
      String newId = tracker.track(SelfDescribing.builder()
          .eventData(new SelfDescribingJson(BUTTON, Map.of("label", "again")))
          .customContext(List.of(page(p4))).build()).get(0);
      tracker.getEmitter().flushBuffer();
      await().atMost(WAIT).until(() -> more.size() == 1);
      tracker.close();
      await().atMost(WAIT).ignoreExceptions().until(() -> count(port,
          "select count(*) from " + BUTTON_TABLE + " where event_id = '" + newId + "'") == 1);
      // The retried payloads came before the new event in the same partition: all are loaded.
      assertThat(counts(port)).containsExactly(3L, 2L, 4L, 1L, 0L);
      assertThat(count(port, "select count(distinct (event_id, entity_index)) from " + PAGE_TABLE))
          .isEqualTo(4);
    }
  }

  private static Tracker tracker(int port, List<TrackerPayload> sent) {
    BatchEmitter emitter = new BatchEmitter(new NetworkConfiguration("http://127.0.0.1:" + port),
        new EmitterConfiguration().batchSize(10).callback(new EmitterCallback() {
          @Override
          public void onSuccess(List<TrackerPayload> payloads) {
            sent.addAll(payloads);
          }

          @Override
          public void onFailure(FailureType type, boolean willRetry, List<TrackerPayload> p) {}
        }));
    return new Tracker(new TrackerConfiguration("tables-e2e", "shop").platform(DevicePlatform.Web),
        emitter);
  }

  private static SelfDescribingJson page(String id) {
    return new SelfDescribingJson(WEB_PAGE, Map.of("id", id));
  }

  private static SelfDescribingJson session() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("userId", UUID.randomUUID().toString());
    data.put("sessionId", UUID.randomUUID().toString());
    data.put("sessionIndex", 2);
    data.put("storageMechanism", "COOKIE_1");
    return new SelfDescribingJson(SESSION, data);
  }

  /** A tp2 POST body holding these payloads, as the tracker's BatchEmitter sends them. */
  private static String tp2(List<TrackerPayload> payloads) throws IOException {
    List<Map<String, String>> data = new ArrayList<>();
    for (TrackerPayload p : payloads) {
      data.add(p.getMap());
    }
    return JSON.writeValueAsString(Map.of("schema", SnowplowTrackerEndToEndTest.PAYLOAD_DATA,
        "data", data));
  }

  private static HttpResponse<String> post(int port, String body) throws Exception {
    return TestTributary.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + SnowplowTrackerEndToEndTest.TP2))
        .header("Content-Type", "application/json; charset=utf-8")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> columns(int port, String table) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : rows(port, "select column_name || ' ' || data_type from"
        + " information_schema.columns where table_name = '" + table
        + "' order by ordinal_position")) {
      out.add(r.get(0).asText());
    }
    return out;
  }

  private static List<Long> counts(int port) {
    return TABLES.stream().map(t -> count(port, "select count(*) from " + t)).toList();
  }

  private Path writeConfig() throws IOException {
    Path custom = dir.resolve("custom");
    Path target = custom.resolve("schemas/com.acme/button_press/jsonschema/1-0-0");
    Files.createDirectories(target.getParent());
    try (InputStream in = getClass().getResourceAsStream("/snowplow-e2e/button_press-1-0-0.json")) {
      assertThat(in).isNotNull();
      Files.write(target, in.readAllBytes());
    }
    return SnowplowTrackerEndToEndTest.writeConfig(dir, custom);
  }
}
