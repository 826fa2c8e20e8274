package io.tributary.collector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Slow, idle, numerous and vanishing clients: the server keeps serving everyone else. */
@Timeout(120)
class ConnectionAbuseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "wk-abuse-1234";
  private final FakeRawSink sink = new FakeRawSink();
  private HttpCollector collector;

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  private HttpCollector start(CollectorSettings settings) {
    collector = HttpCollector.start(settings, SnowplowSettings.disabled(), sink, Map.of(KEY, "web")::get,
        Map.of(), List::of, Clock.systemUTC());
    return collector;
  }

  private static CollectorSettings settings(Duration requestTimeout, int maxConnections, long maxBuffered) {
    return CollectorSettings.defaults("127.0.0.1", 0)
        .withConnectionLimits(requestTimeout, maxConnections, maxBuffered);
  }

  // ---------------------------------------------------------------------------------------------
  // Slowloris

  @ParameterizedTest
  @ValueSource(strings = {"headers", "body"})
  void tricklingClientGets408AndIsCutOffWhileOthersAreServed(String trickled) throws Exception {
    start(settings(Duration.ofSeconds(1), 100, 64L * 1024 * 1024));
    byte[] body = track("slow").getBytes(UTF_8);
    String head = "POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(KEY)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n";
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RawHttp slow = new RawHttp(collector.port(), 20_000)) {
      // Header bytes (or body bytes) one every 100 ms: never idle, never complete within 1 s.
      String before = trickled.equals("headers") ? "POST /v1/track HTTP/1.1\r\n" : head + "\r\n";
      String dribble = trickled.equals("headers") ? "X-Slow: " + "a".repeat(400) : new String(body, UTF_8);
      slow.write(before);
      Future<Integer> writer = pool.submit(() -> {
        int sent = 0;
        try {
          for (char ch : dribble.toCharArray()) {
            slow.write(String.valueOf(ch));
            sent++;
            Thread.sleep(100); // the client's own pace, not a wait for the server
          }
        } catch (IOException cutOff) {
          // the server closed the connection: what this test wants
        }
        return sent;
      });

      for (int i = 0; i < 5; i++) {
        assertThat(postTrack("fast-" + i).status()).isEqualTo(200);
      }
      RawHttp.Response r = slow.read();
      assertThat(r).as("an answer before the connection is closed").isNotNull();
      assertThat(r.status()).isEqualTo(408);
      assertThat(JSON.readTree(r.body()).path("message").asText()).contains("within 1000 ms");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(slow.closedByServer()).isTrue();
      assertThat(writer.get(30, TimeUnit.SECONDS)).isLessThan(dribble.length());
    } finally {
      pool.shutdownNow();
    }
    assertThat(sink.records()).extracting(rec -> new String(rec.body(), UTF_8))
        .noneMatch(b -> b.contains("\"slow\""))
        .hasSize(5);
  }

  @Test
  void requestsOnAKeepAliveConnectionEachGetTheirOwnTimeout() throws Exception {
    start(settings(Duration.ofSeconds(2), 100, 64L * 1024 * 1024));
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      // Several complete requests one after the other on one connection: none is cut off, even
      // when together they take longer than the timeout.
      long started = System.nanoTime();
      int n = 0;
      while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(3_000)) {
        raw.request("POST", "/v1/track", "HTTP/1.1", Map.of("Authorization", basic(KEY),
            "Content-Type", "application/json"), track("ka-" + n).getBytes(UTF_8));
        assertThat(raw.read().status()).isEqualTo(200);
        n++;
        Thread.sleep(200); // the client's pace between requests
      }
      assertThat(n).isGreaterThan(5);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Many connections

  @Test
  void fiveThousandIdleConnectionsDoNotStopNormalRequests() throws Exception {
    int idle = 5_000;
    long maxFds = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getMaxFileDescriptorCount();
    // Both ends of every connection live in this JVM.
    assumeTrue(maxFds >= 2L * idle + 2_000, "needs an open-file limit of at least " + (2 * idle + 2_000)
        + " (ulimit -n), this process has " + maxFds);
    start(CollectorSettings.defaults("127.0.0.1", 0));
    List<RawHttp> connections = new ArrayList<>();
    try {
      for (int i = 0; i < idle; i++) {
        connections.add(new RawHttp(collector.port(), 10_000));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.openConnections() >= idle);

      for (int i = 0; i < 50; i++) {
        assertThat(postTrack("busy-" + i).status()).isEqualTo(200);
      }
      for (int i = 0; i < idle; i += 500) { // the idle ones still work too
        RawHttp raw = connections.get(i);
        raw.request("POST", "/v1/track", "HTTP/1.1", Map.of("Authorization", basic(KEY),
            "Content-Type", "application/json"), track("idle-" + i).getBytes(UTF_8));
        assertThat(raw.read().status()).isEqualTo(200);
      }
      assertThat(sink.records()).hasSize(60);
    } finally {
      for (RawHttp c : connections) {
        c.close();
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> collector.openConnections() == 0);
  }

  @Test
  void connectionsOverTheLimitGet503AndAreClosedThenRoomIsMadeAgain() throws Exception {
    start(settings(Duration.ofSeconds(30), 5, 64L * 1024 * 1024));
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        held.add(new RawHttp(collector.port(), 10_000));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> collector.openConnections() == 5);

      try (RawHttp extra = new RawHttp(collector.port(), 10_000)) {
        RawHttp.Response r = extra.read();
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("retry-after")).isEqualTo("1");
        assertThat(JSON.readTree(r.body()).path("message").asText()).contains("too many connections (limit 5)");
        assertThat(extra.closedByServer()).isTrue();
      }
      // The held ones are served as usual.
      held.get(0).request("POST", "/v1/track", "HTTP/1.1", Map.of("Authorization", basic(KEY),
          "Content-Type", "application/json"), track("held").getBytes(UTF_8));
      assertThat(held.get(0).read().status()).isEqualTo(200);

      held.remove(4).close();
      await().atMost(Duration.ofSeconds(10)).until(() -> collector.openConnections() == 4);
      assertThat(postTrack("after").status()).isEqualTo(200);
    } finally {
      for (RawHttp c : held) {
        c.close();
      }
    }
    assertThat(sink.records()).hasSize(2);
  }

  /**
   * A client pipelining thousands of requests without reading the answers: the server stops
   * reading from it (instead of queueing responses without bound) and resumes once the client
   * reads; every request is answered, in order, and other clients are served meanwhile.
   */
  @Test
  void pipeliningClientThatDoesNotReadIsPausedThenFullyAnswered() throws Exception {
    // /ready answers ~50 KB per 30-byte request: the answers outgrow the sockets' buffers.
    List<io.tributary.core.HealthCheck> checks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String name = "check-" + i;
      checks.add(new io.tributary.core.HealthCheck() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public io.tributary.core.Health health() {
          return io.tributary.core.Health.ok("d".repeat(200));
        }
      });
    }
    collector = HttpCollector.start(CollectorSettings.defaults("127.0.0.1", 0), SnowplowSettings.disabled(),
        sink, Map.of(KEY, "web")::get, Map.of(), () -> checks, Clock.systemUTC());
    int requests = 1_000;
    byte[] one = "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RawHttp raw = new RawHttp(collector.port(), 30_000)) {
      Future<?> writer = pool.submit(() -> {
        byte[] hundred = new byte[one.length * 100];
        for (int i = 0; i < 100; i++) {
          System.arraycopy(one, 0, hundred, i * one.length, one.length);
        }
        for (int i = 0; i < requests / 100; i++) {
          raw.write(hundred);
        }
        return null;
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.readPauses() > 0);
      assertThat(postTrack("meanwhile").status()).isEqualTo(200);

      for (int i = 0; i < requests; i++) {
        RawHttp.Response r = raw.read();
        assertThat(r).as("response %d", i).isNotNull();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().length).isGreaterThan(40_000);
      }
      writer.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A flood of slow API requests: beyond the workers and the waiting line, callers get 503 at once. */
  @Test
  void apiRequestsBeyondTheWaitingLineGet503() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ApiHandler slow = req -> {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new ApiHandler.ApiResponse(200, "{}".getBytes(UTF_8));
    };
    collector = HttpCollector.start(CollectorSettings.defaults("127.0.0.1", 0), SnowplowSettings.disabled(),
        sink, Map.of(KEY, "web")::get, Map.of("/api/slow", slow), List::of, Clock.systemUTC());
    int over = 3;
    int total = 4 + HttpCollector.API_QUEUE + over;
    ExecutorService readers = Executors.newFixedThreadPool(total);
    List<RawHttp> connections = new ArrayList<>();
    List<Future<RawHttp.Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < total; i++) {
        RawHttp raw = new RawHttp(collector.port(), 60_000);
        connections.add(raw);
        raw.request("POST", "/api/slow", "HTTP/1.1", Map.of(), "{}".getBytes(UTF_8));
        answers.add(readers.submit(raw::read));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> answers.stream().filter(Future::isDone).count() == over);
      for (Future<RawHttp.Response> f : answers) {
        if (f.isDone()) {
          assertThat(f.get().status()).isEqualTo(503);
          assertThat(f.get().header("retry-after")).isEqualTo("1");
          assertThat(f.get().bodyText()).contains("too many API requests waiting");
        }
      }
      release.countDown();
      long ok = 0;
      for (Future<RawHttp.Response> f : answers) {
        ok += f.get(30, TimeUnit.SECONDS).status() == 200 ? 1 : 0;
      }
      assertThat(ok).isEqualTo(total - over);
    } finally {
      release.countDown();
      readers.shutdownNow();
      for (RawHttp c : connections) {
        c.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Clients that vanish, and memory

  @Test
  void clientsDisconnectingMidBodyStoreNothingLeakNothingAndTheServerKeepsServing() throws Exception {
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    Logger leakLogger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    ListAppender<ILoggingEvent> leaks = new ListAppender<>();
    leaks.start();
    leakLogger.addAppender(leaks);
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    try {
      start(CollectorSettings.defaults("127.0.0.1", 0));
      byte[] body = ("{\"event\":\"x\",\"userId\":\"u\",\"p\":\"" + "x".repeat(20_000) + "\"}").getBytes(UTF_8);
      for (int i = 0; i < 60; i++) {
        try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
          switch (i % 3) {
            case 0 -> raw.write(("POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(KEY)
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(UTF_8));
            case 1 -> raw.write(("POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(KEY)
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n")
                .getBytes(UTF_8));
            default -> raw.write(("POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(KEY)
                + "\r\nContent-Encoding: gzip\r\nContent-Length: 100000\r\n\r\n").getBytes(UTF_8));
          }
          byte[] part = i % 3 == 2 ? java.util.Arrays.copyOf(HostileInput.gzip(body), 60) : java.util.Arrays
              .copyOf(body, body.length / 2);
          raw.write(part);
          if (i % 2 == 0) {
            raw.socket().setSoLinger(true, 0); // close with a reset instead of a FIN
          }
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> collector.openConnections() == 0);
      assertThat(collector.bufferedBytes()).isZero();
      assertThat(sink.records()).isEmpty();

      // Leaks are reported when a leaked buffer is collected and the next buffer is allocated.
      System.gc();
      for (int i = 0; i < 20; i++) {
        assertThat(postTrack("after-" + i).status()).isEqualTo(200);
      }
      assertThat(sink.records()).hasSize(20);
      assertThat(leaks.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("LEAK"));
    } finally {
      ResourceLeakDetector.setLevel(level);
      leakLogger.detachAppender(leaks);
    }
  }

  /**
   * Twenty clients each send a body just under the 64 KB limit and hold its last bytes, against a
   * budget of 256 KB for all bodies being received: the server never holds more than the budget
   * (its own high-water mark says so), the clients it cannot take get 503 (or a reset, when the
   * close overtakes their remaining bytes), and those it took are stored once they finish.
   */
  @Test
  void manyConcurrentNearLimitBodiesNeverHoldMoreThanTheBudget() throws Exception {
    int limit = 64 * 1024;
    long budget = 256 * 1024;
    start(CollectorSettings.defaults("127.0.0.1", 0).withMaxRequestBytes(limit)
        .withConnectionLimits(Duration.ofSeconds(60), 100, budget));
    byte[] body = ("{\"batch\":[{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\",\"p\":\""
        + "x".repeat(30_000) + "\"},{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\",\"p\":\""
        + "x".repeat(30_000) + "\"}]}").getBytes(UTF_8);
    assertThat(body.length).isBetween(limit - 8 * 1024, limit);
    int clients = 20;
    int withheld = 100;
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<CompletableFuture<Integer>> outcomes = new ArrayList<>();
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        CompletableFuture<Void> bodySent = new CompletableFuture<>();
        sent.add(bodySent);
        outcomes.add(CompletableFuture.supplyAsync(() -> {
          try (RawHttp raw = new RawHttp(collector.port(), 30_000)) {
            try {
              raw.write(("POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(KEY)
                  + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                  .getBytes(UTF_8));
              raw.write(java.util.Arrays.copyOf(body, body.length - withheld));
              bodySent.complete(null);
              finish.await(60, TimeUnit.SECONDS);
              raw.write(java.util.Arrays.copyOfRange(body, body.length - withheld, body.length));
            } catch (IOException | InterruptedException rejectedEarly) {
              bodySent.complete(null);
            }
            RawHttp.Response r = raw.read();
            return r == null ? -1 : r.status();
          } catch (IOException reset) {
            return -1; // closed by the server with a reset
          }
        }, pool));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      // Every body is in flight: each is either held whole or has been refused.
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.bufferRefusals()
          + collector.bufferedBytes() / (body.length - withheld) == clients
          && collector.bufferedBytes() % (body.length - withheld) == 0);
      long held = collector.bufferedBytes() / (body.length - withheld);
      assertThat(held).isBetween(1L, budget / (body.length - withheld));
      assertThat(collector.peakBufferedBytes()).isLessThanOrEqualTo(budget);

      finish.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<Integer> f : outcomes) {
        statuses.add(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(statuses).filteredOn(s -> s == 200).hasSize((int) held);
      assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 503 || s == -1);
      assertThat(statuses).contains(503);
      assertThat(sink.records()).hasSize((int) held);
      assertThat(collector.peakBufferedBytes()).isLessThanOrEqualTo(budget);
      await().atMost(Duration.ofSeconds(10)).until(() -> collector.bufferedBytes() == 0);
      assertThat(postTrack("after").status()).isEqualTo(200);
    } finally {
      finish.countDown();
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private RawHttp.Response postTrack(String userId) throws IOException {
    try (RawHttp raw = new RawHttp(collector.port(), 10_000)) {
      raw.request("POST", "/v1/track", "HTTP/1.1", Map.of("Authorization", basic(KEY),
          "Content-Type", "application/json"), track(userId).getBytes(UTF_8));
      return raw.read();
    }
  }

  private static String track(String userId) {
    return "{\"event\":\"Clicked\",\"userId\":\"" + userId + "\"}";
  }

  private static String basic(String key) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((key + ":").getBytes(UTF_8));
  }
}
