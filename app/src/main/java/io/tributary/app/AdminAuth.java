package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.collector.ApiHandler.ApiRequest;
import io.tributary.collector.ApiHandler.ApiResponse;
import io.tributary.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;

/** The admin token check shared by the admin APIs, and their JSON error answers. */
final class AdminAuth {
  private final byte[] token;

  AdminAuth(String adminToken) {
    this.token = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** Constant-time check of {@code Authorization: Bearer <token>}. */
  boolean authorized(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  /**
   * An admin POST with a JSON body (empty = {@code {}}): 401 without the token, 405 for another
   * method, 400 for a body that is not JSON; else what {@code handler} answers for the body.
   */
  ApiResponse post(ApiRequest request, Function<JsonNode, ApiResponse> handler) {
    if (!authorized(request.authorization())) {
      return unauthorized();
    }
    if (!request.method().equals("POST")) {
      return error(405, "use POST");
    }
    JsonNode body;
    try {
      body = request.body().length == 0 ? Json.MAPPER.createObjectNode()
          : Json.MAPPER.readTree(request.body());
    } catch (IOException e) {
      return error(400, "body is not valid JSON: " + e.getMessage());
    }
    return handler.apply(body);
  }

  static ApiResponse unauthorized() {
    return error(401, "missing or invalid admin token (send 'Authorization: Bearer <token>')");
  }

  static ApiResponse error(int status, String message) {
    var out = Json.MAPPER.createObjectNode().put("success", false).put("message", message);
    return new ApiResponse(status, out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
