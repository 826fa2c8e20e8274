package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.collector.ApiHandler;
import io.tributary.core.Json;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.RawSink;
import io.tributary.core.TributaryException;
import io.tributary.enrich.ReplayProgress;
import io.tributary.warehouse.BadRowReader;
import io.tributary.warehouse.DuckDbWarehouse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Replays stored bad rows: {@code POST /api/replay} with {@code {"since","until","type"}} (all
 * optional) re-injects their raw records into the raw topic, marked with a new replay id, and answers
 * {@code {"replay_id","replayed"}}; {@code POST /api/replay/status} with {@code {"replay_id"}} tells
 * how many the enrich stage has processed and how many now pass.
 */
final class ReplayApi implements ApiHandler {
  private final BadRowReader badRows;
  private final RawSink sink;
  private final ReplayProgress progress;
  private final AdminAuth auth;
  private final Clock clock;
  private final Runnable beforeReplay;

  /** @param beforeReplay run before records are re-injected (drops cached schemas) */
  ReplayApi(DuckDbWarehouse warehouse, RawSink sink, ReplayProgress progress, String adminToken,
      Clock clock, Runnable beforeReplay) {
    this.badRows = new BadRowReader(warehouse);
    this.sink = sink;
    this.progress = progress;
    this.auth = new AdminAuth(adminToken);
    this.clock = clock;
    this.beforeReplay = beforeReplay;
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    return auth.post(request, body ->
        request.path().endsWith("/status") ? status(body) : replay(body));
  }

  private ApiResponse replay(JsonNode body) {
    Instant since;
    Instant until;
    try {
      since = time(body, "since");
      until = time(body, "until");
    } catch (DateTimeParseException e) {
      return AdminAuth.error(400, "'since' and 'until' must be ISO-8601 instants such as "
          + "2026-11-22T10:00:00Z: " + e.getMessage());
    }
    String type = body.hasNonNull("type") ? body.get("type").asText() : null;
    beforeReplay.run();
    String replayId = "replay-" + clock.instant().toString() + "-" + UUID.randomUUID().toString().substring(0, 8);
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    long replayed;
    try {
      replayed = badRows.forEachRaw(since, until, type, line -> {
        RawRecord raw = RawRecordCodec.decode(line).withReplayId(replayId);
        sent.add(sink.append(raw).toCompletableFuture());
      });
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } catch (TributaryException e) {
      return AdminAuth.error(503, "replay failed: " + e.getMessage());
    } catch (Exception e) {
      return AdminAuth.error(503, "replay could not store all records, run it again: " + e);
    }
    var out = Json.MAPPER.createObjectNode().put("replay_id", replayId).put("replayed", replayed);
    return new ApiResponse(200, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private ApiResponse status(JsonNode body) {
    if (!body.hasNonNull("replay_id")) {
      return AdminAuth.error(400, "send {\"replay_id\": \"...\"}");
    }
    String id = body.get("replay_id").asText();
    ReplayProgress.Counts c = progress.counts(id);
    var out = Json.MAPPER.createObjectNode().put("replay_id", id).put("processed", c.processed())
        .put("recovered", c.recovered()).put("still_bad", c.stillBad());
    return new ApiResponse(200, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Instant time(JsonNode body, String field) {
    return body.hasNonNull(field) ? Instant.parse(body.get(field).asText()) : null;
  }
}
