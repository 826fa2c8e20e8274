package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.Json;
import java.io.PrintStream;
import java.net.ConnectException;
import java.time.Duration;

/** {@code tributary replay bad}: starts a replay on the running server and follows its progress. */
final class ReplayClient {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STALL = Duration.ofMinutes(2);

  private final QueryClient client;
  private final PrintStream out;

  ReplayClient(QueryClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  int run(String since, String until, String type) {
    ObjectNode filters = Json.MAPPER.createObjectNode();
    if (since != null) {
      filters.put("since", since);
    }
    if (until != null) {
      filters.put("until", until);
    }
    if (type != null) {
      filters.put("type", type);
    }
    try {
      JsonNode started = client.post("/api/replay", filters);
      String id = started.get("replay_id").asText();
      long replayed = started.get("replayed").asLong();
      out.printf("Re-injected %d raw records (%s)%n", replayed, id);
      JsonNode status = follow(id, replayed);
      out.printf("Done: %d recovered, %d still bad%n", status.get("recovered").asLong(),
          status.get("still_bad").asLong());
      return 0;
    } catch (ConnectException e) {
      throw new QueryClient.QueryFailed("no server at " + client.url() + ": replay needs a running "
          + "Tributary ('bin/tributary run')");
    }
  }

  private JsonNode follow(String id, long replayed) throws ConnectException {
    ObjectNode request = Json.MAPPER.createObjectNode().put("replay_id", id);
    long lastProcessed = -1;
    long lastChange = System.nanoTime();
    while (true) {
      JsonNode status = client.post("/api/replay/status", request);
      long processed = status.get("processed").asLong();
      if (processed != lastProcessed) {
        out.printf("  processed %d/%d (recovered %d, still bad %d)%n", processed, replayed,
            status.get("recovered").asLong(), status.get("still_bad").asLong());
        lastProcessed = processed;
        lastChange = System.nanoTime();
      }
      if (processed >= replayed) {
        return status;
      }
      if (System.nanoTime() - lastChange > STALL.toNanos()) {
        throw new QueryClient.QueryFailed("replay " + id + " made no progress for "
            + STALL.toMinutes() + " minutes (is the enrich stage running? see /ready)");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QueryClient.QueryFailed("interrupted");
      }
    }
  }
}
