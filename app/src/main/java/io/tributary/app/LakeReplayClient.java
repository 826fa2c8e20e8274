package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.Json;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code tributary replay lake --tables NAME[,NAME]}: starts a rebuild of declared tables from the
 * raw lake on the running server and prints its progress until it is done.
 */
final class LakeReplayClient {
  private static final Duration POLL = Duration.ofMillis(500);

  private final QueryClient client;
  private final PrintWriter out;

  LakeReplayClient(QueryClient client, PrintWriter out) {
    this.client = client;
    this.out = out;
  }

  int run(List<String> tables) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    tables.forEach(request.putArray("tables")::add);
    try {
      JsonNode started = client.post("/api/replay/lake", request);
      String id = started.get("rebuild_id").asText();
      out.printf("Rebuilding %s from the raw lake: %d files, about %d records (%s)%n",
          String.join(", ", tables), started.get("files_total").asLong(),
          started.get("records_total").asLong(), id);
      out.flush();
      JsonNode status = follow(id);
      for (Iterator<Map.Entry<String, JsonNode>> it = status.path("tables").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> t = it.next();
        out.printf("  %s: %d rows (%d carried over: loaded, not yet in the lake)%n", t.getKey(),
            t.getValue().get("rows").asLong(), t.getValue().get("carried_over").asLong());
      }
      out.println("Done.");
      out.flush();
      return 0;
    } catch (ConnectException e) {
      throw new QueryClient.QueryFailed("no server at " + client.url() + ": replay lake needs a"
          + " running Tributary ('bin/tributary run'), which owns the warehouse");
    }
  }

  private JsonNode follow(String id) throws ConnectException {
    ObjectNode request = Json.MAPPER.createObjectNode().put("rebuild_id", id);
    String last = null;
    while (true) {
      JsonNode s = client.post("/api/replay/lake/status", request);
      String line = String.format("  files %d/%d, records %d/%d, rows written %d",
          s.get("files_done").asLong(), s.get("files_total").asLong(),
          s.get("records_done").asLong(), s.get("records_total").asLong(),
          s.get("rows_written").asLong());
      if (!line.equals(last)) {
        out.println(line);
        out.flush();
        last = line;
      }
      switch (s.get("state").asText()) {
        case "done" -> {
          return s;
        }
        case "failed" -> throw new QueryClient.QueryFailed("replay lake " + id + " failed: "
            + s.path("error").asText() + " (the tables are as they were before)");
        default -> sleep();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryClient.QueryFailed("interrupted");
    }
  }
}
