package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Asks the server's query API which event ids are in {@code events}. */
final class BenchQueryProbe implements LoadGeneratorFreshness.Probe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI queryUrl;
  private final String token;

  BenchQueryProbe(URI queryUrl, String token) {
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(3)).build();
    this.queryUrl = queryUrl;
    this.token = token;
  }

  /**
   * Looks only at rows loaded since the oldest id was acknowledged (less a minute for clock
   * steps): DuckDB skips older row groups by their {@code loaded_at} range, so a poll costs the
   * same on a large table as on a small one (it read every {@code event_id} of the table, and on
   * a busy server polls every ~100 ms took CPU from the loader they were measuring).
   */
  @Override
  public Set<String> visible(Collection<String> eventIds, long oldestAckMillisAgo)
      throws IOException {
    if (serverClockAhead == null) {
      // loaded_at is the server's clock, as a timestamp without zone: map ours onto it once.
      long serverMillis = rows("select epoch_ms(now()::TIMESTAMP)").path(0).path(0).asLong();
      serverClockAhead = serverMillis - System.currentTimeMillis();
    }
    long since = System.currentTimeMillis() + serverClockAhead - oldestAckMillisAgo - 60_000;
    String sql = "select event_id from events where loaded_at >= TIMESTAMP '"
        + LocalDateTime.ofEpochSecond(Math.floorDiv(since, 1000L),
            (int) Math.floorMod(since, 1000L) * 1_000_000, ZoneOffset.UTC).format(SQL_TIMESTAMP)
        + "' and event_id in ("
        + eventIds.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(","))
        + ")";
    Set<String> seen = new HashSet<>();
    for (JsonNode row : rows(sql)) {
      seen.add(row.path(0).asText());
    }
    return seen;
  }

  private static final DateTimeFormatter SQL_TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

  /** Milliseconds the server's {@code now()::TIMESTAMP} is ahead of this clock; null until asked. */
  private Long serverClockAhead;

  private JsonNode rows(String sql) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(queryUrl)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(
            JSON.writeValueAsBytes(JSON.createObjectNode().put("sql", sql))))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403 || response.statusCode() == 400) {
      throw new IllegalStateException("POST " + queryUrl + " answered " + response.statusCode() + ": "
          + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    if (response.statusCode() != 200) {
      throw new IOException("POST " + queryUrl + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body()).path("rows");
  }
}
