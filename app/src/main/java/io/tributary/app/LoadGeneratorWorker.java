package io.tributary.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;

/** One connection: claims a slot, waits for its intended start, sends, records; until the run ends. */
final class LoadGeneratorWorker implements Runnable {
  private final HttpClient http;
  private final HttpRequest.Builder request;
  private final LoadGeneratorBodies bodies;
  private final LoadGeneratorSchedule schedule;
  private final LoadGeneratorStats stats;
  private final LoadGeneratorFreshness freshness;

  /** @param freshness null when freshness is not measured */
  LoadGeneratorWorker(LoadGeneratorSettings settings, HttpClient http, LoadGeneratorBodies bodies,
      LoadGeneratorSchedule schedule, LoadGeneratorStats stats, LoadGeneratorFreshness freshness,
      String userAgent) {
    this.http = http;
    this.bodies = bodies;
    this.schedule = schedule;
    this.stats = stats;
    this.freshness = freshness;
    this.request = HttpRequest.newBuilder(settings.target())
        .timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", userAgent);
    if (settings.mode().needsWriteKey()) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString((settings.writeKey() + ":").getBytes(UTF_8)));
    }
  }

  @Override
  public void run() {
    for (LoadGeneratorSchedule.Slot slot = schedule.claim(System.nanoTime()); slot != null;
        slot = schedule.claim(System.nanoTime())) {
      waitUntil(slot.intendedNanos());
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      send(slot);
    }
  }

  private void send(LoadGeneratorSchedule.Slot slot) {
    LoadGeneratorBodies.Body body = bodies.next();
    boolean sampled = freshness != null
        && freshness.claim(slot.index(), System.nanoTime() - schedule.startNanos());
    HttpRequest r = request.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
    try {
      HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
      long answered = System.nanoTime();
      int status = response.statusCode();
      stats.response(status, body.events(), body.bytes().length, answered - slot.intendedNanos(),
          response.body());
      if (sampled && status >= 200 && status < 300) {
        freshness.acked(body.firstEventId(), answered);
      } else if (sampled) {
        freshness.failed();
      }
    } catch (IOException e) {
      stats.failure(e);
      if (sampled) {
        freshness.failed();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(long nanos) {
    for (long wait = nanos - System.nanoTime(); wait > 0 && !Thread.currentThread().isInterrupted();
        wait = nanos - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }
}
