package io.tributary.lake.iceberg;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTSerializers;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;

/**
 * An Iceberg REST catalog served over HTTP on 127.0.0.1 (the JDK's HTTP server), backed by another
 * catalog: each request is decoded with Iceberg's REST serializers and handed to Iceberg's own
 * server-side {@link CatalogHandlers}, which check a commit's requirements against the backing
 * catalog's current metadata as a REST catalog service does. Serves the namespace and table
 * endpoints the archiver uses, and advertises only those in {@code /v1/config}.
 */
public final class RestCatalogServer implements AutoCloseable {
  private static final Pattern NAMESPACES = Pattern.compile("/v1/namespaces");
  private static final Pattern NAMESPACE = Pattern.compile("/v1/namespaces/([^/]+)");
  private static final Pattern TABLES = Pattern.compile("/v1/namespaces/([^/]+)/tables");
  private static final Pattern TABLE = Pattern.compile("/v1/namespaces/([^/]+)/tables/([^/]+)");
  private static final List<Endpoint> ENDPOINTS = List.of(
      Endpoint.V1_CREATE_NAMESPACE, Endpoint.V1_LOAD_NAMESPACE, Endpoint.V1_NAMESPACE_EXISTS,
      Endpoint.V1_CREATE_TABLE, Endpoint.V1_LOAD_TABLE, Endpoint.V1_TABLE_EXISTS,
      Endpoint.V1_UPDATE_TABLE);

  private final Catalog backing;
  private final ObjectMapper json = mapper();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final AtomicLong tableCommits = new AtomicLong();

  private RestCatalogServer(Catalog backing) throws IOException {
    this.backing = backing;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** Serves {@code backing}, which must also support namespaces; closing the server does not close it. */
  public static RestCatalogServer start(Catalog backing) throws IOException {
    return new RestCatalogServer(backing);
  }

  /** The catalog's base URI, the REST catalog's {@code uri} property. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Table commits (POST to a table) the server accepted. */
  public long tableCommits() {
    return tableCommits.get();
  }

  private static ObjectMapper mapper() {
    // The REST protocol's JSON: kebab-case fields, unknown fields ignored, Iceberg's own parsers.
    ObjectMapper mapper = new ObjectMapper();
    mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
    RESTSerializers.registerAll(mapper);
    return mapper;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Object response;
      try {
        response = route(exchange.getRequestMethod(), exchange);
      } catch (RuntimeException e) {
        sendError(exchange, e);
        return;
      }
      if (response == null) {
        exchange.sendResponseHeaders(204, -1);
      } else {
        send(exchange, 200, response);
      }
    }
  }

  /** The response body, or null for 204 No Content. */
  private Object route(String method, HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    Matcher m;
    if (path.equals("/v1/config") && method.equals("GET")) {
      return ConfigResponse.builder().withEndpoints(ENDPOINTS).build();
    } else if (NAMESPACES.matcher(path).matches() && method.equals("POST")) {
      return CatalogHandlers.createNamespace(namespaces(),
          read(exchange, CreateNamespaceRequest.class));
    } else if ((m = NAMESPACE.matcher(path)).matches() && method.equals("GET")) {
      return CatalogHandlers.loadNamespace(namespaces(), namespace(m.group(1)));
    } else if ((m = NAMESPACE.matcher(path)).matches() && method.equals("HEAD")) {
      CatalogHandlers.namespaceExists(namespaces(), namespace(m.group(1)));
      return null;
    } else if ((m = TABLES.matcher(path)).matches() && method.equals("POST")) {
      return CatalogHandlers.createTable(backing, namespace(m.group(1)),
          read(exchange, CreateTableRequest.class));
    } else if ((m = TABLE.matcher(path)).matches()) {
      TableIdentifier id = TableIdentifier.of(namespace(m.group(1)), RESTUtil.decodeString(m.group(2)));
      switch (method) {
        case "GET":
          return CatalogHandlers.loadTable(backing, id, RESTCatalogProperties.SnapshotMode.ALL);
        case "HEAD":
          CatalogHandlers.tableExists(backing, id);
          return null;
        case "POST":
          Object updated = CatalogHandlers.updateTable(backing, id,
              read(exchange, UpdateTableRequest.class));
          tableCommits.incrementAndGet();
          return updated;
        default:
          break;
      }
    }
    throw new UnsupportedOperationException("not served by this test catalog: " + method + " " + path);
  }

  private SupportsNamespaces namespaces() {
    return (SupportsNamespaces) backing;
  }

  private static Namespace namespace(String encoded) {
    return RESTUtil.decodeNamespaceAsPathSegment(encoded,
        RESTCatalogProperties.NAMESPACE_SEPARATOR_DEFAULT);
  }

  private <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
    return json.readValue(exchange.getRequestBody(), type);
  }

  /** The error as the REST protocol reports it: the status the client maps back to the same exception. */
  private void sendError(HttpExchange exchange, RuntimeException e) throws IOException {
    int code;
    if (e instanceof NoSuchNamespaceException || e instanceof NoSuchTableException) {
      code = 404;
    } else if (e instanceof AlreadyExistsException || e instanceof CommitFailedException) {
      code = 409;
    } else if (e instanceof IllegalArgumentException || e instanceof ValidationException) {
      code = 400;
    } else if (e instanceof UnsupportedOperationException) {
      code = 501;
    } else {
      code = 500;
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    send(exchange, code, ErrorResponse.builder().responseCode(code)
        .withType(e.getClass().getSimpleName()).withMessage(String.valueOf(e.getMessage())).build());
  }

  private void send(HttpExchange exchange, int code, Object body) throws IOException {
    byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
