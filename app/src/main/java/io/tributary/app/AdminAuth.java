package io.tributary.app;

import io.tributary.collector.ApiHandler.ApiResponse;
import io.tributary.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

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

  static ApiResponse unauthorized() {
    return error(401, "missing or invalid admin token (send 'Authorization: Bearer <token>')");
  }

  static ApiResponse error(int status, String message) {
    var out = Json.MAPPER.createObjectNode().put("success", false).put("message", message);
    return new ApiResponse(status, out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
