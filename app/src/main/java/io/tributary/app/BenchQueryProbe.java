package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  @Override
  public Set<String> visible(Collection<String> eventIds) throws IOException {
    String sql = "select event_id from events where event_id in ("
        + eventIds.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(","))
        + ")";
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
    Set<String> seen = new HashSet<>();
    for (JsonNode row : JSON.readTree(response.body()).path("rows")) {
      seen.add(row.path(0).asText());
    }
    return seen;
  }
}
