package io.tributary.app;

import static io.tributary.app.TestTributary.ADMIN_TOKEN;
import static io.tributary.app.TestTributary.JSON;
import static io.tributary.app.TestTributary.count;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary bench} against a real in-process Tributary on loopback, small and bounded runs.
 * Nothing here asserts on speed: only on what was counted and what landed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadGeneratorTest {
  private static final Duration BOUND = Duration.ofSeconds(120);

  @TempDir static Path dir;
  TributaryConfig config;
  Tributary tributary;
  int port;

  @BeforeAll
  void start() {
    Path file = TestTributary.writeConfig(dir, 0, true);
    config = ConfigLoader.load(file, Map.of(), Map.of());
    tributary = TestTributary.start(file);
    port = tributary.port();
  }

  @AfterAll
  void stop() {
    if (tributary != null) {
      tributary.close();
    }
  }

  @Test
  void segmentBatchRunAcksEveryEventWritesTheReportAndTimesFreshness() throws Exception {
    BenchOptions options = new BenchOptions();
    options.url = "http://127.0.0.1:" + port;
    options.count = 20L;
    options.batch = 50;
    options.connections = 4;
    options.freshnessSamples = 10;
    options.report = dir.resolve("reports/segment.json");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    // The write key and the admin token come from the config, as on the command line.
    int exit = assertTimeoutPreemptively(BOUND,
        () -> options.run(config, new PrintStream(printed, true, UTF_8)));
    String output = printed.toString(UTF_8);
    System.out.print(output);

    assertThat(exit).as(output).isZero();
    assertThat(output).contains("Sending segment-batch to http://127.0.0.1:" + port + "/v1/batch",
        "Requests   : 20 sent, 20 acknowledged", "Events     : 1,000 acknowledged", "Errors     : none",
        "10 visible, 0 never appeared");
    JsonNode report = JSON.readTree(options.report.toFile());
    assertThat(report.at("/options/mode").asText()).isEqualTo("segment-batch");
    assertThat(report.at("/options/count").asLong()).isEqualTo(20);
    assertThat(report.at("/options/batch").asInt()).isEqualTo(50);
    assertThat(report.at("/options/connections").asInt()).isEqualTo(4);
    assertThat(report.at("/options/duration_seconds").isNull()).isTrue();
    assertThat(report.at("/requests/sent").asLong()).isEqualTo(20);
    assertThat(report.at("/requests/acknowledged").asLong()).isEqualTo(20);
    assertThat(report.at("/events/acknowledged").asLong()).isEqualTo(1000);
    assertThat(report.at("/events/acknowledged_per_second").asDouble()).isPositive();
    assertThat(report.at("/requests/per_second").asDouble()).isPositive();
    assertThat(report.at("/bytes_sent").asLong()).isEqualTo(20L * report.at("/request_bytes").asLong());
    assertThat(report.at("/errors/total").asLong()).isZero();
    assertThat(report.at("/errors/by_status").size()).isZero();
    assertThat(report.at("/errors/by_exception").size()).isZero();
    JsonNode latency = report.get("latency_ms");
    assertThat(latency.get("answers").asLong()).isEqualTo(20);
    for (String p : new String[] {"p50", "p95", "p99", "max"}) {
      assertThat(latency.get(p).asDouble()).as(p).isPositive();
    }
    assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
    JsonNode freshness = report.get("freshness");
    assertThat(freshness.get("measured").asBoolean()).isTrue();
    assertThat(freshness.get("acknowledged").asInt()).isEqualTo(10);
    assertThat(freshness.get("visible").asInt()).isEqualTo(10);
    assertThat(freshness.get("never_appeared").asInt()).isZero();
    assertThat(freshness.get("p50_ms").isNumber()).isTrue();
    assertThat(freshness.get("max_ms").asLong()).isGreaterThanOrEqualTo(freshness.get("p95_ms").asLong());

    // Every acknowledged event landed, once.
    await().atMost(60, TimeUnit.SECONDS).until(() -> count(port,
        "select count(*) from events where source = 'web' and event_name = 'Order Completed'") == 1000);
    assertThat(count(port, "select count(distinct event_id) from events where source = 'web' "
        + "and event_name = 'Order Completed'")).isEqualTo(1000);
  }

  @Test
  void snowplowRunIsAcknowledgedAndLandsInEvents() throws Exception {
    LoadGeneratorSettings settings = new LoadGeneratorSettings(URI.create("http://127.0.0.1:" + port),
        null, ADMIN_TOKEN, BenchMode.SNOWPLOW, 10, 2, 0, Duration.ofSeconds(60), 6, 650,
        Duration.ofSeconds(20), 3);
    LoadGeneratorResult result = assertTimeoutPreemptively(BOUND,
        () -> new LoadGenerator(settings, quiet()).run());

    assertThat(result.okRequests()).isEqualTo(6);
    assertThat(result.ackedEvents()).isEqualTo(60);
    assertThat(result.errors()).isZero();
    assertThat(result.freshness().visibleMillis()).hasSize(3);
    assertThat(result.freshness().neverAppeared()).isZero();
    await().atMost(60, TimeUnit.SECONDS).until(() -> count(port,
        "select count(*) from events where app_id = 'bench' and protocol = 'snowplow'") == 60);
    assertThat(count(port, "select count(*) from events where app_id = 'bench' and event_type = "
        + "'page_view'")).isEqualTo(30);
    assertThat(count(port, "select count(*) from events where app_id = 'bench' and event_type = "
        + "'struct' and se_action = 'add-to-basket'")).isEqualTo(30);
  }

  @Test
  void aWarmUpIsSentButLeftOutOfEveryFigure() throws Exception {
    long before = count(port, "select count(*) from events");
    // 20 requests/s of 10 events: 20 requests in the warm-up second, 20 in the run proper.
    LoadGeneratorSettings settings = new LoadGeneratorSettings(URI.create("http://127.0.0.1:" + port),
        TestTributary.WRITE_KEY, ADMIN_TOKEN, BenchMode.SEGMENT_BATCH, 10, 2, 20,
        Duration.ofSeconds(1), 0, 650, Duration.ofSeconds(20), 3, Duration.ofSeconds(1));
    Printed run = runPrinted(settings);
    LoadGeneratorResult result = run.result();
    String summary = run.summary();

    assertThat(result.requests()).isEqualTo(20);
    assertThat(result.okRequests()).isEqualTo(20);
    assertThat(result.ackedEvents()).isEqualTo(200);
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(20);
    assertThat(result.freshness().acked()).isEqualTo(3);
    assertThat(result.freshness().visibleMillis()).hasSize(3);
    assertThat(run.progress()).contains("Warming up for 1.0 s (not counted)");
    assertThat(summary).contains("after a 1.0 s warm-up left out of every figure");
    assertThat(BenchReport.json(result).at("/options/warmup_seconds").asDouble()).isEqualTo(1.0);
    // The server got both.
    await().atMost(60, TimeUnit.SECONDS)
        .until(() -> count(port, "select count(*) from events") == before + 400);
  }

  @Test
  void aClosedPortCountsErrorsByExceptionAndEnds() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    LoadGeneratorSettings settings = new LoadGeneratorSettings(URI.create("http://127.0.0.1:" + closed),
        "wk", ADMIN_TOKEN, BenchMode.SEGMENT_BATCH, 100, 4, 0, Duration.ofSeconds(10), 20, 650,
        Duration.ofSeconds(5), 5);
    Printed run = runPrinted(settings);
    LoadGeneratorResult result = run.result();
    String summary = run.summary();

    assertThat(result.requests()).isEqualTo(20);
    assertThat(result.okRequests()).isZero();
    assertThat(result.ackedEvents()).isZero();
    assertThat(result.bytesSent()).isZero();
    assertThat(result.errorsByException()).containsExactly(Map.entry("ConnectException", 20L));
    assertThat(result.errorsByStatus()).isEmpty();
    assertThat(result.freshness().acked()).isZero();
    assertThat(summary).contains("Errors     : 20: 20 × ConnectException", "Latency    : no answers");
    JsonNode report = BenchReport.json(result);
    assertThat(report.at("/errors/by_exception/ConnectException").asLong()).isEqualTo(20);
  }

  @Test
  void aWrongWriteKeyIsCountedByStatus() {
    LoadGeneratorSettings settings = new LoadGeneratorSettings(URI.create("http://127.0.0.1:" + port),
        "not-a-write-key", null, BenchMode.SEGMENT_SINGLE, 1, 2, 0, Duration.ofSeconds(30), 4, 650,
        Duration.ofSeconds(20), 5);
    LoadGeneratorResult result = assertTimeoutPreemptively(BOUND,
        () -> new LoadGenerator(settings, quiet()).run());
    assertThat(result.errorsByStatus()).containsExactly(Map.entry(401, 4L));
    assertThat(result.errorMessages().get("HTTP 401")).contains("invalid write key");
    assertThat(result.freshness()).isNull();
    assertThat(result.freshnessNote()).contains("no admin token");
    assertThat(BenchReport.summary(result)).contains("4 × HTTP 401");
  }

  /** A run's result, with what it printed while running and its summary (both echoed). */
  private record Printed(LoadGeneratorResult result, String progress, String summary) {}

  private static Printed runPrinted(LoadGeneratorSettings settings) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    LoadGeneratorResult result = assertTimeoutPreemptively(BOUND,
        () -> new LoadGenerator(settings, new PrintStream(printed, true, UTF_8)).run());
    String summary = BenchReport.summary(result);
    System.out.print(printed.toString(UTF_8) + summary);
    return new Printed(result, printed.toString(UTF_8), summary);
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
  }
}
