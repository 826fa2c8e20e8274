package io.tributary.collector;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Snowplow collector endpoints over real sockets: routing, storage, cookies, CORS, limits. */
@Timeout(30)
class SnowplowEndpointsTest {
  private static final Instant NOW = Instant.parse("2024-05-06T07:08:09.123Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final WriteKeys KEYS = Map.of("wk-web", "web")::get;
  private static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) snowplow-test/1.0";
  private static final String ORIGIN = "https://shop.example";
  private static final String REFERER = "https://shop.example/products?id=1";
  private static final String JSON_CT = "application/json; charset=UTF-8";
  private static final String ANONYMOUS_NUID = "00000000-0000-4000-a000-000000000000";
  private static final String SIZE_HEADER = "x-tributary-size-violation";
  private static final String PAYLOAD = """
      {"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[\
      {"e":"pv","url":"https://shop.example/products?id=1&q=caf%C3%A9","page":"Café – Products",\
      "refr":"https://www.google.com/","tv":"js-3.24.0","p":"web","aid":"shop","tna":"sp",\
      "eid":"4f1e6c1a-2b0a-4e3b-9d7a-1c2b3d4e5f60","dtm":"1714979289123","stm":"1714979289200",\
      "tz":"Europe/Berlin","lang":"en-US","res":"1920x1080","vp":"1280x720","cs":"UTF-8",\
      "duid":"9a8b7c6d-1111-4222-8333-444455556666","vid":"3","sid":"5e4d3c2b-aaaa-4bbb-8ccc-dddd00001111",\
      "cx":"eyJzY2hlbWEiOiJpZ2x1OmNvbS5zbm93cGxvd2FuYWx5dGljcy5zbm93cGxvdy9jb250ZXh0cy9qc29uc2NoZW1hLzEtMC0wIiwiZGF0YSI6W119"},\
      {"e":"se","se_ca":"shop","se_ac":"add-to-basket","se_la":"sku-42","se_va":"19.99","tv":"js-3.24.0",\
      "p":"web","aid":"shop","eid":"0d6c9a1e-5b4f-4c3d-8e2f-a1b2c3d4e5f6","dtm":"1714979289500",\
      "stm":"1714979289600"}]}""";

  private final FakeRawSink sink = new FakeRawSink();
  private HttpCollector server;

  @BeforeEach
  void reset() {
    sink.clear();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(SnowplowSettings snowplow) {
    start(CollectorSettings.defaults("127.0.0.1", 0), snowplow);
  }

  private void start(CollectorSettings settings, SnowplowSettings snowplow) {
    server = HttpCollector.start(settings, snowplow, sink, KEYS, Map.of(), List::of, CLOCK);
  }

  private static SnowplowSettings settings(int maxRequestBytes, String cookieDomain,
      boolean cookieSecure, Map<String, String> aliases) {
    return new SnowplowSettings(true, "web-sp", maxRequestBytes, "sp", cookieDomain, cookieSecure,
        Duration.ofDays(365), aliases);
  }

  private static CollectorSettings collectorWithLimit(int maxRequestBytes) {
    return CollectorSettings.defaults("127.0.0.1", 0).withMaxRequestBytes(maxRequestBytes);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP helpers

  private static Map<String, String> headers(String... kv) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      h.put(kv[i], kv[i + 1]);
    }
    return h;
  }

  private RawHttp.Response send(String method, String target, Map<String, String> headers,
      byte[] body) throws IOException {
    try (RawHttp c = new RawHttp(server.port(), 10_000)) {
      c.request(method, target, "HTTP/1.1", headers, body);
      RawHttp.Response r = c.read();
      assertThat(r).as("response to %s %s", method, target).isNotNull();
      return r;
    }
  }

  private RawHttp.Response postTp2(byte[] body, String... kv) throws IOException {
    Map<String, String> h = headers("User-Agent", UA, "Content-Type", JSON_CT);
    h.putAll(headers(kv));
    return send("POST", TP2, h, body);
  }

