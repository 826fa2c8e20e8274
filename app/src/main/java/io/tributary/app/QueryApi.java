package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.collector.ApiHandler;
import io.tributary.core.BadRequestException;
import io.tributary.core.RetriableException;
import io.tributary.warehouse.QueryResult;
import io.tributary.warehouse.QueryService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code POST /api/query} with {@code Authorization: Bearer <admin token>} and a body
 * {@code {"sql": "..."}}: answers {@code {"columns":[…],"rows":[[…]],"truncated":false}}.
 */
final class QueryApi implements ApiHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final QueryService queries;
  private final byte[] adminToken;
  private final int maxRows;

  QueryApi(QueryService queries, String adminToken, int maxRows) {
    this.queries = queries;
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    this.maxRows = maxRows;
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    if (!authorized(request.authorization())) {
      return error(401, "missing or invalid admin token (send 'Authorization: Bearer <token>')");
    }
    if (!request.method().equals("POST")) {
      return error(405, "use POST with {\"sql\": \"select ...\"}");
    }
    String sql;
    try {
      JsonNode body = JSON.readTree(request.body());
      JsonNode node = body == null ? null : body.get("sql");
      if (node == null || !node.isTextual()) {
        return error(400, "body must be a JSON object with a string field 'sql'");
      }
      sql = node.asText();
    } catch (IOException e) {
      return error(400, "body is not valid JSON: " + e.getMessage());
    }
    try {
      QueryResult result = queries.query(sql, maxRows);
      ObjectNode out = JSON.createObjectNode();
      out.set("columns", JSON.valueToTree(result.columns()));
      out.set("rows", JSON.valueToTree(result.rows()));
      out.put("truncated", result.truncated());
      return new ApiResponse(200, JSON.writeValueAsBytes(out));
    } catch (BadRequestException e) {
      return error(400, e.getMessage());
    } catch (RetriableException e) {
      return error(503, e.getMessage());
    } catch (IOException e) {
      return error(500, "cannot encode the result: " + e.getMessage());
    }
  }

  private boolean authorized(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, adminToken);
  }

  private static ApiResponse error(int status, String message) {
    ObjectNode out = JSON.createObjectNode().put("success", false).put("message", message);
    return new ApiResponse(status, out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
