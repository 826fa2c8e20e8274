package io.tributary.app;

import static io.tributary.app.TestTributary.ADMIN_TOKEN;
import static io.tributary.app.TestTributary.JSON;
import static io.tributary.app.TestTributary.WRITE_KEY;
import static io.tributary.app.TestTributary.count;
import static io.tributary.app.TestTributary.rows;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.snowplowanalytics.snowplow.tracker.DevicePlatform;
import com.snowplowanalytics.snowplow.tracker.Subject;
import com.snowplowanalytics.snowplow.tracker.Tracker;
import com.snowplowanalytics.snowplow.tracker.configuration.EmitterConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.NetworkConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.SubjectConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.TrackerConfiguration;
import com.snowplowanalytics.snowplow.tracker.emitter.BatchEmitter;
import com.snowplowanalytics.snowplow.tracker.emitter.Emitter;
import com.snowplowanalytics.snowplow.tracker.emitter.EmitterCallback;
import com.snowplowanalytics.snowplow.tracker.emitter.FailureType;
import com.snowplowanalytics.snowplow.tracker.events.PageView;
import com.snowplowanalytics.snowplow.tracker.events.SelfDescribing;
import com.snowplowanalytics.snowplow.tracker.events.Structured;
import com.snowplowanalytics.snowplow.tracker.http.HttpClientAdapter;
import com.snowplowanalytics.snowplow.tracker.http.OkHttpClientAdapter;
import com.snowplowanalytics.snowplow.tracker.payload.SelfDescribingJson;
import com.snowplowanalytics.snowplow.tracker.payload.TrackerPayload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified Snowplow Java tracker, pointed at Tributary, sends page views, structured and
 * self-describing events (with an entity) and invalid ones: the valid ones land enriched in
 * {@code events}, the invalid ones in {@code bad_events} with their raw payload, and after the schema
 * is fixed {@code replay bad} recovers them exactly once. Malformed raw requests never break anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnowplowTrackerEndToEndTest {
  /** The public Iglu Central copy, relative to the module directory Surefire runs in. */
  static final Path IGLU_CENTRAL = Path.of("../../shared/testdata/iglu-central");
  static final String BUTTON_1_0_0 = "iglu:com.acme/button_press/jsonschema/1-0-0";
  static final String BUTTON_1_0_1 = "iglu:com.acme/button_press/jsonschema/1-0-1";
  static final String WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";
  static final String PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";
  static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  static final String CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
      + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
  static final String PAGE_URL = "https://shop.example/pricing?utm_source=news&utm_medium=email&utm_campaign=nov";
  static final String REFERRER = "https://www.google.com/search?q=tributary";
  static final String NUID = "5f1e7c3a-8d2b-4a6e-9c0f-1b2d3e4f5a6b";
  static final String DUID = "duid-e2e-0001";
  static final String SID = "0c7c5d7e-2f0a-4a57-9b6e-1d2c3b4a5f60";

  @TempDir static Path dir;
  Path configFile;
  Path custom;
  Tributary tributary;
  int port;

  @BeforeAll
  void start() throws IOException {
    if (!Files.isDirectory(IGLU_CENTRAL.resolve("schemas/com.snowplowanalytics.snowplow/web_page"))) {
      fail("the Iglu Central copy is missing: expected " + IGLU_CENTRAL.toAbsolutePath().normalize()
          + " (shared/testdata/iglu-central beside the main repository)");
    }
    custom = dir.resolve("custom");
    installSchema("button_press-1-0-0.json", "1-0-0");
    configFile = writeConfig();
    tributary = TestTributary.start(configFile);
    port = tributary.port();
  }

  @AfterAll
  void stop() {
    if (tributary != null) {
      tributary.close();
    }
  }

  @Test
  @Order(1)
  void trackerEventsAreEnrichedBadOnesKeptAndRecoveredByReplayExactlyOnce() throws Exception {
    String collector = "http://127.0.0.1:" + port;

    // ---- POST: the tracker's default BatchEmitter (one tp2 request for the whole batch) ----------
    Set<String> succeeded = ConcurrentHashMap.newKeySet();
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    EmitterCallback callback = new EmitterCallback() {
      @Override
      public void onSuccess(List<TrackerPayload> payloads) {
        payloads.forEach(p -> succeeded.add(p.getEventId()));
      }

      @Override
      public void onFailure(FailureType type, boolean willRetry, List<TrackerPayload> payloads) {
        failed.add(type + " (retry " + willRetry + ") " + payloads.size() + " events");
      }
    };
    BatchEmitter emitter = new BatchEmitter(new NetworkConfiguration(collector),
        new EmitterConfiguration().batchSize(10).callback(callback));
    Subject subject = new Subject(new SubjectConfiguration()
        .userId("user-42").useragent(CHROME_UA).networkUserId(NUID).domainUserId(DUID)
        .domainSessionId(SID).screenResolution(1920, 1080).viewPort(1280, 720)
        .language("en-GB").timezone("Europe/Paris"));
    Tracker tracker = new Tracker(new TrackerConfiguration("e2e-post", "shop-web")
        .platform(DevicePlatform.Web), emitter, subject);

    String pageViewId = tracker.track(PageView.builder()
        .pageUrl(PAGE_URL).pageTitle("Pricing").referrer(REFERRER).build()).get(0);
    String structId = tracker.track(Structured.builder()
        .category("checkout").action("add-to-basket").label("sku-123").property("size-m").value(19.99)
        .build()).get(0);
    String pageId = UUID.randomUUID().toString();
    String goodId = tracker.track(buttonPress(BUTTON_1_0_0, "ok", 1, pageId)).get(0);
    String invalidId = tracker.track(buttonPress(BUTTON_1_0_0, "much too long", 2, pageId)).get(0);
    String unresolvedId = tracker.track(buttonPress(BUTTON_1_0_1, "later", 3, pageId)).get(0);
    emitter.flushBuffer();
    await().atMost(20, TimeUnit.SECONDS).until(() -> succeeded.size() + failed.size() >= 5);
    tracker.close();
    assertThat(failed).as("tracker send failures").isEmpty();
    assertThat(succeeded).contains(pageViewId, structId, goodId, invalidId, unresolvedId);

    // ---- GET: the tracker's own HTTP adapter sends each payload as GET /i?... ----------------------
    List<Integer> getStatuses = Collections.synchronizedList(new ArrayList<>());
    GetEmitter getEmitter = new GetEmitter(new OkHttpClientAdapter(collector, new OkHttpClient()),
        getStatuses);
    Tracker getTracker = new Tracker(new TrackerConfiguration("e2e-get", "shop-get")
        .platform(DevicePlatform.Web).base64Encoded(false), getEmitter,
        new Subject(new SubjectConfiguration().useragent(CHROME_UA)));
    String getStructId = getTracker.track(Structured.builder()
        .category("pixel").action("view").label("banner").build()).get(0);
    String getButtonId = getTracker.track(buttonPress(BUTTON_1_0_0, "get", 7, pageId)).get(0);
    getTracker.close();
    assertThat(getStatuses).containsExactly(200, 200);

    // ---- Good events: enriched, each exactly once ------------------------------------------------
    List<String> goodIds = List.of(pageViewId, structId, goodId, getStructId, getButtonId);
    await().atMost(30, TimeUnit.SECONDS)
        .until(() -> count(port, "select count(*) from events where event_id in " + in(goodIds)) == 5);

    JsonNode pv = row("""
        select event_type, app_id, platform, page_url, page_title, page_urlhost, mkt_source, mkt_medium,
               mkt_campaign, refr_medium, refr_source, refr_term, br_family, os_family,
               event_fingerprint, network_userid, domain_userid, domain_sessionid, tracker, user_id,
               protocol, source, page_referrer, page_urlpath, dvce_screenwidth, br_viewheight, br_lang,
               os_timezone, user_agent, sent_at is not null, original_timestamp is not null
        from events where event_id = '%s'""".formatted(pageViewId));
    assertThat(text(pv, 0)).isEqualTo("page_view");
    assertThat(text(pv, 1)).isEqualTo("shop-web");
    assertThat(text(pv, 2)).isEqualTo("web");
    assertThat(text(pv, 3)).isEqualTo(PAGE_URL);
    assertThat(text(pv, 4)).isEqualTo("Pricing");
    assertThat(text(pv, 5)).isEqualTo("shop.example");
    assertThat(text(pv, 6)).isEqualTo("news");
    assertThat(text(pv, 7)).isEqualTo("email");
    assertThat(text(pv, 8)).isEqualTo("nov");
    assertThat(text(pv, 9)).isEqualTo("search");
    assertThat(text(pv, 10)).contains("Google");
    assertThat(text(pv, 11)).isEqualTo("tributary");
    assertThat(text(pv, 12)).as("br_family from the ua parameter").isEqualTo("Chrome");
    assertThat(text(pv, 13)).as("os_family").isEqualTo("Windows");
    assertThat(text(pv, 14)).as("event_fingerprint").isNotBlank();
    assertThat(text(pv, 15)).as("network_userid from tnuid").isEqualTo(NUID);
    assertThat(text(pv, 16)).isEqualTo(DUID);
    assertThat(text(pv, 17)).isEqualTo(SID);
    assertThat(text(pv, 18)).startsWith("java-");
    assertThat(text(pv, 19)).isEqualTo("user-42");
    assertThat(text(pv, 20)).isEqualTo("snowplow");
    assertThat(text(pv, 21)).isEqualTo("snowplow");
    assertThat(text(pv, 22)).isEqualTo(REFERRER);
    assertThat(text(pv, 23)).isEqualTo("/pricing");
    assertThat(pv.get(24).asInt()).isEqualTo(1920);
    assertThat(pv.get(25).asInt()).isEqualTo(720);
    assertThat(text(pv, 26)).isEqualTo("en-GB");
    assertThat(text(pv, 27)).isEqualTo("Europe/Paris");
    assertThat(text(pv, 28)).isEqualTo(CHROME_UA);
    assertThat(pv.get(29).asBoolean()).as("sent_at from stm").isTrue();
    assertThat(pv.get(30).asBoolean()).as("original_timestamp from dtm").isTrue();
    assertThat(count(port, "select count(*) from events where tracker like 'java-%' and event_id in "
        + in(goodIds))).isEqualTo(5);

    JsonNode se = row("""
        select event_type, se_category, se_action, se_label, se_property, se_value, app_id
        from events where event_id = '%s'""".formatted(structId));
    assertThat(text(se, 0)).isEqualTo("struct");
    assertThat(text(se, 1)).isEqualTo("checkout");
    assertThat(text(se, 2)).isEqualTo("add-to-basket");
    assertThat(text(se, 3)).isEqualTo("sku-123");
    assertThat(text(se, 4)).isEqualTo("size-m");
    assertThat(se.get(5).asDouble()).isEqualTo(19.99);

    for (String id : List.of(goodId, getButtonId)) {
      JsonNode ue = row("""
          select event_type, event_name, event_schema, unstruct_event->>'$.data.label',
                 (unstruct_event->>'$.data.count')::int, json_array_length(contexts),
                 contexts->>'$[0].schema', contexts->>'$[0].data.id', br_family
          from events where event_id = '%s'""".formatted(id));
      assertThat(text(ue, 0)).isEqualTo("unstruct");
      assertThat(text(ue, 1)).isEqualTo("button_press");
      assertThat(text(ue, 2)).isEqualTo(BUTTON_1_0_0);
      assertThat(text(ue, 3)).isEqualTo(id.equals(goodId) ? "ok" : "get");
      assertThat(ue.get(4).asInt()).isEqualTo(id.equals(goodId) ? 1 : 7);
      assertThat(ue.get(5).asInt()).isEqualTo(1);
      assertThat(text(ue, 6)).isEqualTo(WEB_PAGE);
      assertThat(text(ue, 7)).isEqualTo(pageId);
      assertThat(text(ue, 8)).isEqualTo("Chrome");
    }
    JsonNode get = row("select se_category, se_action, app_id, network_userid, tracker from events "
        + "where event_id = '" + getStructId + "'");
    assertThat(text(get, 0)).isEqualTo("pixel");
    assertThat(text(get, 2)).isEqualTo("shop-get");
    assertThat(text(get, 3)).as("network_userid from the collector's sp cookie").isNotBlank();
    assertThat(text(get, 4)).startsWith("java-");

    // ---- Bad events: a schema violation and a resolution error, with the raw payload -----------
    await().atMost(30, TimeUnit.SECONDS)
        .until(() -> count(port, "select count(*) from bad_events where replay_id is null") >= 2);
    assertThat(count(port, "select count(*) from bad_events")).isEqualTo(2);
    JsonNode violation = row("""
        select messages::varchar, raw->>'$.path', raw->>'$.body', source, raw_id, received_at is not null
        from bad_events where type = 'schema_violation' and replay_id is null""");
    // The validator's wording: "$.label: must be at most 5 characters long" (the maxLength rule).
    assertThat(text(violation, 0)).contains("unstruct_event", BUTTON_1_0_0, "$.label")
        .containsAnyOf("maxLength", "at most 5 characters");
    assertThat(text(violation, 1)).isEqualTo(TP2);
    assertThat(payloadEventIds(text(violation, 2))).contains(invalidId);
    assertThat(text(violation, 3)).isEqualTo("snowplow");
    assertThat(text(violation, 4)).isNotBlank();
    assertThat(violation.get(5).asBoolean()).isTrue();
    JsonNode unresolved = row("""
        select messages::varchar, raw->>'$.path', raw->>'$.body'
        from bad_events where type = 'resolution_error' and replay_id is null""");
    assertThat(text(unresolved, 0)).contains(BUTTON_1_0_1);
    assertThat(text(unresolved, 1)).isEqualTo(TP2);
    assertThat(payloadEventIds(text(unresolved, 2))).contains(unresolvedId);
    assertThat(count(port, "select count(*) from events where event_id in "
        + in(List.of(invalidId, unresolvedId)))).isZero();

    // ---- The lake: raw requests and bad rows are published as files ---------------------------
    await().atMost(20, TimeUnit.SECONDS).until(() -> hasFiles(dir.resolve("data/lake/raw"))
        && hasFiles(dir.resolve("data/lake/bad")));

    // ---- Fix the schema, then `tributary replay bad` against the running server ----------------
    installSchema("button_press-1-0-0-fixed.json", "1-0-0");
    installSchema("button_press-1-0-1.json", "1-0-1");
    long badRequests = count(port, "select count(distinct raw_id) from bad_events");
    TributaryConfig config = ConfigLoader.load(configFile, Map.of(), Map.of());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    // The config says port 0 (a free one): pass the real URL as `--url` would.
    int exit = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        new ReplayClient(new QueryClient(config, collector, ADMIN_TOKEN),
            new PrintStream(printed, true, UTF_8)).run(null, null, null));
    String output = printed.toString(UTF_8);
    System.out.print(output);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("Re-injected " + badRequests + " raw records", "recovered")
        .contains("Done: " + badRequests + " recovered, 0 still bad");

    await().atMost(30, TimeUnit.SECONDS).until(() -> count(port,
        "select count(*) from events where event_id in " + in(List.of(invalidId, unresolvedId))) == 2);
    JsonNode recovered = rows(port, "select event_id, unstruct_event->>'$.data.label', event_schema "
        + "from events where event_id in " + in(List.of(invalidId, unresolvedId)) + " order by 2");
    assertThat(recovered.toString())
        .isEqualTo(JSON.createArrayNode()
            .add(JSON.createArrayNode().add(unresolvedId).add("later").add(BUTTON_1_0_1))
            .add(JSON.createArrayNode().add(invalidId).add("much too long").add(BUTTON_1_0_0))
            .toString());
    // Give the loader a few batches to show any duplicate before checking counts.
    long loaded = tributary.loadedEvents();
    await().pollDelay(1, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS).until(() -> true);
    assertThat(tributary.loadedEvents()).isEqualTo(loaded);
    assertThat(count(port, "select count(*) from events")).isEqualTo(7);
    assertThat(count(port, "select count(distinct event_id) from events")).isEqualTo(7);
    assertThat(count(port, "select count(*) from bad_events where replay_id is not null"))
        .as("nothing failed again").isZero();
    assertThat(count(port, "select count(*) from bad_events")).as("history kept").isEqualTo(2);

    // Replaying again (the bad rows stay as history) re-injects them again but loads nothing twice.
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        new ReplayClient(new QueryClient(config, collector, ADMIN_TOKEN),
            new PrintStream(again, true, UTF_8)).run(null, null, null))).isZero();
    assertThat(again.toString(UTF_8)).contains("Done: " + badRequests + " recovered, 0 still bad");
    long loadedAfterAgain = tributary.loadedEvents();
    await().pollDelay(1, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS).until(() -> true);
    assertThat(tributary.loadedEvents()).isEqualTo(loadedAfterAgain);
    assertThat(count(port, "select count(*) from events")).isEqualTo(7);
    assertThat(count(port, "select count(*) from bad_events")).isEqualTo(2);
  }

  @Test
  @Order(2)
  void malformedRequestsAreAnswered200AndBecomeBadRowsWithoutBreakingAnything() throws Exception {
    long eventsBefore = count(port, "select count(*) from events");
    Map<String, String> expected = new LinkedHashMap<>();

    expected.put("aid=mal-json", "tracker_protocol_violation");
    assertThat(post(TP2 + "?aid=mal-json", "{\"schema\": \"" + PAYLOAD_DATA + "\", \"data\": [{")
        .statusCode()).isEqualTo(200);

    String cxQuery = "e=se&se_ca=c&se_ac=a&p=web&tv=raw-1&aid=mal-cx&cx=%25%25%25";
    expected.put(cxQuery, "tracker_protocol_violation");
    HttpResponse<byte[]> pixel = TestTributary.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/i?" + cxQuery)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pixel.statusCode()).isEqualTo(200);
    assertThat(pixel.headers().firstValue("content-type")).hasValue("image/gif");

    // A literal cx=%%% (not even a valid URI; java.net.http refuses to send it): a raw socket.
    String rawQuery = "e=se&se_ca=c&se_ac=a&p=web&tv=raw-1&aid=mal-cx-raw&cx=%%%";
    expected.put(rawQuery, "tracker_protocol_violation");
    assertThat(rawGet("/i?" + rawQuery)).startsWith("HTTP/1.1 200");

    expected.put("aid=mal-uepr", "tracker_protocol_violation");
    assertThat(post(TP2 + "?aid=mal-uepr", tp2Event(
        "\"e\":\"ue\",\"p\":\"srv\",\"tv\":\"raw-1\",\"ue_pr\":\"{this is not json\"")).statusCode())
        .isEqualTo(200);

    expected.put("aid=mal-vendor", "resolution_error");
    String unknown = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
        + "\"data\":{\"schema\":\"iglu:org.nobody.unknown/thing/jsonschema/1-0-0\",\"data\":{\"a\":1}}}";
    assertThat(post(TP2 + "?aid=mal-vendor", tp2Event("\"e\":\"ue\",\"p\":\"srv\",\"tv\":\"raw-1\","
        + "\"eid\":\"" + UUID.randomUUID() + "\",\"ue_pr\":" + JSON.writeValueAsString(unknown)))
        .statusCode()).isEqualTo(200);

    expected.put("aid=mal-size", "size_violation");
    String big = "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":\"pv\",\"pad\":\""
        + "x".repeat(2 * 1024 * 1024) + "\"}]}";
    assertThat(post(TP2 + "?aid=mal-size", big).statusCode()).isEqualTo(200);

    await().atMost(30, TimeUnit.SECONDS).until(() -> count(port,
        "select count(*) from bad_events where raw->>'$.query' in " + in(expected.keySet()))
        >= expected.size());
    JsonNode bad = rows(port, "select raw->>'$.query', type, messages::varchar, raw->>'$.path' "
        + "from bad_events where raw->>'$.query' in " + in(expected.keySet()));
    Map<String, String> actual = new LinkedHashMap<>();
    for (JsonNode r : bad) {
      assertThat(actual.put(r.get(0).asText(), r.get(1).asText())).as("one bad row for " + r).isNull();
    }
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    String messages = bad.toString();
    assertThat(messages).contains("not valid JSON", "cx", "ue_pr", "org.nobody.unknown");
    assertThat(count(port, "select count(*) from events where app_id like 'mal-%'")).isZero();
    assertThat(count(port, "select count(*) from events")).isEqualTo(eventsBefore);

    HttpResponse<String> ready = TestTributary.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    // And the tracker path still takes good events afterwards.
    String eid = UUID.randomUUID().toString();
    assertThat(post(TP2, tp2Event("\"e\":\"se\",\"se_ca\":\"after\",\"se_ac\":\"ok\",\"p\":\"srv\","
        + "\"tv\":\"raw-1\",\"eid\":\"" + eid + "\"")).statusCode()).isEqualTo(200);
    await().atMost(20, TimeUnit.SECONDS)
        .until(() -> count(port, "select count(*) from events where event_id = '" + eid + "'") == 1);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private Path writeConfig() throws IOException {
    return writeConfig(dir, custom);
  }

  /** A test config whose schemas come from {@code custom} (com.acme) and then Iglu Central. */
  static Path writeConfig(Path dir, Path custom) throws IOException {
    Path file = TestTributary.writeConfig(dir, 0, true);
    Files.writeString(file, Files.readString(file) + """
        schemas:
          registries:
            - name: custom
              type: directory
              path: '%s'
              priority: 0
              vendor_prefixes: [com.acme]
            - name: iglu-central
              type: directory
              path: '%s'
              priority: 1
        """.formatted(custom, IGLU_CENTRAL.toAbsolutePath().normalize()));
    return file;
  }

  private void installSchema(String resource, String version) throws IOException {
    Path target = custom.resolve("schemas/com.acme/button_press/jsonschema/" + version);
    Files.createDirectories(target.getParent());
    try (InputStream in = getClass().getResourceAsStream("/snowplow-e2e/" + resource)) {
      assertThat(in).as("test resource " + resource).isNotNull();
      Files.write(target, in.readAllBytes());
    }
  }

  private static SelfDescribing buttonPress(String schema, String label, int count, String pageId) {
    return SelfDescribing.builder()
        .eventData(new SelfDescribingJson(schema, Map.of("label", label, "count", count)))
        .customContext(List.of(new SelfDescribingJson(WEB_PAGE, Map.of("id", pageId))))
        .build();
  }

  private JsonNode row(String sql) {
    JsonNode r = rows(port, sql);
    assertThat(r).as("rows of " + sql).hasSize(1);
    return r.get(0);
  }

  private static String text(JsonNode row, int i) {
    JsonNode v = row.get(i);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String in(java.util.Collection<String> values) {
    StringBuilder sb = new StringBuilder("(");
    for (String v : values) {
      sb.append(sb.length() == 1 ? "" : ", ").append('\'').append(v.replace("'", "''")).append('\'');
    }
    return sb.append(')').toString();
  }

  /** The eids of the events in a tp2 payload_data body. */
  private static List<String> payloadEventIds(String body) throws IOException {
    assertThat(body).as("raw body").isNotNull();
    JsonNode payload = JSON.readTree(body);
    assertThat(payload.path("schema").asText()).isEqualTo(PAYLOAD_DATA);
    List<String> ids = new ArrayList<>();
    payload.path("data").forEach(e -> ids.add(e.path("eid").asText()));
    return ids;
  }

  private static String tp2Event(String fields) {
    return "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{" + fields + "}]}";
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return TestTributary.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json; charset=utf-8")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a request line as is and returns the status line. */
  private String rawGet(String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUser-Agent: raw-socket\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      int end = response.indexOf("\r\n");
      return end < 0 ? response : response.substring(0, end);
    }
  }

  private static boolean hasFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.anyMatch(p -> p.toString().endsWith(".ndjson.gz"));
    }
  }

  /**
   * An emitter that sends each event at once with the tracker's own HTTP adapter as a GET of
   * {@code /i?<params>} (the 1.0 BatchEmitter only POSTs).
   */
  private static final class GetEmitter implements Emitter {
    private final HttpClientAdapter adapter;
    private final List<Integer> statuses;

    GetEmitter(HttpClientAdapter adapter, List<Integer> statuses) {
      this.adapter = adapter;
      this.statuses = statuses;
    }

    @Override
    public boolean add(TrackerPayload payload) {
      statuses.add(adapter.get(payload));
      return true;
    }

    @Override
    public void setBatchSize(int batchSize) {}

    @Override
    public void flushBuffer() {}

    @Override
    public int getBatchSize() {
      return 1;
    }

    @Override
    public List<TrackerPayload> getBuffer() {
      return List.of();
    }

    @Override
    public void close() {}
  }
}