  private RawHttp.Response get(String target, String... kv) throws IOException {
    Map<String, String> h = headers("User-Agent", UA);
    h.putAll(headers(kv));
    return send("GET", target, h, null);
  }

  /** Writes a chunked request by hand (in 4 KB chunks) and reads the response. */
  private RawHttp.Response sendChunked(String path, byte[] body) throws IOException {
    try (RawHttp c = new RawHttp(server.port(), 10_000)) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + UA
          + "\r\nContent-Type: " + JSON_CT + "\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(ISO_8859_1));
      for (int off = 0; off < body.length; off += 4096) {
        int n = Math.min(4096, body.length - off);
        all.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
        all.write(body, off, n);
        all.writeBytes("\r\n".getBytes(ISO_8859_1));
      }
      all.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
      c.write(all.toByteArray());
      RawHttp.Response r = c.read();
      assertThat(r).isNotNull();
      return r;
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 'a');
    b[0] = '{';
    b[n - 1] = '}';
    return b;
  }

  private static void assertOk(RawHttp.Response r) {
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("ok");
    assertThat(r.header("Content-Type")).startsWith("text/plain");
  }

  private static void assertPixel(RawHttp.Response r) {
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("image/gif");
    byte[] gif = r.body();
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(gif.length));
    assertThat(new String(gif, 0, 6, ISO_8859_1)).isIn("GIF89a", "GIF87a");
    int width = (gif[6] & 0xFF) | (gif[7] & 0xFF) << 8;
    int height = (gif[8] & 0xFF) | (gif[9] & 0xFF) << 8;
    assertThat(width).isEqualTo(1);
    assertThat(height).isEqualTo(1);
    assertThat(gif[gif.length - 1]).as("GIF trailer").isEqualTo((byte) 0x3B);
    assertThat(gif.length).isBetween(26, 64);
    assertThat(r.header("Cache-Control")).contains("no-cache").contains("no-store");
  }

  /** Set-Cookie attributes by lower-case name (value "" for flags); the cookie itself under "=". */
  private static Map<String, String> cookie(RawHttp.Response r) {
    String header = r.header("Set-Cookie");
    assertThat(header).as("Set-Cookie").isNotNull();
    Map<String, String> out = new LinkedHashMap<>();
    String[] parts = header.split(";");
    out.put("=", parts[0].strip());
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      int eq = p.indexOf('=');
      out.put((eq < 0 ? p : p.substring(0, eq)).toLowerCase(Locale.ROOT),
          eq < 0 ? "" : p.substring(eq + 1));
    }
    return out;
  }

  private static String spValue(RawHttp.Response r) {
    String nameValue = cookie(r).get("=");
    assertThat(nameValue).startsWith("sp=");
    return nameValue.substring(3);
  }

  private static void assertCommon(RawRecord r, String path, String source) {
    assertThat(UUID.fromString(r.id())).isNotNull();
    assertThat(r.protocol()).isEqualTo("snowplow");
    assertThat(r.source()).isEqualTo(source);
    assertThat(r.path()).isEqualTo(path);
    assertThat(r.receivedAt()).isEqualTo(NOW);
    assertThat(r.ip()).isEqualTo("127.0.0.1");
    assertThat(r.userAgent()).isEqualTo(UA);
    assertThat(r.replayId()).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // tp2

  @Test
  void tp2PostIsStoredAsIs() throws Exception {
    start(SnowplowSettings.defaults());
    byte[] body = PAYLOAD.getBytes(UTF_8);

    RawHttp.Response r = postTp2(body, "Referer", REFERER, "Origin", ORIGIN, "X-Other", "dropped");

    assertOk(r);
    String nuid = spValue(r);
    RawRecord rec = sink.only();
    assertCommon(rec, TP2, "snowplow");
    assertThat(rec.body()).isEqualTo(body);
    assertThat(rec.query()).isNull();
    assertThat(rec.contentType()).isEqualTo(JSON_CT);
    assertThat(rec.headers()).isEqualTo(Map.of("referer", REFERER, "origin", ORIGIN));
    assertThat(rec.networkUserId()).isEqualTo(nuid);
  }

  @Test
  void tp2WithInvalidJsonIsStillAcceptedAndStoredByteExact() throws Exception {
    start(settings(1024 * 1024, null, true, Map.of()));
    byte[] body = {'{', '"', 's', 'c', 'h', 'e', 'm', 'a', '"', ':', ' ', 'n', 'o', (byte) 0xC3,
        (byte) 0x28, (byte) 0xFF, 0, '\r', '\n', ']', ','};

    RawHttp.Response r = postTp2(body);

    assertOk(r);
    RawRecord rec = sink.only();
    assertCommon(rec, TP2, "web-sp");
    assertThat(rec.body()).isEqualTo(body);
    assertThat(rec.headers()).isEmpty();
  }

  @Test
  void tp2WithTrailingSlashAndQueryIsRouted() throws Exception {
    start(SnowplowSettings.defaults());
    byte[] body = PAYLOAD.getBytes(UTF_8);

    RawHttp.Response r = send("POST", TP2 + "/?a=%20b", headers("User-Agent", UA), body);

    assertOk(r);
    RawRecord rec = sink.only();
    assertThat(rec.path()).isEqualTo(TP2);
    assertThat(rec.query()).isEqualTo("a=%20b");
    assertThat(rec.contentType()).isNull();
    assertThat(rec.body()).isEqualTo(body);
  }

  @Test
  void gzippedTp2BodyIsStoredDecompressed() throws Exception {
    start(SnowplowSettings.defaults());
    byte[] body = PAYLOAD.getBytes(UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(body);
    }

    RawHttp.Response r = postTp2(gz.toByteArray(), "Content-Encoding", "gzip");

    assertOk(r);
    assertThat(sink.only().body()).isEqualTo(body);
  }

  // ---------------------------------------------------------------------------------------------
  // Pixels

  @ParameterizedTest
  @ValueSource(strings = {"/i", "/ice.png", "/com.snowplowanalytics.snowplow/tp1"})
  void pixelAnswersAGifAndStoresTheRawQuery(String path) throws Exception {
    start(SnowplowSettings.defaults());
    String query = "e=pv&url=https%3A%2F%2Fshop.example%2Fa%3Fb%3Dc&page=Caf%C3%A9+%26+co"
        + "&aid=shop&tv=js-3.24.0&p=web&eid=4f1e6c1a-2b0a-4e3b-9d7a-1c2b3d4e5f60";

    RawHttp.Response r = get(path + "?" + query, "Referer", REFERER);

    assertPixel(r);
    String nuid = spValue(r);
    RawRecord rec = sink.only();
    assertCommon(rec, path, "snowplow");
    assertThat(rec.query()).isEqualTo(query);
    assertThat(rec.body()).isEmpty();
    assertThat(rec.contentType()).isNull();
    assertThat(rec.headers()).isEqualTo(Map.of("referer", REFERER));
    assertThat(rec.networkUserId()).isEqualTo(nuid);
  }

  @Test
  void pixelWithoutQueryStoresNullQuery() throws Exception {
    start(SnowplowSettings.defaults());

    assertPixel(get("/i"));

    assertThat(sink.only().query()).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // Webhooks and routing

  @Test
  void igluWebhookAcceptsGetAndPost() throws Exception {
    start(SnowplowSettings.defaults());
    String query = "schema=iglu%3Acom.acme%2Fbutton_click%2Fjsonschema%2F1-0-0&id=42&name=Buy+now";

    RawHttp.Response g = get("/com.snowplowanalytics.iglu/v1?" + query);
    assertOk(g);
    RawRecord first = sink.only();
    assertCommon(first, "/com.snowplowanalytics.iglu/v1", "snowplow");
    assertThat(first.query()).isEqualTo(query);
    assertThat(first.body()).isEmpty();

    sink.clear();
    byte[] body = ("{\"schema\":\"iglu:com.acme/button_click/jsonschema/1-0-0\","
        + "\"data\":{\"id\":42}}").getBytes(UTF_8);
    RawHttp.Response p = send("POST", "/com.snowplowanalytics.iglu/v1",
        headers("User-Agent", UA, "Content-Type", "application/json"), body);
    assertOk(p);
    RawRecord second = sink.only();
    assertCommon(second, "/com.snowplowanalytics.iglu/v1", "snowplow");
    assertThat(second.query()).isNull();
    assertThat(second.body()).isEqualTo(body);
    assertThat(second.contentType()).isEqualTo("application/json");
  }

  @Test
  void anyVendorPathIsRouted() throws Exception {
    start(SnowplowSettings.defaults());
    byte[] body = "token=abc&event=delivered".getBytes(UTF_8);

    RawHttp.Response r = send("POST", "/com.acme/v2", headers("User-Agent", UA,
        "Content-Type", "application/x-www-form-urlencoded"), body);

    assertOk(r);
    RawRecord rec = sink.only();
    assertCommon(rec, "/com.acme/v2", "snowplow");
    assertThat(rec.body()).isEqualTo(body);
    assertThat(rec.contentType()).isEqualTo("application/x-www-form-urlencoded");
  }

  @Test
  void segmentPathsAreNotSnowplow() throws Exception {
    start(SnowplowSettings.defaults());
    byte[] body = "{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\"}".getBytes(UTF_8);

    RawHttp.Response r = send("POST", "/v1/track",
        headers("User-Agent", UA, "Content-Type", "application/json"), body);

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.bodyText()).contains("\"success\":false").contains("write key");
    assertThat(r.header("Set-Cookie")).isNull();
    assertThat(sink.records()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/com.acme/x2", "/acme/v1", "/com.acme/v1/extra", "/com.acme/v", "/x"})
  void nonSnowplowPathsAre404(String path) throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response r = send("POST", path, headers("User-Agent", UA), "{}".getBytes(UTF_8));

    assertThat(r.status()).isEqualTo(404);
    assertThat(sink.records()).isEmpty();
  }

  @Test
  void pathAliasIsStoredUnderTheStandardPath() throws Exception {
    start(settings(1024 * 1024, null, true, Map.of("/com.acme/collect", TP2)));
    byte[] body = PAYLOAD.getBytes(UTF_8);

    RawHttp.Response r = send("POST", "/com.acme/collect?x=1",
        headers("User-Agent", UA, "Content-Type", JSON_CT), body);

    assertOk(r);
    RawRecord rec = sink.only();
    assertCommon(rec, TP2, "web-sp");
    assertThat(rec.body()).isEqualTo(body);
    assertThat(rec.query()).isEqualTo("x=1");
    // GET on an alias of tp2 is as wrong as GET on tp2.
    assertThat(get("/com.acme/collect").status()).isEqualTo(405);
  }

  // ---------------------------------------------------------------------------------------------
  // sp cookie

  @Test
  void firstRequestGetsANewSpCookieWithTheExpectedAttributes() throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response r = postTp2(PAYLOAD.getBytes(UTF_8));

    assertOk(r);
    Map<String, String> c = cookie(r);
    String nuid = spValue(r);
    assertThat(UUID.fromString(nuid).toString()).isEqualTo(nuid);
    assertThat(UUID.fromString(nuid).version()).isEqualTo(4);
    assertThat(Long.parseLong(c.get("max-age"))).isEqualTo(Duration.ofDays(365).toSeconds());
    assertThat(c).containsEntry("path", "/").containsKey("secure").containsKey("httponly")
        .doesNotContainKey("domain");
    assertThat(c.get("samesite")).isEqualToIgnoringCase("None");
    assertThat(sink.only().networkUserId()).isEqualTo(nuid);
  }

  @Test
  void knownSpCookieIsKeptAndRefreshed() throws Exception {
    start(SnowplowSettings.defaults());
    String nuid = spValue(postTp2(PAYLOAD.getBytes(UTF_8)));
    sink.clear();

    RawHttp.Response again = postTp2(PAYLOAD.getBytes(UTF_8), "Cookie", "_ga=GA1.2.3; sp=" + nuid
        + "; other=x");
    RawHttp.Response pixel = get("/i?e=pv", "Cookie", "sp=" + nuid);

    assertOk(again);
    assertThat(spValue(again)).isEqualTo(nuid);
    assertThat(cookie(again).get("max-age")).isEqualTo("31536000");
    assertPixel(pixel);
    assertThat(spValue(pixel)).isEqualTo(nuid);
    assertThat(sink.records()).extracting(RawRecord::networkUserId).containsExactly(nuid, nuid);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sp=not-a-uuid", "sp=", "sp=1-1-1-1-1", "xsp=4f1e6c1a-2b0a-4e3b-9d7a-1c2b3d4e5f60"})
  void invalidOrMissingSpCookieGetsANewId(String cookieHeader) throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response r = postTp2(PAYLOAD.getBytes(UTF_8), "Cookie", cookieHeader);

    assertOk(r);
    String nuid = spValue(r);
    assertThat(UUID.fromString(nuid).toString()).isEqualTo(nuid);
    assertThat(nuid).isNotEqualTo("4f1e6c1a-2b0a-4e3b-9d7a-1c2b3d4e5f60");
    assertThat(sink.only().networkUserId()).isEqualTo(nuid);
  }

  @Test
  void newIdsDifferBetweenClients() throws Exception {
    start(SnowplowSettings.defaults());

    String a = spValue(get("/i"));
    String b = spValue(get("/i"));

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void cookieDomainAndInsecureCookieSettingsAreApplied() throws Exception {
    start(settings(1024 * 1024, ".shop.example", false, Map.of()));

    RawHttp.Response r = get("/i?e=pv");

    assertPixel(r);
    Map<String, String> c = cookie(r);
    assertThat(c.get("domain")).isIn(".shop.example", "shop.example");
    assertThat(c).doesNotContainKey("secure").containsKey("httponly").containsEntry("path", "/");
  }

  // ---------------------------------------------------------------------------------------------
  // SP-Anonymous

  @Test
  void anonymousTrackingSetsNoCookieAndStoresNoIp() throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response post = postTp2(PAYLOAD.getBytes(UTF_8), "SP-Anonymous", "*",
        "Cookie", "sp=4f1e6c1a-2b0a-4e3b-9d7a-1c2b3d4e5f60");
    RawHttp.Response pixel = get("/i?e=pv", "SP-Anonymous", "*");

    assertOk(post);
    assertThat(post.header("Set-Cookie")).isNull();
    assertPixel(pixel);
    assertThat(pixel.header("Set-Cookie")).isNull();
    assertThat(sink.records()).hasSize(2).allSatisfy(rec -> {
      assertThat(rec.ip()).isNull();
      assertThat(rec.networkUserId()).isEqualTo(ANONYMOUS_NUID);
      assertThat(rec.protocol()).isEqualTo("snowplow");
      assertThat(rec.userAgent()).isEqualTo(UA);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // CORS

  @Test
  void preflightEchoesOriginAndRequestedHeaders() throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response r = send("OPTIONS", TP2, headers("Origin", ORIGIN,
        "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "content-type, sp-anonymous"), null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
    assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(r.header("Access-Control-Allow-Methods")).contains("POST").contains("GET");
    assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("content-type, sp-anonymous");
    assertThat(r.header("Set-Cookie")).isNull();
    assertThat(sink.records()).isEmpty();
  }

  @Test
  void postWithOriginGetsCorsHeaders() throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response r = postTp2(PAYLOAD.getBytes(UTF_8), "Origin", ORIGIN);

    assertOk(r);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
    assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(r.header("Vary")).containsIgnoringCase("origin");
    assertThat(sink.only().headers()).containsEntry("origin", ORIGIN);
  }

  // ---------------------------------------------------------------------------------------------
  // Size limits

  private void assertSizeViolation(RawHttp.Response r, String source, String expectedHeader) {
    assertOk(r);
    RawRecord rec = sink.only();
    assertCommon(rec, TP2, source);
    assertThat(rec.body().length).as("stored body length").isZero();
    assertThat(rec.contentType()).isEqualTo(JSON_CT);
    assertThat(rec.headers()).containsEntry(SIZE_HEADER, expectedHeader);
    assertThat(rec.networkUserId()).isEqualTo(spValue(r));
  }

  private void assertStillServing() throws IOException {
    sink.clear();
    byte[] body = PAYLOAD.getBytes(UTF_8);
    assertOk(postTp2(body));
    assertThat(sink.only().body()).isEqualTo(body);
    assertThat(sink.only().headers()).doesNotContainKey(SIZE_HEADER);
  }

  @Test
  void oversizePostWithContentLengthBecomesASizeViolationRecord() throws Exception {
    start(collectorWithLimit(10 * 1024), settings(10 * 1024, null, true, Map.of()));

    RawHttp.Response r = postTp2(bytes(50 * 1024));

    assertSizeViolation(r, "web-sp", "51200 bytes, limit 10240");
    assertStillServing();
  }

  @Test
  void oversizeChunkedPostBecomesASizeViolationRecord() throws Exception {
    start(collectorWithLimit(10 * 1024), settings(10 * 1024, null, true, Map.of()));

    RawHttp.Response r = sendChunked(TP2, bytes(50 * 1024));

    assertOk(r);
    RawRecord rec = sink.only();
    assertCommon(rec, TP2, "web-sp");
    assertThat(rec.body().length).as("stored body length").isZero();
    assertThat(rec.headers().get(SIZE_HEADER)).contains("10240");
    assertStillServing();
  }

  @Test
  void oversizePostToAnAliasIsStoredUnderTheStandardPath() throws Exception {
    start(collectorWithLimit(10 * 1024),
        settings(10 * 1024, null, true, Map.of("/com.acme/collect", TP2)));

    RawHttp.Response r = send("POST", "/com.acme/collect",
        headers("User-Agent", UA, "Content-Type", JSON_CT), bytes(50 * 1024));

    assertSizeViolation(r, "web-sp", "51200 bytes, limit 10240");
  }

  @Test
  void oversizePostOverTheSnowplowLimitButUnderTheSegmentLimit() throws Exception {
    start(settings(10 * 1024, null, true, Map.of()));

    RawHttp.Response r = postTp2(bytes(50 * 1024));

    assertSizeViolation(r, "web-sp", "51200 bytes, limit 10240");
  }

  @Test
  void oversizeChunkedPostOverTheSnowplowLimitButUnderTheSegmentLimit() throws Exception {
    start(settings(10 * 1024, null, true, Map.of()));

    RawHttp.Response r = sendChunked(TP2, bytes(50 * 1024));

    assertOk(r);
    RawRecord rec = sink.only();
    assertThat(rec.body().length).as("stored body length").isZero();
    assertThat(rec.headers().get(SIZE_HEADER)).contains("10240");
  }

  @Test
  void oversizePostExpectingContinueBecomesASizeViolationRecord() throws Exception {
    start(collectorWithLimit(10 * 1024), settings(10 * 1024, null, true, Map.of()));
    try (RawHttp c = new RawHttp(server.port(), 10_000)) {
      c.request("POST", TP2, "HTTP/1.1", headers("User-Agent", UA, "Content-Type", JSON_CT,
          "Content-Length", String.valueOf(50 * 1024), "Expect", "100-continue"), null);
      RawHttp.Response r = c.read();
      assertThat(r).isNotNull();
      assertThat(r.status()).as("status answered to Expect: 100-continue").isIn(100, 200);
      if (r.status() == 100) {
        c.write(bytes(50 * 1024));
        r = c.read();
      }
      assertSizeViolation(r, "web-sp", "51200 bytes, limit 10240");
    }
  }

  @Test
  void snowplowLimitAboveTheSegmentLimitAcceptsLargeSnowplowBodies() throws Exception {
    start(collectorWithLimit(100 * 1024), settings(1024 * 1024, null, true, Map.of()));
    byte[] body = bytes(200 * 1024);

    RawHttp.Response r = postTp2(body);

    assertOk(r);
    RawRecord rec = sink.only();
    assertThat(rec.body()).isEqualTo(body);
    assertThat(rec.headers()).doesNotContainKey(SIZE_HEADER);
  }

  @Test
  void segmentBatchOverTheSegmentLimitIs413EvenWhenTheSnowplowLimitIsLarger() throws Exception {
    start(collectorWithLimit(100 * 1024), settings(1024 * 1024, null, true, Map.of()));
    String pad = "x".repeat(200 * 1024);
    byte[] body = ("{\"batch\":[{\"type\":\"track\",\"event\":\"Big\",\"userId\":\"u1\","
        + "\"properties\":{\"pad\":\"" + pad + "\"}}]}").getBytes(UTF_8);
    String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("wk-web:".getBytes(UTF_8));

    RawHttp.Response r = send("POST", "/v1/batch", headers("User-Agent", UA,
        "Content-Type", "application/json", "Authorization", auth), body);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.bodyText()).contains("\"success\":false").contains(String.valueOf(100 * 1024));
    assertThat(sink.records()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Sink failure, methods, disabled

  @Test
  void sinkFailureIs503WithRetryAfterForPostAndPixel() throws Exception {
    start(SnowplowSettings.defaults());
    sink.mode(FakeRawSink.Mode.FAIL);

    RawHttp.Response post = postTp2(PAYLOAD.getBytes(UTF_8), "Origin", ORIGIN);
    RawHttp.Response pixel = get("/i?e=pv");

    for (RawHttp.Response r : List.of(post, pixel)) {
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.header("Retry-After")).isNotNull();
      assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
      assertThat(r.header("Set-Cookie")).isNull();
    }
    assertThat(post.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
    assertThat(sink.records()).hasSize(2);
  }

  @Test
  void heldSinkDelaysTheAnswerUntilStored() throws Exception {
    start(SnowplowSettings.defaults());
    sink.mode(FakeRawSink.Mode.HOLD);
    try (RawHttp c = new RawHttp(server.port(), 10_000)) {
      c.request("GET", "/i?e=pv", "HTTP/1.1", headers("User-Agent", UA), null);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> sink.heldCount() == 1);
      assertThat(c.socket().getInputStream().available()).isZero();
      sink.releaseHeld();
      assertPixel(c.read());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "GET", "DELETE", "PATCH"})
  void wrongMethodOnTp2Is405(String method) throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response r = send(method, TP2, headers("User-Agent", UA),
        method.equals("GET") ? null : PAYLOAD.getBytes(UTF_8));

    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Set-Cookie")).isNull();
    assertThat(sink.records()).isEmpty();
  }

  @Test
  void putOnPixelIs405() throws Exception {
    start(SnowplowSettings.defaults());

    RawHttp.Response r = send("PUT", "/i?e=pv", headers("User-Agent", UA), new byte[0]);

    assertThat(r.status()).isEqualTo(405);
    assertThat(sink.records()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/i?e=pv", "/ice.png", "/com.snowplowanalytics.iglu/v1"})
  void disabledSnowplowIs404(String target) throws Exception {
    start(SnowplowSettings.disabled());

    RawHttp.Response r = get(target);

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Set-Cookie")).isNull();
    assertThat(sink.records()).isEmpty();
  }

  @Test
  void disabledSnowplowTp2PostIs404() throws Exception {
    start(SnowplowSettings.disabled());

    RawHttp.Response r = postTp2(PAYLOAD.getBytes(UTF_8));

    assertThat(r.status()).isEqualTo(404);
    assertThat(sink.records()).isEmpty();
  }
}
