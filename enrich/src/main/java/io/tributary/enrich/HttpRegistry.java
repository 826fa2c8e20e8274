package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * A registry served over HTTP: an Iglu Server ({@code base} = {@code http://host:8080/api}) or a
 * static Iglu repository ({@code base} = {@code http://iglucentral.com}). Looks up
 * {@code GET <base>/schemas/<vendor>/<name>/<format>/<M-R-A>}, sending the header {@code apikey}
 * when an API key is set. 200 is the schema, 404 is "not here", anything else is an error.
 */
public final class HttpRegistry implements SchemaRegistry {
  private final String name;
  private final String base;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * @param apiKey the Iglu Server API key, or null for none
   * @param timeout for connecting and for the whole request
   */
  public HttpRegistry(String name, URI base, String apiKey, Duration timeout) {
    this.name = requireNonNull(name, "name is null");
    requireNonNull(base, "base is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
    String scheme = base.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException(
          "schema registry '" + name + "': base URI " + base + " must be http or https");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "schema registry '" + name + "': timeout " + timeout + " must be positive");
    }
    String b = base.toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.apiKey = apiKey;
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<JsonNode> lookup(SchemaKey key) {
    URI uri = URI.create(base + "/schemas/" + key.path());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Accept", "application/json")
        .GET();
    if (apiKey != null) {
      request.header("apikey", apiKey);
    }
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw failure(key, uri, "timed out after " + timeout, e);
    } catch (IOException e) {
      throw failure(key, uri, e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(key, uri, "interrupted", e);
    }
    int status = response.statusCode();
    if (status == 404) {
      return Optional.empty();
    }
    if (status != 200) {
      throw failure(key, uri, "HTTP " + status, null);
    }
    JsonNode schema;
    try {
      schema = Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw failure(key, uri, "response is not JSON: " + e.getMessage(), e);
    }
    if (schema == null || schema.isMissingNode()) {
      throw failure(key, uri, "response body is empty", null);
    }
    return Optional.of(schema);
  }

  private SchemaResolutionException failure(SchemaKey key, URI uri, String what, Throwable cause) {
    return new SchemaResolutionException("schema registry '" + name + "': GET " + uri + " for "
        + key.toUri() + " failed: " + what, cause);
  }

  @Override
  public String toString() {
    return "HttpRegistry[" + name + ", " + base + "]";
  }
}
