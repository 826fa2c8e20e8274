package io.tributary.collector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class CollectorHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2024-05-06T07:08:09.123Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final WriteKeys KEYS = Map.of("wk-web", "web", "wk-ios", "ios")::get;
  private static final String UA = "tributary-test/1.0";
  private static final String ORIGIN = "https://shop.example";

  private static final FakeRawSink SINK = new FakeRawSink();
  private static final List<HealthCheck> CHECKS = new CopyOnWriteArrayList<>();
  private static final AtomicReference<ApiHandler.ApiRequest> LAST_API = new AtomicReference<>();
  private static HttpCollector collector;
  private static HttpClient http;

  @BeforeAll
  static void startServer() {
    Map<String, ApiHandler> routes = Map.of(
        "/api/echo", req -> {
          LAST_API.set(req);
          ObjectNode out = JSON.createObjectNode()
              .put("method", req.method())
              .put("path", req.path())
              .put("authorization", req.authorization())
              .put("body", new String(req.body(), UTF_8));
          return new ApiHandler.ApiResponse(202, out.toString().getBytes(UTF_8));
        },
        "/api/boom", req -> {
          throw new IllegalStateException("kaboom");
        });
    collector = start(CollectorSettings.defaults("127.0.0.1", 0), routes);
    http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterAll
  static void stopServer() {
    if (collector != null) {
      collector.close();
    }
  }

  @BeforeEach
  void reset() {
    SINK.clear();
    CHECKS.clear();
    LAST_API.set(null);
  }

  private static HttpCollector start(CollectorSettings settings, Map<String, ApiHandler> routes) {
    return HttpCollector.start(settings, SINK, KEYS, routes, () -> List.copyOf(CHECKS), CLOCK);
  }

  // ---------------------------------------------------------------------------------------------
  // Collection endpoints

  @ParameterizedTest
  @ValueSource(strings = {"/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group",
      "/v1/alias", "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g", "/v1/a", "/v1/batch", "/v1/import",
      "/v1/b"})
  void everyEndpointAcceptsAValidRequestAndStoresItVerbatim(String path) throws Exception {
    byte[] body = validBodyFor(path).getBytes(UTF_8);

    HttpResponse<String> response = post(path, body, "Authorization", basic("wk-web"));

    assertSuccess(response);
    RawRecord r = SINK.only();
    assertThat(UUID.fromString(r.id())).isNotNull();
    assertThat(r.source()).isEqualTo("web");
    assertThat(r.protocol()).isEqualTo("segment");
    assertThat(r.path()).isEqualTo(path);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.userAgent()).isEqualTo(UA);
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.receivedAt()).isEqualTo(NOW);
    assertThat(r.ip()).isEqualTo("127.0.0.1");
  }

  @Test
  void queryStringIsNotPartOfTheStoredPath() throws Exception {
    HttpResponse<String> response =
        post("/v1/track?x=1", trackJson("u1", null).getBytes(UTF_8), "Authorization", basic("wk-web"));

    assertSuccess(response);
    assertThat(SINK.only().path()).isEqualTo("/v1/track");
  }

  // ---------------------------------------------------------------------------------------------
  // Write keys

  @Test
  void writeKeyAsBasicAuthUser() throws Exception {
    assertSuccess(post("/v1/track", trackJson("u1", null).getBytes(UTF_8),
        "Authorization", basic("wk-ios")));
    assertThat(SINK.only().source()).isEqualTo("ios");
  }

  @Test
  void writeKeyInBodyWithTextPlainAsBrowsersSend() throws Exception {
    byte[] body = trackJson("u1", "wk-web").getBytes(UTF_8);

    HttpResponse<String> response = send(request("/v1/track")
        .header("Content-Type", "text/plain;charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertSuccess(response);
    RawRecord r = SINK.only();
    assertThat(r.source()).isEqualTo("web");
    assertThat(r.contentType()).isEqualTo("text/plain;charset=UTF-8");
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void writeKeyInBatchBody() throws Exception {
    String body = "{\"writeKey\":\"wk-ios\",\"batch\":[" + event("track", "u1") + "]}";
    assertSuccess(post("/v1/batch", body.getBytes(UTF_8)));
    assertThat(SINK.only().source()).isEqualTo("ios");
  }

  @Test
  void wrongHeaderKeyIs401AndNothingStored() throws Exception {
    HttpResponse<String> response = post("/v1/track", trackJson("u1", "wk-web").getBytes(UTF_8),
        "Authorization", basic("nope"));

    assertError(response, 401, "invalid write key");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void wrongBodyKeyIs401AndNothingStored() throws Exception {
    assertError(post("/v1/track", trackJson("u1", "nope").getBytes(UTF_8)), 401, "invalid write key");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void missingKeyIs401() throws Exception {
    assertError(post("/v1/track", trackJson("u1", null).getBytes(UTF_8)), 401, "missing write key");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void headerKeyWinsOverAWrongBodyKey() throws Exception {
    assertSuccess(post("/v1/track", trackJson("u1", "nope").getBytes(UTF_8),
        "Authorization", basic("wk-ios")));
    assertThat(SINK.only().source()).isEqualTo("ios");
  }

  // ---------------------------------------------------------------------------------------------
  // Validation and limits

  @Test
  void badJsonIs400() throws Exception {
    assertError(post("/v1/track", "{\"userId\":\"u1\",".getBytes(UTF_8), "Authorization",
        basic("wk-web")), 400, "invalid JSON");
    assertError(post("/v1/batch", "[1,2]".getBytes(UTF_8), "Authorization", basic("wk-web")), 400,
        "must be a JSON object");
    assertError(post("/v1/track", new byte[0], "Authorization", basic("wk-web")), 400, "empty");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void singleEventAtTheLimitIsAcceptedAndOneByteOverIs400() throws Exception {
    int limit = 32 * 1024;
    assertSuccess(post("/v1/track", paddedTrack(limit), "Authorization", basic("wk-web")));
    assertThat(SINK.only().body()).hasSize(limit);
    SINK.clear();

    assertError(post("/v1/track", paddedTrack(limit + 1), "Authorization", basic("wk-web")), 400,
        "over the limit of 32768");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void oversizeEventInsideABatchIs400() throws Exception {
    String big = new String(paddedTrack(40_000), UTF_8).replace("{\"event\"", "{\"type\":\"track\",\"event\"");
    String body = "{\"batch\":[" + event("track", "u1") + "," + big + "]}";
    assertError(post("/v1/batch", body.getBytes(UTF_8), "Authorization", basic("wk-web")), 400,
        "batch[1] is");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void bodyExactlyAtMaxRequestBytesIsAccepted() throws Exception {
    byte[] body = batchOfSize(500 * 1024);
    assertThat(body).hasSize(500 * 1024);

    assertSuccess(post("/v1/batch", body, "Authorization", basic("wk-web")));
    assertThat(SINK.only().body()).isEqualTo(body);
  }

  @Test
  void bodyOverMaxRequestBytesIs413WithJsonMessage() throws Exception {
    byte[] body = batchOfSize(500 * 1024 + 1);
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      // Content-Length alone is enough for the server to refuse; the body is not sent, so the
      // server's close cannot turn into a reset that hides the response.
      raw.write("POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: " + basic("wk-web") + "\r\nContent-Length: " + body.length + "\r\n\r\n");
      RawHttp.Response response = raw.read();
      assertThat(response).isNotNull();
      assertError(response.status(), response.bodyText(), 413, "over the limit of 512000 bytes");
      assertThat(response.header("Content-Type")).startsWith("application/json");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(SINK.records()).isEmpty();
    assertServerStillServes();
  }

  @Test
  void bodyOverMaxRequestBytesWithExpectContinueIs413WithJsonMessage() throws Exception {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.write("POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nAuthorization: " + basic("wk-web")
          + "\r\nContent-Length: 600000\r\n\r\n");
      RawHttp.Response response = raw.read();
      assertThat(response).isNotNull();
      assertError(response.status(), response.bodyText(), 413, "over the limit of 512000 bytes");
    }
  }

  @Test
  void expectContinueUnderTheLimitIsAccepted() throws Exception {
    byte[] body = trackJson("u1", null).getBytes(UTF_8);
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.write("POST /v1/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nAuthorization: " + basic("wk-web")
          + "\r\nContent-Length: " + body.length + "\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(100);
      raw.write(body);
      RawHttp.Response response = raw.read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(json(response.bodyText()).path("success").asBoolean()).isTrue();
    }
    assertThat(SINK.only().body()).isEqualTo(body);
  }

  @Test
  void chunkedBodyOverMaxRequestBytesIs413() throws Exception {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.write("POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\nAuthorization: " + basic("wk-web") + "\r\n\r\n");
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      // 9 x 64 KB = 576 KB > 500 KB; all of it fits in socket buffers, so writing never blocks.
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int i = 0; i < 9; i++) {
        all.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(UTF_8));
        all.writeBytes(chunk);
        all.writeBytes("\r\n".getBytes(UTF_8));
      }
      all.writeBytes("0\r\n\r\n".getBytes(UTF_8));
      try {
        raw.write(all.toByteArray());
      } catch (IOException ignored) {
        // the server may already have answered and closed
      }
      RawHttp.Response response = raw.read();
      assertThat(response).isNotNull();
      assertError(response.status(), response.bodyText(), 413, "over the limit of 512000 bytes");
    }
    assertThat(SINK.records()).isEmpty();
    assertServerStillServes();
  }

  @Test
  void gzipBodyIsStoredDecompressed() throws Exception {
    byte[] json = ("{\"batch\":[" + event("track", "u1") + "," + event("identify", "u2") + "]}")
        .getBytes(UTF_8);

    HttpResponse<String> response = post("/v1/batch", gzip(json), "Authorization", basic("wk-web"),
        "Content-Encoding", "gzip");

    assertSuccess(response);
    assertThat(SINK.only().body()).isEqualTo(json);
  }

  @Test
  void gzipBombIsNotStoredAndServerKeepsWorking() throws Exception {
    byte[] bomb = gzipBomb();
    assertThat(bomb.length).isLessThan(200 * 1024);

    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      sendGzip(raw, "/v1/track", bomb);
      RawHttp.Response response = readOrNull(raw);
      if (response != null) {
        assertError(response.status(), response.bodyText(), 413, "over the limit");
      }
    }
    assertThat(SINK.records()).isEmpty();
    assertServerStillServes();
  }

  @Test
  void gzipBombIs413WithJsonMessage() throws Exception {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      sendGzip(raw, "/v1/track", gzipBomb());
      RawHttp.Response response = raw.read();
      assertThat(response).as("a response, not a closed connection").isNotNull();
      assertError(response.status(), response.bodyText(), 413, "over the limit of 512000 bytes");
    }
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void gzipBatchOver64KbDecompressedIsAccepted() throws Exception {
    byte[] json = batchOf(2000); // ~110 KB of JSON, ~10 KB gzipped, well under every limit
    assertThat(json.length).isBetween(100 * 1024, 500 * 1024);

    HttpResponse<String> response = post("/v1/batch", gzip(json), "Authorization", basic("wk-web"),
        "Content-Encoding", "gzip");

    assertSuccess(response);
    assertThat(SINK.only().body()).isEqualTo(json);
  }

  @Test
  void corruptGzipBodyIs400() throws Exception {
    byte[] notGzip = trackJson("u1", null).getBytes(UTF_8);
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      sendGzip(raw, "/v1/track", notGzip);
      RawHttp.Response response = raw.read();
      assertThat(response).as("a response, not a closed connection").isNotNull();
      assertError(response.status(), response.bodyText(), 400, "gzip");
    }
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void emptyBatchIs400() throws Exception {
    assertError(post("/v1/batch", "{\"batch\":[]}".getBytes(UTF_8), "Authorization", basic("wk-web")),
        400, "batch is empty");
    assertError(post("/v1/batch", "{\"sentAt\":\"x\"}".getBytes(UTF_8), "Authorization",
        basic("wk-web")), 400, "missing 'batch' array");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void batchOf2500IsAcceptedAnd2501Is400() throws Exception {
    byte[] ok = batchOf(2500);
    assertSuccess(post("/v1/batch", ok, "Authorization", basic("wk-web")));
    assertThat(SINK.only().body()).isEqualTo(ok);
    SINK.clear();

    assertError(post("/v1/batch", batchOf(2501), "Authorization", basic("wk-web")), 400,
        "more than 2500 events");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void missingUserIdAndAnonymousIdIs400() throws Exception {
    assertError(post("/v1/track", "{\"event\":\"Clicked\"}".getBytes(UTF_8), "Authorization",
        basic("wk-web")), 400, "missing userId or anonymousId");
    assertError(post("/v1/batch", "{\"batch\":[{\"type\":\"page\",\"userId\":\"\"}]}".getBytes(UTF_8),
        "Authorization", basic("wk-web")), 400, "batch[0]: missing userId or anonymousId");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void missingTypeSpecificFieldIs400() throws Exception {
    assertError(post("/v1/track", "{\"userId\":\"u\"}".getBytes(UTF_8), "Authorization",
        basic("wk-web")), 400, "track requires 'event'");
    assertError(post("/v1/batch", "{\"batch\":[{\"type\":\"boom\",\"userId\":\"u\"}]}".getBytes(UTF_8),
        "Authorization", basic("wk-web")), 400, "'type' must be one of");
    assertThat(SINK.records()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Methods, paths, content types

  @Test
  void unsupportedContentTypeIs415() throws Exception {
    HttpResponse<String> response = send(request("/v1/track")
        .header("Content-Type", "application/xml")
        .header("Authorization", basic("wk-web"))
        .POST(HttpRequest.BodyPublishers.ofString(trackJson("u1", null))));

    assertError(response, 415, "application/xml");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void getOnCollectionEndpointIs405() throws Exception {
    assertError(send(request("/v1/track").GET()), 405, "use POST for /v1/track");
  }

  @Test
  void unknownPathsAre404() throws Exception {
    assertError(post("/v1/foo", trackJson("u1", null).getBytes(UTF_8), "Authorization",
        basic("wk-web")), 404, "no such path: /v1/foo");
    assertError(send(request("/bar").GET()), 404, "no such path: /bar");
    assertThat(SINK.records()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // CORS

  @Test
  void preflightEchoesOriginAndRequestedHeaders() throws Exception {
    HttpResponse<String> response = send(request("/v1/batch")
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type, authorization")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("content-type, authorization");
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void postWithOriginGetsAllowOriginOnSuccessAndOnError() throws Exception {
    HttpResponse<String> ok = post("/v1/track", trackJson("u1", "wk-web").getBytes(UTF_8),
        "Origin", ORIGIN);
    assertSuccess(ok);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);

    HttpResponse<String> bad = post("/v1/track", "{}".getBytes(UTF_8), "Origin", ORIGIN);
    assertError(bad, 400, "missing userId or anonymousId");
    assertThat(bad.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
  }

  // ---------------------------------------------------------------------------------------------
  // Sink

  @Test
  void sinkFailureIs503WithRetryAfterAndTheNextRequestSucceeds() throws Exception {
    SINK.mode(FakeRawSink.Mode.FAIL);
    HttpResponse<String> failed =
        post("/v1/track", trackJson("u1", null).getBytes(UTF_8), "Authorization", basic("wk-web"));
    assertError(failed, 503, "could not store");
    assertThat(failed.headers().firstValue("Retry-After")).isPresent();
    assertThat(Integer.parseInt(failed.headers().firstValue("Retry-After").orElseThrow()))
        .isPositive();
    assertThat(SINK.records()).hasSize(1);

    SINK.mode(FakeRawSink.Mode.SUCCEED);
    assertSuccess(
        post("/v1/track", trackJson("u2", null).getBytes(UTF_8), "Authorization", basic("wk-web")));
    assertThat(SINK.records()).hasSize(2);
  }

  @Test
  void okIsSentOnlyAfterTheSinkCompletes() throws Exception {
    SINK.mode(FakeRawSink.Mode.HOLD);
    CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request("/v1/track")
            .header("Content-Type", "application/json")
            .header("Authorization", basic("wk-web"))
            .POST(HttpRequest.BodyPublishers.ofString(trackJson("u1", null))).build(),
        HttpResponse.BodyHandlers.ofString());

    await().atMost(Duration.ofSeconds(5)).until(() -> SINK.heldCount() == 1);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> !pending.isDone());

    SINK.releaseHeld();
    HttpResponse<String> response = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertSuccess(response);
  }

  // ---------------------------------------------------------------------------------------------
  // X-Forwarded-For

  @Test
  void forwardedForFromTrustedProxyGivesRightMostUntrustedHop() throws Exception {
    try (HttpCollector proxied = start(withProxies(List.of("127.0.0.1", "10.0.0.0/8")), Map.of())) {
      assertSuccess(postTo(proxied, "203.0.113.7, 10.0.0.1"));
      assertThat(SINK.only().ip()).isEqualTo("203.0.113.7");
      SINK.clear();

      // The left-most hop is whatever the client claimed: the right-most untrusted one wins.
      assertSuccess(postTo(proxied, "198.51.100.9, 203.0.113.7, 10.1.2.3"));
      assertThat(SINK.only().ip()).isEqualTo("203.0.113.7");
    }
  }

  @Test
  void forwardedForWithOnlyLoopbackTrustedStopsAtFirstUntrustedHop() throws Exception {
    try (HttpCollector proxied = start(withProxies(List.of("127.0.0.1")), Map.of())) {
      assertSuccess(postTo(proxied, "203.0.113.7, 10.0.0.1"));
      assertThat(SINK.only().ip()).isEqualTo("10.0.0.1");
    }
  }

  @Test
  void forwardedForIsIgnoredWithoutTrustedProxies() throws Exception {
    assertSuccess(postTo(collector, "203.0.113.7"));
    assertThat(SINK.only().ip()).isEqualTo("127.0.0.1");
  }

  @Test
  void forwardedForIsIgnoredWhenThePeerIsNotTrusted() throws Exception {
    try (HttpCollector proxied = start(withProxies(List.of("10.0.0.0/8")), Map.of())) {
      assertSuccess(postTo(proxied, "203.0.113.7"));
      assertThat(SINK.only().ip()).isEqualTo("127.0.0.1");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Health

  @Test
  void healthIsUp() throws Exception {
    HttpResponse<String> response = send(request("/health").GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).path("status").asText()).isEqualTo("up");
  }

  @Test
  void readyIs200WhenAllChecksAreReady() throws Exception {
    CHECKS.add(check("kafka", Health.ok("3 brokers")));
    CHECKS.add(check("lake", Health.ok("writable")));

    HttpResponse<String> response = send(request("/ready").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.path("ready").asBoolean()).isTrue();
    assertThat(body.path("checks").path("kafka").path("ready").asBoolean()).isTrue();
    assertThat(body.path("checks").path("kafka").path("detail").asText()).isEqualTo("3 brokers");
    assertThat(body.path("checks").path("lake").path("ready").asBoolean()).isTrue();
  }

  @Test
  void readyIs503WithTheFailingChecksDetail() throws Exception {
    CHECKS.add(check("kafka", Health.down("no broker reachable")));
    CHECKS.add(check("lake", Health.ok("writable")));

    HttpResponse<String> response = send(request("/ready").GET());

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode body = json(response.body());
    assertThat(body.path("ready").asBoolean()).isFalse();
    assertThat(body.path("checks").path("kafka").path("ready").asBoolean()).isFalse();
    assertThat(body.path("checks").path("kafka").path("detail").asText())
        .isEqualTo("no broker reachable");
    assertThat(body.path("checks").path("lake").path("ready").asBoolean()).isTrue();
  }

  @Test
  void readyIs503WhenACheckThrows() throws Exception {
    CHECKS.add(new HealthCheck() {
      @Override
      public String name() {
        return "flaky";
      }

      @Override
      public Health health() {
        throw new IllegalStateException("probe exploded");
      }
    });

    HttpResponse<String> response = send(request("/ready").GET());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(json(response.body()).path("checks").path("flaky").path("detail").asText())
        .contains("probe exploded");
  }

  // ---------------------------------------------------------------------------------------------
  // API routes

  @Test
  void apiRouteReceivesMethodAuthorizationAndBody() throws Exception {
    HttpResponse<String> response = send(request("/api/echo")
        .header("Authorization", "Bearer s3cret")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"select 1\"}")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    JsonNode body = json(response.body());
    assertThat(body.path("method").asText()).isEqualTo("POST");
    assertThat(body.path("path").asText()).isEqualTo("/api/echo");
    assertThat(body.path("authorization").asText()).isEqualTo("Bearer s3cret");
    assertThat(body.path("body").asText()).isEqualTo("{\"sql\":\"select 1\"}");

    send(request("/api/echo").GET());
    assertThat(LAST_API.get().method()).isEqualTo("GET");
    assertThat(LAST_API.get().authorization()).isNull();
    assertThat(LAST_API.get().body()).isEmpty();
  }

  @Test
  void apiHandlerThatThrowsIs500Json() throws Exception {
    assertError(send(request("/api/boom").GET()), 500, "kaboom");
  }

  // ---------------------------------------------------------------------------------------------
  // Connections

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
    Map<String, String> headers =
        Map.of("Content-Type", "application/json", "Authorization", basic("wk-web"));
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      for (int i = 0; i < 3; i++) {
        raw.request("POST", "/v1/track", "HTTP/1.1", headers, trackJson("u" + i, null).getBytes(UTF_8));
        RawHttp.Response r = raw.read();
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r.bodyText()).path("success").asBoolean()).isTrue();
        assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
      }
      // errors keep the connection open too
      raw.request("GET", "/v1/track", "HTTP/1.1", Map.of(), null);
      RawHttp.Response notAllowed = raw.read();
      assertError(notAllowed.status(), notAllowed.bodyText(), 405, "use POST");
      raw.request("GET", "/health", "HTTP/1.1", Map.of(), null);
      assertThat(raw.read().status()).isEqualTo(200);
    }
    assertThat(SINK.records()).extracting(RawRecord::body)
        .extracting(b -> json(new String(b, UTF_8)).path("userId").asText())
        .containsExactly("u0", "u1", "u2");
  }

  @Test
  void http10RequestIsAnsweredAndTheConnectionClosed() throws Exception {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.request("POST", "/v1/track", "HTTP/1.0",
          Map.of("Content-Type", "application/json", "Authorization", basic("wk-web")),
          trackJson("u1", null).getBytes(UTF_8));
      RawHttp.Response r = raw.read();
      assertThat(r).isNotNull();
      assertThat(r.status()).isEqualTo(200);
      assertThat(json(r.bodyText()).path("success").asBoolean()).isTrue();
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(SINK.only().path()).isEqualTo("/v1/track");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /health FOO\r\nHost: x\r\n\r\n",
      "GET /he alth HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /health HTTP/1.1\r\nNoColonHere\r\n\r\n",
      "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
      "GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n",
      "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
  })
  void malformedRequestGets4xxOrCloseAndServerKeepsServing(String request) throws Exception {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.write(request);
      assertRejected(raw);
    }
    assertThat(SINK.records()).isEmpty();
    assertServerStillServes();
  }

  @Test
  void headersOver16KbGet4xxOrCloseAndServerKeepsServing() throws Exception {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20 * 1024) + "\r\n\r\n");
      assertRejected(raw);
    }
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.write("GET /" + "a".repeat(10 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertRejected(raw);
    }
    assertServerStillServes();
  }

  /**
   * HTTP/1.1 pipelining (RFC 9112 section 9.3.2): responses must come back in request order. A held
   * sink write on the first request must not let the second request's response overtake it.
   */
  @Test
  void pipelinedResponsesComeBackInRequestOrder() throws Exception {
    SINK.mode(FakeRawSink.Mode.HOLD);
    byte[] track = trackJson("u1", null).getBytes(UTF_8);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.writeBytes(("POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Authorization: " + basic("wk-web") + "\r\nContent-Length: " + track.length + "\r\n\r\n")
        .getBytes(UTF_8));
    both.writeBytes(track);
    both.writeBytes("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.write(both.toByteArray());
      await().atMost(Duration.ofSeconds(5)).until(() -> SINK.heldCount() == 1);
      CompletableFuture<RawHttp.Response> first = CompletableFuture.supplyAsync(() -> {
        try {
          return raw.read();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try {
        RawHttp.Response early = first.get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(early.bodyText())
            .as("first response on the connection, sent while request 1 was still being stored")
            .isEqualTo("{\"success\":true}");
      } catch (java.util.concurrent.TimeoutException expected) {
        // nothing was answered while request 1 was pending: correct
      }
      SINK.releaseHeld();
      assertThat(first.get(5, java.util.concurrent.TimeUnit.SECONDS).bodyText())
          .isEqualTo("{\"success\":true}");
      assertThat(raw.read().bodyText()).contains("\"status\":\"up\"");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void assertRejected(RawHttp raw) throws IOException {
    RawHttp.Response response;
    try {
      response = raw.read();
    } catch (IOException e) {
      return; // reset by the server: an acceptable way to refuse
    }
    if (response != null) {
      assertThat(response.status()).isBetween(400, 499);
      if (response.body().length > 0) {
        assertThat(json(response.bodyText()).path("success").asBoolean(true)).isFalse();
      }
    }
  }

  private static void assertServerStillServes() throws Exception {
    SINK.clear();
    assertSuccess(post("/v1/track", trackJson("after", null).getBytes(UTF_8), "Authorization",
        basic("wk-web")));
    assertThat(SINK.records()).hasSize(1);
  }

  private static HttpResponse<String> postTo(HttpCollector target, String forwardedFor)
      throws Exception {
    HttpRequest req = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + target.port() + "/v1/track"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Authorization", basic("wk-web"))
        .header("X-Forwarded-For", forwardedFor)
        .POST(HttpRequest.BodyPublishers.ofString(trackJson("u1", null)))
        .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static CollectorSettings withProxies(List<String> proxies) {
    return CollectorSettings.defaults("127.0.0.1", 0).withTrustedProxies(proxies);
  }

  private static HealthCheck check(String name, Health health) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Health health() {
        return health;
      }
    };
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
        .timeout(Duration.ofSeconds(15))
        .header("User-Agent", UA);
  }

  private static HttpResponse<String> post(String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b = request(path).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertSuccess(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(json(response.body()).path("success").asBoolean(false)).isTrue();
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertError(response.statusCode(), response.body(), status, message);
  }

  private static void assertError(int actualStatus, String body, int status, String message) {
    assertThat(actualStatus).as("status; body: %s", body).isEqualTo(status);
    JsonNode json = json(body);
    assertThat(json.path("success").isBoolean()).as("success in %s", body).isTrue();
    assertThat(json.path("success").asBoolean()).isFalse();
    assertThat(json.path("message").asText()).contains(message);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static String basic(String writeKey) {
    return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(UTF_8));
  }

  private static String event(String type, String userId) {
    String extra = switch (type) {
      case "track" -> ",\"event\":\"Clicked\"";
      case "group" -> ",\"groupId\":\"g1\"";
      case "alias" -> ",\"previousId\":\"old\"";
      default -> "";
    };
    return "{\"type\":\"" + type + "\",\"userId\":\"" + userId + "\"" + extra + "}";
  }

  private static String trackJson(String userId, String writeKey) {
    return "{\"event\":\"Clicked\",\"userId\":\"" + userId + "\""
        + (writeKey == null ? "" : ",\"writeKey\":\"" + writeKey + "\"")
        + ",\"properties\":{\"price\":9.5,\"tags\":[\"a\",\"ü\"]}}";
  }

  private static String validBodyFor(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    return switch (last) {
      case "track", "t" -> "{\"event\":\"Clicked\",\"userId\":\"u1\",\"properties\":{\"n\":1}}";
      case "identify", "i" -> "{\"userId\":\"u1\",\"traits\":{\"email\":\"a@b.example\"}}";
      case "page", "p" -> "{\"anonymousId\":\"a1\",\"name\":\"Home\"}";
      case "screen", "s" -> "{\"userId\":\"u1\",\"name\":\"Main\"}";
      case "group", "g" -> "{\"userId\":\"u1\",\"groupId\":\"g1\"}";
      case "alias", "a" -> "{\"userId\":\"u1\",\"previousId\":\"old\"}";
      default -> "{\"batch\":[" + event("track", "u1") + "," + event("identify", "u2") + ","
          + event("page", "u3") + "," + event("screen", "u4") + "," + event("group", "u5") + ","
          + event("alias", "u6") + "]}";
    };
  }

  /** A valid track event of exactly {@code size} bytes. */
  private static byte[] paddedTrack(int size) {
    String head = "{\"event\":\"Clicked\",\"userId\":\"u1\",\"p\":\"";
    String tail = "\"}";
    return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(UTF_8);
  }

  private static byte[] batchOf(int events) {
    StringBuilder sb = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < events; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(event("track", "u" + i));
    }
    return sb.append("]}").toString().getBytes(UTF_8);
  }

  /** A valid batch of exactly {@code size} bytes, every event well under 32 KB. */
  private static byte[] batchOfSize(int size) {
    String head = "{\"batch\":[";
    String tail = "]}";
    List<String> events = new ArrayList<>();
    int remaining = size - head.length() - tail.length();
    String prefix = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"p\":\"";
    String suffix = "\"}";
    int overhead = prefix.length() + suffix.length();
    while (remaining > 0) {
      int separator = events.isEmpty() ? 0 : 1;
      int take = Math.min(20_000, remaining - separator);
      if (remaining - separator - take < overhead + 1 && remaining - separator - take > 0) {
        take = (remaining - separator) / 2; // leave room for a last event of legal size
      }
      events.add(prefix + "x".repeat(take - overhead) + suffix);
      remaining -= take + separator;
    }
    byte[] body = (head + String.join(",", events) + tail).getBytes(UTF_8);
    if (body.length != size) {
      throw new AssertionError("built " + body.length + " bytes, wanted " + size);
    }
    return body;
  }

  /** 50 MB of zeros inside a JSON string, gzipped to about 50 KB. */
  private static byte[] gzipBomb() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write("{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\",\"p\":\"".getBytes(UTF_8));
      byte[] zeros = new byte[1024 * 1024];
      java.util.Arrays.fill(zeros, (byte) '0');
      for (int i = 0; i < 50; i++) {
        gz.write(zeros);
      }
      gz.write("\"}".getBytes(UTF_8));
    }
    return compressed.toByteArray();
  }

  /** Sends a gzip-encoded POST; a write failure is ignored (the server may answer and close early). */
  private static void sendGzip(RawHttp raw, String path, byte[] gzipped) throws IOException {
    raw.write("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Encoding: gzip\r\nAuthorization: " + basic("wk-web") + "\r\nContent-Length: "
        + gzipped.length + "\r\n\r\n");
    try {
      raw.write(gzipped);
    } catch (IOException ignored) {
      // answered and closed before the whole body was sent
    }
  }

  private static RawHttp.Response readOrNull(RawHttp raw) {
    try {
      return raw.read();
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
