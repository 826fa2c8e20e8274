package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.collector.ApiHandler;
import io.tributary.core.Json;
import io.tributary.core.RetriableException;
import io.tributary.core.tables.DeclaredTable;
import io.tributary.kafka.ThreadNice;
import io.tributary.lake.LakeStore;
import io.tributary.warehouse.DeclaredTableRebuild;
import io.tributary.warehouse.DuckDbWarehouse;
import io.tributary.warehouse.EventLoader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Rebuilds declared tables from the raw lake ({@code replay lake}): {@code POST /api/replay/lake}
 * with {@code {"tables": ["checkouts"]}} starts a {@link LakeRebuild} in the background and answers
 * its id and how many files and records it will read; {@code POST /api/replay/lake/status} with
 * {@code {"rebuild_id"}} tells how far it got. One rebuild at a time.
 */
final class LakeReplayApi implements ApiHandler, AutoCloseable {
  private final Map<String, DeclaredTable> declared;
  private final DuckDbWarehouse warehouse;
  private final EventLoader loader;
  private final int maxColumns;
  private final Supplier<LakeStore> lakes;
  private final Supplier<EnrichWiring.Built> enrichment;
  private final AdminAuth auth;
  private final Clock clock;
  private LakeRebuild current;
  private Thread thread;
  /** The stages' nice increment, which a rebuild runs with too. */
  private final int stageNice;

  /**
   * @param lakes opens the lake (closed after the rebuild if it is closeable)
   * @param enrichment builds the enrich logic as configured now (closed after the rebuild)
   * @param stageNice see {@link TributaryConfig.Stages}
   */
  LakeReplayApi(List<DeclaredTable> declared, DuckDbWarehouse warehouse, EventLoader loader,
      int maxColumns, Supplier<LakeStore> lakes, Supplier<EnrichWiring.Built> enrichment,
      String adminToken, Clock clock, int stageNice) {
    this.stageNice = stageNice;
    this.declared = declared.stream().collect(Collectors.toMap(DeclaredTable::name,
        Function.identity()));
    this.warehouse = warehouse;
    this.loader = loader;
    this.maxColumns = maxColumns;
    this.lakes = lakes;
    this.enrichment = enrichment;
    this.auth = new AdminAuth(adminToken);
    this.clock = clock;
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    return auth.post(request, body ->
        request.path().endsWith("/status") ? status(body) : start(body));
  }

  private synchronized ApiResponse start(JsonNode body) {
    List<DeclaredTable> tables = new ArrayList<>();
    for (JsonNode name : body.path("tables")) {
      DeclaredTable t = declared.get(name.asText());
      if (t == null) {
        return AdminAuth.error(400, "'" + name.asText() + "' is not a declared table; declared"
            + " (warehouse.tables): " + new java.util.TreeSet<>(declared.keySet()));
      }
      if (!tables.contains(t)) {
        tables.add(t);
      }
    }
    if (tables.isEmpty()) {
      return AdminAuth.error(400, "send {\"tables\": [\"name\", ...]}: the declared tables to"
          + " rebuild " + new java.util.TreeSet<>(declared.keySet()));
    }
    if (current != null && current.state() == LakeRebuild.State.RUNNING) {
      return AdminAuth.error(409, "rebuild " + current.id() + " of " + current.tables()
          + " is still running; wait for it");
    }
    LakeStore lake = lakes.get();
    List<String> files;
    try {
      files = LakeRebuild.rawFiles(lake);
    } catch (RetriableException e) {
      closeQuietly(lake);
      return AdminAuth.error(503, "cannot list the raw lake: " + e.getMessage());
    }
    if (files.isEmpty()) {
      closeQuietly(lake);
      return AdminAuth.error(409, "the raw lake at " + lake.location() + " holds no files under "
          + LakeRebuild.RAW_PREFIX + ": nothing to rebuild from (the archiver publishes files"
          + " every lake.flush_seconds)");
    }
    EnrichWiring.Built logic;
    try {
      logic = enrichment.get();
    } catch (RuntimeException e) {
      closeQuietly(lake);
      return AdminAuth.error(503, "cannot set up the enrichment to run the lake through: "
          + e.getMessage());
    }
    String id = "rebuild-" + clock.instant() + "-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> names = tables.stream().map(DeclaredTable::name).toList();
    LakeRebuild rebuild = new LakeRebuild(id, names, lake, files, logic.processor(),
        new DeclaredTableRebuild(warehouse, loader, tables, maxColumns));
    current = rebuild;
    thread = new Thread(() -> {
      try {
        if (stageNice > 0) {
          ThreadNice.lowerCurrentThread(stageNice); // a background job, like the stages
        }
        rebuild.run();
      } finally {
        closeQuietly(logic.enrichments());
        closeQuietly(lake);
      }
    }, "replay-lake");
    thread.setDaemon(true);
    thread.start();
    ObjectNode out = Json.MAPPER.createObjectNode().put("rebuild_id", id)
        .put("files_total", rebuild.filesTotal()).put("records_total", rebuild.recordsTotal());
    out.putArray("tables").addAll(names.stream()
        .map(n -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(n)).toList());
    return ok(out);
  }

  private synchronized ApiResponse status(JsonNode body) {
    String id = body.path("rebuild_id").asText(null);
    if (id == null) {
      return AdminAuth.error(400, "send {\"rebuild_id\": \"...\"}");
    }
    LakeRebuild r = current;
    if (r == null || !r.id().equals(id)) {
      return AdminAuth.error(404, "no rebuild " + id + " (the server keeps the latest only)");
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("rebuild_id", id)
        .put("state", r.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("files_done", r.filesDone()).put("files_total", r.filesTotal())
        .put("records_done", r.recordsDone()).put("records_total", r.recordsTotal())
        .put("rows_written", r.rowsWritten());
    if (r.error() != null) {
      out.put("error", r.error());
    }
    ObjectNode tables = out.putObject("tables");
    for (DeclaredTableRebuild.Swapped s : r.result()) {
      tables.putObject(s.table()).put("rows", s.rows()).put("carried_over", s.carriedOver());
    }
    return ok(out);
  }

  private static ApiResponse ok(JsonNode out) {
    return new ApiResponse(200, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // closing after a rebuild; nothing to recover
      }
    }
  }

  /** Stops a running rebuild (its work tables are dropped; the tables stay as they were). */
  @Override
  public void close() throws InterruptedException {
    Thread t;
    synchronized (this) {
      if (current != null) {
        current.cancel();
      }
      t = thread;
    }
    if (t != null) {
      t.join(30_000);
    }
  }
}
