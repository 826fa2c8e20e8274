package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.warehouse.DuckDbWarehouse;
import io.tributary.warehouse.QueryResult;
import io.tributary.warehouse.QueryService;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tributary query}: asks the running server (which owns the DuckDB file); when none is running,
 * opens the file read-only itself.
 */
final class QueryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CELL = 80;

  /** A query that failed for a reason the user should read. */
  static final class QueryFailed extends RuntimeException {
    QueryFailed(String message) {
      super(message);
    }
  }

  private final TributaryConfig config;
  private final String url;
  private final String token;

  /** @param url server URL, or null for {@link #defaultUrl}; @param token null for the stored one */
  QueryClient(TributaryConfig config, String url, String token) {
    this.config = config;
    this.url = url != null ? url : defaultUrl(config);
    this.token = token != null ? token : Credentials.adminToken(config);
  }

  /** The configured address, with a wildcard bind reached on loopback. */
  static String defaultUrl(TributaryConfig config) {
    String host = config.http().bind().equals("0.0.0.0") ? "127.0.0.1" : config.http().bind();
    return "http://" + host + ":" + config.http().port();
  }

  String url() {
    return url;
  }

  String run(String sql, boolean asJson) {
    JsonNode result;
    try {
      result = remote(sql);
    } catch (ConnectException e) {
      result = local(sql);
    }
    return asJson ? result.toString() : table(result);
  }

  private JsonNode remote(String sql) throws ConnectException {
    return post("/api/query", JSON.createObjectNode().put("sql", sql));
  }

  /** POSTs JSON to an admin API of the running server and returns the answer. */
  JsonNode post(String path, JsonNode payload) throws ConnectException {
    if (token == null) {
      throw new QueryFailed("no admin token: pass --token, set TRIBUTARY_ADMIN_TOKEN, or run from the "
          + "directory whose data dir holds credentials.json");
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(payload)))
          .build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200) {
        throw new QueryFailed(body.path("message").asText("HTTP " + response.statusCode()));
      }
      return body;
    } catch (ConnectException e) {
      throw e;
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException c) {
        throw c;
      }
      throw new QueryFailed("cannot reach " + url + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryFailed("interrupted");
    }
  }

  private JsonNode local(String sql) {
    if (!Files.exists(config.warehousePath())) {
      throw new QueryFailed("no server at " + url + " and no warehouse at " + config.warehousePath()
          + ": start one with 'bin/tributary run'");
    }
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.openReadOnly(config.warehousePath())) {
      QueryResult r = new QueryService(warehouse).query(sql, config.query().maxRows());
      return JSON.createObjectNode()
          .<com.fasterxml.jackson.databind.node.ObjectNode>set("columns", JSON.valueToTree(r.columns()))
          .<com.fasterxml.jackson.databind.node.ObjectNode>set("rows", JSON.valueToTree(r.rows()))
          .put("truncated", r.truncated());
    } catch (io.tributary.core.TributaryException e) {
      throw new QueryFailed(e.getMessage());
    }
  }

  /** A plain text table, cells cut at {@value #MAX_CELL} characters. */
  static String table(JsonNode result) {
    List<String> columns = new ArrayList<>();
    result.path("columns").forEach(c -> columns.add(c.asText()));
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode row : result.path("rows")) {
      List<String> cells = new ArrayList<>();
      row.forEach(v -> cells.add(cell(v)));
      rows.add(cells);
    }
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, columns, widths);
    for (int i = 0; i < widths.length; i++) {
      sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    sb.append('\n');
    rows.forEach(r -> appendRow(sb, r, widths));
    sb.append("(").append(rows.size()).append(rows.size() == 1 ? " row" : " rows")
        .append(result.path("truncated").asBoolean() ? ", truncated" : "").append(")");
    return sb.toString();
  }

  private static String cell(JsonNode v) {
    String s = v.isNull() ? "NULL" : v.isValueNode() ? v.asText() : v.toString();
    s = s.replace('\n', ' ');
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }

  private static void appendRow(StringBuilder sb, List<String> cells, int[] widths) {
    for (int i = 0; i < widths.length; i++) {
      String c = cells.get(i);
      sb.append(i == 0 ? "" : " | ").append(c).append(" ".repeat(widths[i] - c.length()));
    }
    sb.append('\n');
  }
}
