package io.tributary.collector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** Write keys on every collection endpoint, the admin token on the API, and secrets kept out of logs. */
@Timeout(60)
class CollectorAuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "wk-live-s3cr3t-0001";
  private static final String WRONG_KEY = "wk-guess-s3cr3t-0002";
  private static final String ADMIN = "admin-s3cr3t-token-0003";
  private static final String WRONG_ADMIN = "admin-guess-token-0004";
  private static final List<String> PATHS = List.of("/v1/track", "/v1/identify", "/v1/page",
      "/v1/screen", "/v1/group", "/v1/alias", "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g", "/v1/a",
      "/v1/batch", "/v1/import", "/v1/b");
  private static final FakeRawSink SINK = new FakeRawSink();
  private static HttpCollector collector;

  @BeforeAll
  static void start() {
    ApiHandler admin = req -> ("Bearer " + ADMIN).equals(req.authorization())
        ? new ApiHandler.ApiResponse(200, "{\"ok\":true}".getBytes(UTF_8))
        : new ApiHandler.ApiResponse(401, Responses.error("missing or invalid admin token"));
    collector = HttpCollector.start(CollectorSettings.defaults("127.0.0.1", 0), SnowplowSettings.defaults(),
        SINK, Map.of(KEY, "web")::get, Map.of("/api/admin", admin), List::of, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  @BeforeEach
  void reset() {
    SINK.clear();
  }

  static Stream<Arguments> unauthorized() {
    List<Arguments> cases = new ArrayList<>();
    for (String path : PATHS) {
      cases.add(Arguments.of(path, "no key", null, null, "missing write key"));
      cases.add(Arguments.of(path, "wrong key in Basic auth", WRONG_KEY, null, "invalid write key"));
      cases.add(Arguments.of(path, "wrong key in the body", null, WRONG_KEY, "invalid write key"));
      cases.add(Arguments.of(path, "wrong Basic key beats a good body key", WRONG_KEY, KEY,
          "invalid write key"));
      cases.add(Arguments.of(path, "empty key in Basic auth", "", null, "missing write key"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("unauthorized")
  void collectionEndpointWithoutAValidWriteKeyIs401AndStoresNothing(String path, String what,
      String basicKey, String bodyKey, String message) throws Exception {
    RawHttp.Response r = post(path, basicKey, body(path, bodyKey));

    assertThat(r.status()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).path("message").asText()).contains(message);
    assertThat(r.bodyText()).doesNotContain(WRONG_KEY).doesNotContain(KEY);
    assertThat(SINK.records()).isEmpty();
  }

  @Test
  void everyCollectionEndpointAcceptsTheKeyEitherWay() throws Exception {
    for (String path : PATHS) {
      assertThat(post(path, KEY, body(path, null)).status()).as(path).isEqualTo(200);
      assertThat(post(path, null, body(path, KEY)).status()).as(path).isEqualTo(200);
    }
    assertThat(SINK.records()).hasSize(2 * PATHS.size()).allMatch(r -> r.source().equals("web"));
  }

  @Test
  void apiWithoutTheAdminTokenIs401() throws Exception {
    for (String authorization : new String[] {null, "Bearer " + WRONG_ADMIN, "Basic " + ADMIN}) {
      try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        raw.request("POST", "/api/admin", "HTTP/1.1", headers, "{}".getBytes(UTF_8));
        assertThat(raw.read().status()).as(authorization).isEqualTo(401);
      }
    }
  }

  /**
   * With every collector and Netty logger at TRACE, requests carrying write keys (good and wrong, in
   * Basic auth and in the body), wrong admin tokens, and failures that are logged (a sink that fails,
   * malformed requests) never put a key or token into a log line or a logged exception.
   */
  @Test
  void secretsNeverAppearInLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Map<String, Level> saved = new LinkedHashMap<>();
    for (String name : List.of("io.tributary", "io.netty")) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      saved.put(name, l.getLevel());
      l.setLevel(Level.TRACE);
    }
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      post("/v1/track", KEY, body("/v1/track", KEY));
      post("/v1/batch", WRONG_KEY, body("/v1/batch", KEY));
      post("/v1/batch", null, body("/v1/batch", WRONG_KEY));
      SINK.mode(FakeRawSink.Mode.FAIL);
      post("/v1/track", KEY, body("/v1/track", null)); // logged: could not store
      post("/v1/track", null, body("/v1/track", KEY));
      SINK.mode(FakeRawSink.Mode.SUCCEED);
      post("/v1/track", KEY, ("{\"writeKey\":\"" + KEY + "\",\"userId\":").getBytes(UTF_8)); // bad JSON
      for (String token : new String[] {WRONG_ADMIN, ADMIN}) {
        try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
          raw.request("POST", "/api/admin", "HTTP/1.1", Map.of("Authorization", "Bearer " + token),
              "{}".getBytes(UTF_8));
          raw.read();
        }
      }
      try (RawHttp raw = new RawHttp(collector.port(), 10_000)) { // malformed: header without a colon
        raw.write("POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(KEY) + "\r\nBroken "
            + KEY + "\r\n\r\n");
        raw.read();
      }
    } finally {
      root.detachAppender(logs);
      saved.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }
    assertThat(logs.list).as("something was logged at all").isNotEmpty();
    String basicKey = basic(KEY).substring("Basic ".length());
    String basicWrong = basic(WRONG_KEY).substring("Basic ".length());
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage() + throwableText(e.getThrowableProxy());
      for (String secret : List.of(KEY, WRONG_KEY, ADMIN, WRONG_ADMIN, basicKey, basicWrong)) {
        assertThat(text).as("log line from %s", e.getLoggerName()).doesNotContain(secret);
      }
    }
  }

  private static String throwableText(IThrowableProxy t) {
    StringBuilder sb = new StringBuilder();
    for (IThrowableProxy p = t; p != null; p = p.getCause()) {
      sb.append(' ').append(p.getClassName()).append(": ").append(p.getMessage());
    }
    return sb.toString();
  }

  private static RawHttp.Response post(String path, String basicKey, byte[] body) throws IOException {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      if (basicKey != null) {
        headers.put("Authorization", basic(basicKey));
      }
      raw.request("POST", path, "HTTP/1.1", headers, body);
      return raw.read();
    }
  }

  private static byte[] body(String path, String writeKey) {
    String key = writeKey == null ? "" : ",\"writeKey\":\"" + writeKey + "\"";
    String event = "\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"groupId\":\"g\",\"previousId\":\"p\"";
    boolean batch = path.endsWith("/batch") || path.endsWith("/import") || path.endsWith("/b");
    return (batch ? "{\"batch\":[{" + event + "}]" + key + "}" : "{" + event + key + "}").getBytes(UTF_8);
  }

  private static String basic(String key) {
    return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(UTF_8));
  }
}
