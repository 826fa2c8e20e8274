package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Clients sending Segment batches of unique messageIds as fast as the server takes them, remembering
 * exactly which ones were acknowledged (200). Anything else is not acknowledged: a real client
 * would retry it, so the test does not count it as stored.
 */
final class AckingLoad implements AutoCloseable {
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong connectionErrors = new AtomicLong();
  private final AtomicReference<String> last503 = new AtomicReference<>();
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final List<Thread> senders = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int port;
  private final int batch;
  private final long pauseMillis;

  /** @param prefix makes messageIds unique across loads sent to the same data dir */
  AckingLoad(int port, String prefix, int senders, int batch) {
    this(port, prefix, senders, batch, 0);
  }

  /** @param pauseMillis each sender waits this long between requests (0: flat out) */
  AckingLoad(int port, String prefix, int senders, int batch, long pauseMillis) {
    this.port = port;
    this.batch = batch;
    this.pauseMillis = pauseMillis;
    for (int s = 0; s < senders; s++) {
      String id = prefix + "-s" + s;
      Thread t = new Thread(() -> send(id), "load-" + id);
      t.setDaemon(true);
      t.start();
      this.senders.add(t);
    }
  }

  private void send(String sender) {
    long n = 0;
    URI uri = URI.create("http://127.0.0.1:" + port + "/v1/batch");
    String auth = "Basic " + Base64.getEncoder()
        .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    while (sending.get()) {
      List<String> ids = new ArrayList<>(batch);
      StringBuilder body = new StringBuilder("{\"batch\":[");
      for (int i = 0; i < batch; i++) {
        String id = sender + "-" + (n++);
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
        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
        if (r.statusCode() == 200) {
          acked.addAll(ids);
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
          }
        } else {
          if (r.statusCode() == 503) {
            last503.set(r.body());
          }
          pause();
        }
      } catch (Exception e) {
        connectionErrors.incrementAndGet();
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Set<String> acked() {
    return acked;
  }

  long status(int code) {
    AtomicLong n = statuses.get(code);
    return n == null ? 0 : n.get();
  }

  String last503Body() {
    return last503.get();
  }

  String summary() {
    return attempts.get() + " requests, " + acked.size() + " events acknowledged, statuses "
        + statuses + ", " + connectionErrors.get() + " connection errors";
  }

  /** Stops sending and waits for the requests in flight. */
  @Override
  public void close() throws InterruptedException {
    sending.set(false);
    for (Thread t : senders) {
      t.join(30_000);
    }
  }
}
