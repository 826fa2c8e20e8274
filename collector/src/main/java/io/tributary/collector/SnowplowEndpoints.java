package io.tributary.collector;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.tributary.core.RawRecord;
import io.tributary.core.RawSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Snowplow collector protocol: {@code POST /com.snowplowanalytics.snowplow/tp2}, the {@code GET
 * /i} and {@code /ice.png} pixels, and {@code /{vendor}/{version}} webhooks. The collector stores the
 * request as is; parsing and validation happen in the enrich stage. A tracker always gets 200 once the
 * request is stored, even for content that will become a bad row (it would otherwise retry forever).
 */
final class SnowplowEndpoints {
  static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  static final String SIZE_VIOLATION_HEADER = RawRecord.SIZE_VIOLATION_HEADER;
  /** Snowplow's network user id for anonymous tracking. */
  static final String ANONYMOUS_NUID = "00000000-0000-4000-a000-000000000000";
  private static final byte[] PIXEL =
      Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

  private final SnowplowSettings settings;
  private final RawSink sink;
  private final Clock clock;
  private final RequestHandler handler;

  SnowplowEndpoints(SnowplowSettings settings, RawSink sink, Clock clock, RequestHandler handler) {
    this.settings = settings;
    this.sink = sink;
    this.clock = clock;
    this.handler = handler;
  }

  /** The standard path a request path stands for, or null when it is not a Snowplow path. */
  String route(String path) {
    if (!settings.enabled()) {
      return null;
    }
    String p = settings.pathAliases().getOrDefault(path, path);
    if (p.equals(TP2) || p.equals("/i") || p.equals("/ice.png")
        || p.equals("/com.snowplowanalytics.snowplow/tp1") || isVendorPath(p)) {
      return p;
    }
    return null;
  }

  /** {@code /com.vendor/v1}: a vendor name with a dot, then a version. */
  private static boolean isVendorPath(String p) {
    int slash = p.indexOf('/', 1);
    if (slash < 0 || p.indexOf('/', slash + 1) >= 0 || p.indexOf('.') > slash || p.indexOf('.') < 0) {
      return false;
    }
    String version = p.substring(slash + 1);
    return version.length() > 1 && version.charAt(0) == 'v'
        && version.chars().skip(1).allMatch(Character::isDigit);
  }

  void handle(ChannelHandlerContext ctx, Exchange ex, FullHttpRequest req, String path) {
    HttpMethod method = req.method();
    if (method.equals(HttpMethod.OPTIONS)) {
      ex.send(Responses.preflight(HttpResponseStatus.OK, req.headers(), "POST, GET, OPTIONS",
          "Content-Type, SP-Anonymous", 3600));
      return;
    }
    boolean pixel = isPixel(path);
    if (!(method.equals(HttpMethod.GET) || method.equals(HttpMethod.POST))
        || (path.equals(TP2) && !method.equals(HttpMethod.POST))) {
      ex.respond(HttpResponseStatus.METHOD_NOT_ALLOWED, Responses.error("method not allowed on " + path));
      return;
    }
    int size = req.content().readableBytes();
    if (size > settings.maxRequestBytes()) {
      // Within the server's overall limit but over Snowplow's own.
      store(ctx, ex, req, path, new byte[0], sizeViolation(size + " bytes"), pixel);
      return;
    }
    store(ctx, ex, req, path, ByteBufUtil.getBytes(req.content()), Map.of(), pixel);
  }

  private static boolean isPixel(String path) {
    return path.equals("/i") || path.equals("/ice.png")
        || path.equals("/com.snowplowanalytics.snowplow/tp1");
  }

  private Map<String, String> sizeViolation(String size) {
    return Map.of(SIZE_VIOLATION_HEADER, size + ", limit " + settings.maxRequestBytes());
  }

  /**
   * A request over the size limit: stored without its body, marked so the enrich stage makes a
   * size-violation bad row of it, and answered 200 so the tracker does not retry it forever.
   */
  void oversize(ChannelHandlerContext ctx, HttpRequest req, String path, long declaredBytes) {
    Exchange ex = new Exchange(ResponseQueue.reserve(ctx), false,
        req.headers().get(HttpHeaderNames.ORIGIN));
    String size = declaredBytes >= 0 ? declaredBytes + " bytes" : "over " + settings.maxRequestBytes() + " bytes";
    store(ctx, ex, req, path, new byte[0], sizeViolation(size), isPixel(path));
  }

  private void store(ChannelHandlerContext ctx, Exchange ex, HttpRequest req, String path,
      byte[] body, Map<String, String> extraHeaders, boolean pixel) {
    HttpHeaders in = req.headers();
    boolean anonymous = in.contains("SP-Anonymous");
    String nuid = anonymous ? ANONYMOUS_NUID : cookieValue(in.get(HttpHeaderNames.COOKIE));
    boolean newCookie = !anonymous && nuid == null;
    if (newCookie) {
      nuid = UUID.randomUUID().toString();
    }
    Map<String, String> headers = new HashMap<>(extraHeaders);
    copy(in, headers, "referer");
    copy(in, headers, "origin");
    String uri = req.uri();
    int q = uri.indexOf('?');
    RawRecord raw = new RawRecord(RequestHandler.newId(), settings.source(), "snowplow", path,
        clock.instant(), anonymous ? null : handler.clientIp(ctx, in),
        in.get(HttpHeaderNames.USER_AGENT), in.get(HttpHeaderNames.CONTENT_TYPE), body,
        q < 0 ? null : uri.substring(q + 1), headers, nuid, null);
    String cookie = anonymous ? null : nuid;
    sink.append(raw).whenComplete((ok, error) -> {
      if (error != null) {
        handler.storeFailures().failed("a Snowplow request", error);
        FullHttpResponse response = Responses.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
            Responses.error("could not store the events, retry later"));
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        ex.send(response);
        return;
      }
      FullHttpResponse response = pixel ? pixel() : Responses.json(HttpResponseStatus.OK, OK);
      if (!pixel) {
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      }
      if (cookie != null) {
        response.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.LAX.encode(cookie(cookie)));
      }
      ex.send(response);
    });
  }

  private static FullHttpResponse pixel() {
    FullHttpResponse response = Responses.json(HttpResponseStatus.OK, PIXEL);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "image/gif")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate")
        .set(HttpHeaderNames.PRAGMA, "no-cache")
        .set(HttpHeaderNames.EXPIRES, "0");
    return response;
  }

  private Cookie cookie(String value) {
    DefaultCookie c = new DefaultCookie(settings.cookieName(), value);
    c.setPath("/");
    c.setMaxAge(settings.cookieMaxAge().toSeconds());
    c.setHttpOnly(true);
    c.setSecure(settings.cookieSecure());
    c.setSameSite(CookieHeaderNames.SameSite.None);
    if (settings.cookieDomain() != null) {
      c.setDomain(settings.cookieDomain());
    }
    return c;
  }

  private String cookieValue(String header) {
    if (header == null) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
      if (c.name().equals(settings.cookieName()) && isUuid(c.value())) {
        return c.value();
      }
    }
    return null;
  }

  private static boolean isUuid(String s) {
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void copy(HttpHeaders in, Map<String, String> out, String name) {
    String v = in.get(name);
    if (v != null) {
      out.put(name, v);
    }
  }
}
