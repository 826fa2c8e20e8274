package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM runs {@code tributary run}; clients send as fast as they can and remember every
 * acknowledged messageId; the child is killed with SIGKILL mid-load and restarted on the same data
 * dir. Every acknowledged event must then be in {@code events} exactly once and in the raw lake.
 */
class CrashRecoveryTest {
  private static final int TARGET_ACKED = 50_000;
  private static final int KILL_AT = 20_000;
  private static final int BATCH = 100;
  private static final int SENDERS = 4;

  @TempDir Path dir;

  @Test
  void noAcknowledgedEventIsLostOrDuplicatedWhenTheProcessIsKilled() throws Exception {
    int port = freePort();
    Path config = TestTributary.writeConfig(dir, port, true);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong attempts = new AtomicLong();
    AtomicBoolean sending = new AtomicBoolean(true);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Process child = startChild(config, "run-1.log");
    waitHealthy(port);
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      int sender = s;
      Thread t = new Thread(() -> send(http, port, sender, acked, attempts, sending));
      t.start();
      senders.add(t);
    }
    await().atMost(120, TimeUnit.SECONDS).until(() -> acked.size() >= KILL_AT);
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int ackedAtKill = acked.size();

    child = startChild(config, "run-2.log");
    waitHealthy(port);
    await().atMost(180, TimeUnit.SECONDS).until(() -> acked.size() >= TARGET_ACKED);
    sending.set(false);
    for (Thread t : senders) {
      t.join();
    }
    await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
        .until(() -> TestTributary.count(port, "select count(*) from events") >= acked.size());
    child.destroy(); // SIGTERM: graceful stop publishes the last lake files
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(ackedAtKill).isGreaterThanOrEqualTo(KILL_AT);
    Set<String> loaded = new HashSet<>();
    long rows;
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection(
            "jdbc:duckdb:" + dir.resolve("data/warehouse.duckdb"), readOnly);
        ResultSet rs = c.createStatement().executeQuery("select event_id from events")) {
      while (rs.next()) {
        loaded.add(rs.getString(1));
      }
    }
    rows = loaded.size();
    try (Connection c = DriverManager.getConnection(
            "jdbc:duckdb:" + dir.resolve("data/warehouse.duckdb"), readOnly);
        ResultSet rs = c.createStatement().executeQuery("select count(*) from events")) {
      rs.next();
      assertThat(rs.getLong(1)).as("rows == distinct event ids").isEqualTo(rows);
    }
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(loaded);
    assertThat(missing).as("acknowledged but not in events").isEmpty();

    LakeContents lake = readLake(dir.resolve("data/lake/raw"));
    assertThat(lake.duplicateRawIds).as("raw records archived twice").isZero();
    Set<String> notArchived = new HashSet<>(acked);
    notArchived.removeAll(lake.messageIds);
    assertThat(notArchived).as("acknowledged but not in the raw lake").isEmpty();
    System.out.printf("crash test: %d attempts, %d acknowledged (%d before the kill), %d rows loaded, "
        + "%d raw records archived%n", attempts.get(), acked.size(), ackedAtKill, rows, lake.rawIds);
  }

  private static void send(HttpClient http, int port, int sender, Set<String> acked,
      AtomicLong attempts, AtomicBoolean sending) {
    long n = 0;
    URI uri = URI.create("http://127.0.0.1:" + port + "/v1/batch");
    String auth = "Basic " + java.util.Base64.getEncoder()
        .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    while (sending.get()) {
      List<String> ids = new ArrayList<>(BATCH);
      StringBuilder body = new StringBuilder("{\"batch\":[");
      for (int i = 0; i < BATCH; i++) {
        String id = "s" + sender + "-" + (n++);
        ids.add(id);
        body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Load\",\"userId\":\"u")
            .append(n % 100).append("\",\"messageId\":\"").append(id)
            .append("\",\"properties\":{\"n\":").append(n).append("}}");
      }
      body.append("]}");
      attempts.incrementAndGet();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", auth).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          acked.addAll(ids);
        }
      } catch (Exception e) {
        // not acknowledged: the client would retry; wait a little while the server is down
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private record LakeContents(Set<String> messageIds, long rawIds, long duplicateRawIds) {}

  private static LakeContents readLake(Path lake) throws Exception {
    Set<String> messageIds = new HashSet<>();
    Set<String> rawIds = new HashSet<>();
    long duplicates = 0;
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ndjson.gz")).toList()) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            JsonNode record = TestTributary.JSON.readTree(line);
            if (!rawIds.add(record.get("id").asText())) {
              duplicates++;
            }
            for (JsonNode m : record.get("body").get("batch")) {
              messageIds.add(m.get("messageId").asText());
            }
          }
        }
      }
    }
    return new LakeContents(messageIds, rawIds.size(), duplicates);
  }

  private Process startChild(Path config, String log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "io.tributary.app.Main", "run", "--config", config.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve(log).toFile());
    return pb.start();
  }

  private static void waitHealthy(int port) {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
