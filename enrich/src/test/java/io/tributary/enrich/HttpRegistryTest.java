package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpRegistryTest {
  static final SchemaKey BUTTON = SchemaKey.parse("iglu:com.acme/button/jsonschema/1-0-0");
  static final String BUTTON_PATH = "/api/schemas/com.acme/button/jsonschema/1-0-0";
  static final String BUTTON_SCHEMA = "{\"self\": {\"name\": \"button\"}, \"type\": \"object\"}";

  private HttpRegistryFakeServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new HttpRegistryFakeServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private HttpRegistry registry(String apiKey) {
    return new HttpRegistry("iglu-server", server.uri("/api"), apiKey, Duration.ofSeconds(5));
  }

  @Test
  void getsTheSchemaAtTheIgluServerPath() {
    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA);

    assertThat(registry(null).lookup(BUTTON))
        .hasValueSatisfying(s -> assertThat(s.at("/self/name").asText()).isEqualTo("button"));
    assertThat(server.requests()).containsExactly(new HttpRegistryFakeServer.Request(BUTTON_PATH, null));
  }

  @Test
  void acceptsABaseWithATrailingSlash() {
    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA);
    HttpRegistry registry =
        new HttpRegistry("iglu-server", server.uri("/api/"), null, Duration.ofSeconds(5));

    assertThat(registry.lookup(BUTTON)).isPresent();
  }

  @Test
  void sendsTheApiKeyHeaderWhenSet() {
    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA);

    registry("secret-key").lookup(BUTTON);

    assertThat(server.requests())
        .containsExactly(new HttpRegistryFakeServer.Request(BUTTON_PATH, "secret-key"));
  }

  @Test
  void notFoundIsEmpty() {
    assertThat(registry(null).lookup(BUTTON)).isEmpty();
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(1);
  }

  @Test
  void serverErrorsFail() {
    server.respond(BUTTON_PATH, 500, "{\"message\":\"boom\"}");

    assertThatThrownBy(() -> registry(null).lookup(BUTTON))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessage("schema registry 'iglu-server': GET " + server.uri(BUTTON_PATH)
            + " for iglu:com.acme/button/jsonschema/1-0-0 failed: HTTP 500");
  }

  @Test
  void unauthorizedFails() {
    server.respond(BUTTON_PATH, 401, "{\"message\":\"Not authorized\"}");

    assertThatThrownBy(() -> registry("wrong").lookup(BUTTON))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageEndingWith("failed: HTTP 401");
  }

  @Test
  void bodiesThatAreNotJsonFail() {
    server.respond(BUTTON_PATH, 200, "<html>oops</html>");

    assertThatThrownBy(() -> registry(null).lookup(BUTTON))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageContaining("failed: response is not JSON");
  }

  @Test
  void emptyBodiesFail() {
    server.respond(BUTTON_PATH, 200, "");

    assertThatThrownBy(() -> registry(null).lookup(BUTTON))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageContaining("failed: response body is empty");
  }

  @Test
  void slowResponsesTimeOut() {
    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA);
    server.holdResponses();
    HttpRegistry registry =
        new HttpRegistry("iglu-server", server.uri("/api"), null, Duration.ofMillis(200));

    assertThatThrownBy(() -> registry.lookup(BUTTON))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageEndingWith("failed: timed out after PT0.2S");
  }

  @Test
  void unreachableServersFail() {
    URI base = server.uri("/api");
    server.close();

    assertThatThrownBy(() -> new HttpRegistry("gone", base, null, Duration.ofSeconds(2)).lookup(BUTTON))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageStartingWith("schema registry 'gone': GET " + base + "/schemas/com.acme/button")
        .hasMessageContaining("ConnectException");
  }

  @Test
  void checksItsSettings() {
    assertThatThrownBy(() -> new HttpRegistry("r", URI.create("ftp://x/"), null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema registry 'r': base URI ftp://x/ must be http or https");
    assertThatThrownBy(() -> new HttpRegistry("r", URI.create("http://x/"), null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema registry 'r': timeout PT0S must be positive");
    assertThatThrownBy(() -> new HttpRegistry("r", null, null, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("base is null");
  }
}
