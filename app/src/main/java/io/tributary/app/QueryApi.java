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

/**
 * {@code POST /api/query} with {@code Authorization: Bearer <admin token>} and a body
 * {@code {"sql": "..."}}: answers {@code {"columns":[…],"rows":[[…]],"truncated":false}}.
 */
final class QueryApi implements ApiHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final QueryService queries;
  private final AdminAuth auth;
  private final int maxRows;

  QueryApi(QueryService queries, String adminToken, int maxRows) {
    this.queries = queries;
    this.auth = new AdminAuth(adminToken);
    this.maxRows = maxRows;
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    if (!auth.authorized(request.authorization())) {
      return AdminAuth.unauthorized();
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

  private static ApiResponse error(int status, String message) {
    return AdminAuth.error(status, message);
  }
}
