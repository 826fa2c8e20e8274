package io.tributary.collector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.RawRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the {@link HostileInput} corpus gets its documented answer (a 4xx with a JSON
 * message, or 200 and a stored raw record where the Snowplow protocol requires it), the server
 * keeps serving, and good events sent between the hostile requests are all stored.
 */
@Timeout(120)
class HostileInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);
  private static final FakeRawSink SINK = new FakeRawSink();
  private static final AtomicInteger GOOD = new AtomicInteger();
  private static HttpCollector collector;

  @BeforeAll
  static void start() {
    ApiHandler echo = req -> ("Bearer " + HostileInput.ADMIN_TOKEN).equals(req.authorization())
        ? new ApiHandler.ApiResponse(200, "{}".getBytes(UTF_8))
        : new ApiHandler.ApiResponse(401, Responses.error("missing or invalid admin token"));
    collector = HttpCollector.start(CollectorSettings.defaults("127.0.0.1", 0),
        SnowplowSettings.defaults(), SINK, Map.of(HostileInput.WRITE_KEY, "web")::get,
        Map.of("/api/echo", echo), List::of, CLOCK);
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  @BeforeEach
  void reset() {
    SINK.clear();
  }

  static List<HostileInput.Case> corpus() {
    return HostileInput.corpus();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void hostileRequestGetsItsAnswerAndAGoodEventAfterItIsStored(HostileInput.Case c) throws Exception {
    RawHttp.Response response;
    try (RawHttp raw = new RawHttp(collector.port(), 15_000)) {
      response = sendOn(raw, c.request());
      if (response != null && "close".equals(response.header("connection"))) {
        assertThat(closedWithin5s(raw)).as("the server closes after 'Connection: close'").isTrue();
      } else if (response != null) {
        // Kept open: the same connection serves a good request as if nothing had happened.
        RawHttp.Response next = sendOn(raw, HostileInput.post("/v1/track",
            HostileInput.basic(HostileInput.WRITE_KEY), goodBody("same-connection")));
        assertThat(next).as("answer on the same connection").isNotNull();
        assertThat(next.status()).as("body %s", next.bodyText()).isEqualTo(200);
        SINK.records().stream().filter(r -> new String(r.body(), UTF_8).contains("same-connection"))
            .findFirst().ifPresent(r -> SINK.clear(r));
      }
    }

    assertThat(response).as("an answer, not a closed connection").isNotNull();
    assertThat(response.status()).as("status; body %s", response.bodyText()).isEqualTo(c.status());
    if (c.outcome() != HostileInput.Outcome.REJECTED) {
      RawRecord stored = SINK.only();
      assertThat(stored.protocol()).isEqualTo("snowplow");
      boolean violation = c.outcome() == HostileInput.Outcome.SIZE_VIOLATION;
      assertThat(stored.headers().containsKey(RawRecord.SIZE_VIOLATION_HEADER)).isEqualTo(violation);
      if (violation) {
        assertThat(stored.body()).isEmpty();
      } else {
        assertThat(c.request()).as("the body is stored byte for byte").endsWith(stored.body());
      }
    } else {
      assertThat(response.header("content-type")).startsWith("application/json");
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.path("success").asBoolean(true)).isFalse();
      assertThat(body.path("message").asText()).containsIgnoringCase(c.message());
      assertThat(SINK.records()).as("nothing stored").isEmpty();
    }

    String good = sendGoodEvent();
    assertThat(SINK.records()).extracting(r -> new String(r.body(), UTF_8)).anyMatch(b -> b.contains(good));
  }

  /**
   * The whole corpus from two clients at once while a third sends good events on one keep-alive
   * connection: every good event is acknowledged and stored, and no hostile Segment request is.
   */
  @Test
  void corpusInParallelWithGoodTrafficLosesNoGoodEvent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> hostile = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        hostile.add(pool.submit(() -> {
          for (HostileInput.Case c : HostileInput.corpus()) {
            send(c.request());
          }
          return null;
        }));
      }
      Future<List<String>> goodClient = pool.submit(() -> {
        List<String> sent = new ArrayList<>();
        try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
          for (int i = 0; i < 200; i++) {
            String id = "parallel-" + i;
            raw.write(HostileInput.post("/v1/track", HostileInput.basic(HostileInput.WRITE_KEY),
                goodBody(id)));
            assertThat(raw.read().status()).isEqualTo(200);
            sent.add(id);
          }
        }
        return sent;
      });
      for (Future<?> f : hostile) {
        f.get(90, TimeUnit.SECONDS);
      }
      List<String> sent = goodClient.get(90, TimeUnit.SECONDS);

      List<String> segmentBodies = SINK.records().stream().filter(r -> r.protocol().equals("segment"))
          .map(r -> new String(r.body(), UTF_8)).toList();
      assertThat(segmentBodies).hasSize(sent.size());
      for (String id : sent) {
        assertThat(segmentBodies).anyMatch(b -> b.contains("\"" + id + "\""));
      }
      assertThat(collector.bufferedBytes()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  private static String sendGoodEvent() throws IOException {
    String id = "good-" + GOOD.incrementAndGet();
    RawHttp.Response r = send(HostileInput.post("/v1/track", HostileInput.basic(HostileInput.WRITE_KEY),
        goodBody(id)));
    assertThat(r).isNotNull();
    assertThat(r.status()).as("good event after a hostile one; body %s", r.bodyText()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> SINK.records().stream()
        .anyMatch(rec -> new String(rec.body(), UTF_8).contains("\"" + id + "\"")));
    return id;
  }

  private static byte[] goodBody(String userId) {
    return ("{\"event\":\"Clicked\",\"userId\":\"" + userId + "\",\"properties\":{\"n\":1}}").getBytes(UTF_8);
  }

  /** Sends the bytes on a new connection and reads one answer (null when closed without one). */
  private static RawHttp.Response send(byte[] request) throws IOException {
    try (RawHttp raw = new RawHttp(collector.port(), 15_000)) {
      return sendOn(raw, request);
    }
  }

  private static RawHttp.Response sendOn(RawHttp raw, byte[] request) {
    try {
      raw.write(request);
    } catch (IOException e) {
      // the server may answer and close before reading a large body in full
    }
    try {
      return raw.read();
    } catch (IOException e) {
      return null;
    }
  }

  /** EOF or a reset within 5 s; false when the connection is still open (a read timed out). */
  private static boolean closedWithin5s(RawHttp raw) throws IOException {
    raw.socket().setSoTimeout(5_000);
    try {
      while (raw.socket().getInputStream().read() >= 0) {
        // drain anything the server still sends before closing
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
