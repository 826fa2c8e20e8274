package io.tributary.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tributary.core.BadRequestException;
import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.RawRecord;
import io.tributary.core.RawSink;
import io.tributary.core.SegmentNormalizer;
import io.tributary.core.SegmentRequestChecker;
import io.tributary.core.SegmentType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes requests; shared by all connections (stateless). */
@ChannelHandler.Sharable
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
  private final StoreFailureLog storeFailures = new StoreFailureLog(LOG);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BATCH_PATHS = Set.of("batch", "import", "b");

  private final SegmentRequestChecker checker;
  private final RawSink sink;
  private final WriteKeys writeKeys;
  private final Map<String, ApiHandler> apiRoutes;
  private final Supplier<List<HealthCheck>> healthChecks;
  private final ExecutorService apiWorkers;
  private final TrustedProxies proxies;
  private final Clock clock;
  private final int maxRequestBytes;

  private final SnowplowEndpoints snowplow;

  RequestHandler(CollectorSettings settings, SnowplowSettings snowplowSettings, RawSink sink,
      WriteKeys writeKeys, Map<String, ApiHandler> apiRoutes,
      Supplier<List<HealthCheck>> healthChecks, ExecutorService apiWorkers, Clock clock) {
    this.checker = new SegmentRequestChecker(settings.segmentLimits());
    this.sink = sink;
    this.writeKeys = writeKeys;
    this.apiRoutes = Map.copyOf(apiRoutes);
    this.healthChecks = healthChecks;
    this.apiWorkers = apiWorkers;
    this.proxies = new TrustedProxies(settings.trustedProxies());
    this.clock = clock;
    this.maxRequestBytes = settings.maxRequestBytes();
    this.snowplow = new SnowplowEndpoints(sink == null ? SnowplowSettings.disabled() : snowplowSettings,
        sink, clock, this);
  }

  /** One rate limit for every failure to store, whichever endpoint the request came to. */
  StoreFailureLog storeFailures() {
    return storeFailures;
  }

  /** The Snowplow route of a request path, or null (used by the aggregator for oversize bodies). */
  String snowplowRoute(String uri) {
    String path = pathOf(uri);
    return path == null ? null : snowplow.route(path);
  }

  /** The decoded path without trailing slashes, or null when it is not validly percent-encoded. */
  private static String pathOf(String uri) {
    try {
      return withoutTrailingSlash(new QueryStringDecoder(uri).path());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  void snowplowOversize(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req,
      String route) {
    snowplow.oversize(ctx, req, route, HttpUtil.getContentLength(req, -1L));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    ResponseQueue.Slot slot = ResponseQueue.reserve(ctx);
    DecoderResult decoded = req.decoderResult();
    if (decoded.isFailure()) {
      malformed(slot, decoded.cause());
      return;
    }
    String problem = RequestFraming.problem(req);
    if (problem != null) {
      HttpResponseStatus status = RequestFraming.isVersionProblem(req)
          ? HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED : HttpResponseStatus.BAD_REQUEST;
      new Exchange(slot, false, null).respond(status, Responses.error(problem));
      return;
    }
    String path = pathOf(req.uri());
    if (path == null) {
      new Exchange(slot, false, null).respond(HttpResponseStatus.BAD_REQUEST,
          Responses.error("request target is not a validly percent-encoded path"));
      return;
    }
    String snowplowPath = snowplow.route(path);
    if (snowplowPath != null) {
      snowplow.handle(ctx, new Exchange(slot, HttpUtil.isKeepAlive(req),
          req.headers().get(HttpHeaderNames.ORIGIN)), req, snowplowPath);
      return;
    }
    String origin = path.startsWith("/v1/") ? req.headers().get(HttpHeaderNames.ORIGIN) : null;
    Exchange ex = new Exchange(slot, HttpUtil.isKeepAlive(req), origin);
    String duplicate = RequestFraming.duplicateCredentialHeader(req.headers());
    if (duplicate != null) {
      ex.respond(HttpResponseStatus.BAD_REQUEST, Responses.error(duplicate));
      return;
    }
    if (path.startsWith("/v1/") && sink == null) {
      ex.respond(HttpResponseStatus.NOT_FOUND, Responses.error(
          "this Tributary instance does not run the collector role: send events to one that does"));
    } else if (path.startsWith("/v1/")) {
      collect(ctx, ex, req, path);
    } else if (path.equals("/health")) {
      ex.respond(HttpResponseStatus.OK, "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8));
    } else if (path.equals("/ready")) {
      ready(ex);
    } else if (apiRoutes.containsKey(path)) {
      api(ex, req, path);
    } else {
      ex.respond(HttpResponseStatus.NOT_FOUND, Responses.error("no such path: " + path));
    }
  }

  /** A request the HTTP decoder could not read: answered, then the connection is closed. */
  private static void malformed(ResponseQueue.Slot slot, Throwable cause) {
    HttpResponseStatus status;
    String message;
    if (cause instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      message = "request headers are over the limit of " + HttpCollector.MAX_HEADER_BYTES + " bytes";
    } else if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      message = "request line is over the limit of " + HttpCollector.MAX_LINE_BYTES + " bytes";
    } else {
      status = HttpResponseStatus.BAD_REQUEST;
      message = "malformed HTTP request: " + cause.getMessage();
    }
    new Exchange(slot, false, null).respond(status, Responses.error(message));
  }

  /** The Segment Java SDK posts to {@code /v1/import/}: a trailing slash names the same resource. */
  private static String withoutTrailingSlash(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  private void collect(ChannelHandlerContext ctx, Exchange ex, FullHttpRequest req, String path) {
    if (req.method().equals(HttpMethod.OPTIONS)) {
      preflight(ex, req);
      return;
    }
    String last = path.substring("/v1/".length());
    SegmentType singleType = SegmentNormalizer.typeOfPath(path);
    if (singleType == null && !BATCH_PATHS.contains(last)) {
      ex.respond(HttpResponseStatus.NOT_FOUND, Responses.error("no such path: " + path));
      return;
    }
    if (!req.method().equals(HttpMethod.POST)) {
      ex.respond(HttpResponseStatus.METHOD_NOT_ALLOWED,
          Responses.error("use POST for " + path));
      return;
    }
    String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (!acceptedContentType(contentType)) {
      ex.respond(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          Responses.error("content type must be application/json (or text/plain), not " + contentType));
      return;
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding != null && !encoding.strip().equalsIgnoreCase("identity")) {
      // The decompressor removes gzip and deflate; anything left is an encoding it cannot undo.
      ex.respond(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, Responses.error(
          "content encoding must be gzip or deflate (or none), not " + encoding));
      return;
    }
    String headerKey = basicAuthUser(req.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (headerKey != null && writeKeys.sourceFor(headerKey) == null) {
      ex.respond(HttpResponseStatus.UNAUTHORIZED, Responses.error("invalid write key"));
      return;
    }
    if (req.content().readableBytes() > maxRequestBytes) {
      ex.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          Responses.error("request body is over the limit of " + maxRequestBytes + " bytes"));
      return;
    }
    byte[] body = ByteBufUtil.getBytes(req.content());
    SegmentRequestChecker.Result checked;
    try {
      checked = checker.check(body, singleType);
    } catch (BadRequestException e) {
      ex.respond(HttpResponseStatus.valueOf(e.status()), Responses.error(e.getMessage()));
      return;
    }
    String key = headerKey != null ? headerKey : checked.writeKey();
    if (key == null) {
      ex.respond(HttpResponseStatus.UNAUTHORIZED, Responses.error(
          "missing write key: send it as the Basic auth user name or as 'writeKey' in the body"));
      return;
    }
    String source = writeKeys.sourceFor(key);
    if (source == null) {
      ex.respond(HttpResponseStatus.UNAUTHORIZED, Responses.error("invalid write key"));
      return;
    }
    RawRecord raw = new RawRecord(newId(), source, "segment", path, clock.instant(),
        clientIp(ctx, req.headers()), req.headers().get(HttpHeaderNames.USER_AGENT), contentType, body);
    sink.append(raw).whenComplete((ok, error) -> {
      if (error == null) {
        ex.respond(HttpResponseStatus.OK, Responses.SUCCESS);
      } else {
        storeFailures.failed("a request from source " + source, error);
        FullHttpResponse response = Responses.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
            Responses.error("could not store the events, retry later"));
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        ex.send(response);
      }
    });
  }

  private static boolean acceptedContentType(String contentType) {
    if (contentType == null) {
      return true;
    }
    String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    // Browsers send text/plain to avoid a CORS pre-flight; curl sends form-urlencoded by default.
    return mime.isEmpty() || mime.equals("application/json") || mime.equals("text/plain")
        || mime.equals("application/x-www-form-urlencoded") || mime.endsWith("+json");
  }

  /** The user name of {@code Basic base64(user:password)}: Segment sends the write key there. */
  static String basicAuthUser(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
          StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isEmpty() ? null : user;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  String clientIp(ChannelHandlerContext ctx, HttpHeaders headers) {
    if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress peer)) {
      return null;
    }
    return proxies.clientIp(peer.getAddress(), headers.get("X-Forwarded-For"));
  }

  /** A random (version 4) UUID without SecureRandom, which is slow under contention. */
  static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private void preflight(Exchange ex, FullHttpRequest req) {
    ex.send(Responses.preflight(HttpResponseStatus.NO_CONTENT, req.headers(), "POST, OPTIONS",
        "Content-Type, Authorization, Content-Encoding", 86400));
  }

  private void ready(Exchange ex) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode checks = body.putObject("checks");
    boolean allReady = true;
    for (HealthCheck check : healthChecks.get()) {
      Health h;
      try {
        h = check.health();
      } catch (RuntimeException e) {
        h = Health.down("health check failed: " + e);
      }
      allReady &= h.ready();
      checks.putObject(check.name()).put("ready", h.ready()).put("detail", h.detail());
    }
    body.put("ready", allReady);
    ex.respond(allReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void api(Exchange ex, FullHttpRequest req, String path) {
    if (req.content().readableBytes() > maxRequestBytes) { // the server-wide limit may be Snowplow's
      ex.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          Responses.error("request body is over the limit of " + maxRequestBytes + " bytes"));
      return;
    }
    ApiHandler.ApiRequest apiRequest = new ApiHandler.ApiRequest(req.method().name(), path,
        req.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(req.content()));
    try {
      apiWorkers.execute(() -> {
        ApiHandler.ApiResponse r;
        try {
          r = apiRoutes.get(path).handle(apiRequest);
        } catch (RuntimeException e) {
          LOG.warn("API {} failed", path, e);
          r = new ApiHandler.ApiResponse(500, Responses.error("internal error: " + e.getMessage()));
        }
        ex.respond(HttpResponseStatus.valueOf(r.status()), r.json());
      });
    } catch (RejectedExecutionException e) {
      if (apiWorkers.isShutdown()) {
        ex.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, Responses.error("shutting down"));
        return;
      }
      FullHttpResponse busy = Responses.json(HttpResponseStatus.SERVICE_UNAVAILABLE, Responses.error(
          "too many API requests waiting (limit " + HttpCollector.API_QUEUE + "), retry later"));
      busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      ex.send(busy);
    }
  }

  /**
   * A body that could not be decompressed (called by the decompressor, which then drops the rest of
   * the connection's input): 413 past the limit, 400 for corrupt data, then the connection closes.
   * A Snowplow request past the limit becomes a size-violation record and gets 200 instead.
   */
  void undecodableBody(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req,
      DecompressionException cause, int limit) {
    boolean tooLarge = String.valueOf(cause.getMessage()).contains("maximum size");
    String route = req == null ? null : snowplowRoute(req.uri());
    if (tooLarge && route != null) {
      snowplow.oversize(ctx, req, route, -1L);
      return;
    }
    new Exchange(ResponseQueue.reserve(ctx), false, null).respond(
        tooLarge ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
        Responses.error(tooLarge
            ? "request body is over the limit of " + limit + " bytes once decompressed"
            : "request body is not valid gzip or deflate data: " + cause.getMessage()));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ResponseQueue.writabilityChanged(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
