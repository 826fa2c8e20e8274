package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Config files and HTTP helpers shared by the end-to-end tests. */
final class TestTributary {
  static final String WRITE_KEY = "test-write-key-0001";
  static final String ADMIN_TOKEN = "test-admin-token-0001";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LAG = Pattern.compile("lag (\\d+)");

  private TestTributary() {}

  /** A config file for a test instance: fast flushes, loopback, an ephemeral or given port. */
  static Path writeConfig(Path dir, int port, boolean declareCredentials) {
    return writeConfig(dir, dir.resolve("data"), port, declareCredentials, "");
  }

  /** As above, with the data dir elsewhere and extra top-level YAML sections appended. */
  static Path writeConfig(Path dir, Path dataDir, int port, boolean declareCredentials,
      String extraYaml) {
    String yaml = """
        data_dir: %s
        http:
          bind: 127.0.0.1
          port: %d
        kafka:
          partitions: 2
        lake:
          flush_seconds: 1
        warehouse:
          batch_max_millis: 200
        query:
          max_rows: 1000000
        """.formatted(dataDir, port) + extraYaml;
    if (declareCredentials) {
      yaml += """
          admin_token: %s
          sources:
            - name: web
              write_key: %s
          """.formatted(ADMIN_TOKEN, WRITE_KEY);
    }
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("tributary.yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Tributary start(Path configFile) {
    TributaryConfig config = ConfigLoader.load(configFile, Map.of(), Map.of());
    return Tributary.start(config, new PrintStream(System.out, true, StandardCharsets.UTF_8));
  }

  static HttpResponse<String> post(int port, String path, String writeKey, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (writeKey != null) {
      b.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)));
    }
    return send(b.build());
  }

  static HttpResponse<String> query(int port, String token, String sql) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            JSON.createObjectNode().put("sql", sql).toString()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  /** Rows of a successful query. */
  static JsonNode rows(int port, String sql) {
    return rows(port, ADMIN_TOKEN, sql);
  }

  static JsonNode rows(int port, String token, String sql) {
    HttpResponse<String> r = query(port, token, sql);
    if (r.statusCode() != 200) {
      throw new AssertionError("query failed: " + r.statusCode() + " " + r.body());
    }
    try {
      return JSON.readTree(r.body()).get("rows");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long count(int port, String sql) {
    return rows(port, sql).get(0).get(0).asLong();
  }

  static long count(int port, String token, String sql) {
    return rows(port, token, sql).get(0).get(0).asLong();
  }

  /** The {@code checks} object of {@code /ready}: one entry per part, with ready and detail. */
  static JsonNode readyChecks(int port) {
    try {
      return JSON.readTree(send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/ready")).build()).body()).get("checks");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lag a stage reports on {@code /ready}, or -1 if it reports none (yet). */
  static long stageLag(int port, String stage) {
    return stageLag(readyChecks(port).get(stage));
  }

  static long stageLag(JsonNode check) {
    if (check == null) {
      return -1;
    }
    Matcher m = LAG.matcher(check.get("detail").asText());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
