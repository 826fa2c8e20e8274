package io.tributary.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.collector.ApiHandler;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code /api/*} handler refuses a request without the right admin token before it touches
 * anything (the handlers here have no warehouse, sink or progress: passing the check would fail).
 */
class AdminApiAuthTest {
  private static final String TOKEN = "admin-token-0123456789";
  private static final Map<String, ApiHandler> ROUTES = Map.of(
      "/api/query", new QueryApi(null, TOKEN, 10),
      "/api/replay", new ReplayApi(null, null, null, TOKEN, Clock.systemUTC(), () -> {}),
      "/api/replay/status", new ReplayApi(null, null, null, TOKEN, Clock.systemUTC(), () -> {}));

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer wrong-token-0123456789",
      "Bearer " + TOKEN + "x", "Bearer dmin-token-0123456789", TOKEN, "Token " + TOKEN,
      "Basic YWRtaW4tdG9rZW4tMDEyMzQ1Njc4OQ==", "Bearer admin-token-0123456789\u0000"})
  void withoutTheAdminTokenEveryApiRouteIs401(String authorization) {
    ROUTES.forEach((path, handler) -> {
      ApiHandler.ApiResponse r = handler.handle(new ApiHandler.ApiRequest("POST", path, authorization,
          "{\"sql\":\"select 1\"}".getBytes(UTF_8)));
      assertThat(r.status()).as("%s with Authorization %s", path, authorization).isEqualTo(401);
      assertThat(new String(r.json(), UTF_8)).contains("\"success\":false").contains("admin token")
          .doesNotContain(TOKEN);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer " + TOKEN, "bearer " + TOKEN, "Bearer  " + TOKEN + " "})
  void theAdminTokenPassesTheCheck(String authorization) {
    ROUTES.forEach((path, handler) -> {
      // GET is refused after the check, before any dependency is used.
      ApiHandler.ApiResponse r = handler.handle(new ApiHandler.ApiRequest("GET", path, authorization,
          new byte[0]));
      assertThat(r.status()).as(path).isEqualTo(405);
    });
    assertThat(Base64.getDecoder().decode("YWRtaW4tdG9rZW4tMDEyMzQ1Njc4OQ==")).isEqualTo(TOKEN.getBytes(UTF_8));
  }
}
