package io.tributary.collector;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile request corpus: one row per malformed request, with the answer it must get. Rows are
 * exact bytes on the wire so that framing errors (duplicate headers, bad request lines) can be sent.
 */
final class HostileInput {
  static final String WRITE_KEY = "wk-web-secret-1234";
  static final String ADMIN_TOKEN = "admin-secret-token-5678";
  static final String TP2 = SnowplowEndpoints.TP2;

  /** What the server must do with a hostile request. */
  enum Outcome {
    /** Answered with a JSON error; nothing stored. */
    REJECTED,
    /** Snowplow: answered 200 and stored as it came, for the enrich stage to make a bad row. */
    STORED,
    /** Snowplow: answered 200 and stored without its body, marked as a size violation. */
    SIZE_VIOLATION
  }

  /**
   * One hostile request.
   *
   * @param status the status it must get
   * @param message a fragment of the JSON error message (null for a stored Snowplow request)
   */
  record Case(String name, byte[] request, int status, String message, Outcome outcome) {
    @Override
    public String toString() {
      return name;
    }
  }

  private HostileInput() {}

  static List<Case> corpus() {
    List<Case> c = new ArrayList<>();
    json(c);
    types(c);
    encodings(c);
    sizes(c);
    headers(c);
    requestLines(c);
    snowplow(c);
    return c;
  }

  private static void json(List<Case> c) {
    c.add(rejected("truncated JSON", track("{\"event\":\"Clicked\",\"userId\":\"u"), 400, "invalid JSON"));
    c.add(rejected("invalid JSON", track("{\"event\":,\"userId\":\"u\"}"), 400, "invalid JSON"));
    c.add(rejected("top level array", track("[{\"event\":\"x\",\"userId\":\"u\"}]"), 400, "JSON object"));
    c.add(rejected("top level string", track("\"hello\""), 400, "JSON object"));
    c.add(rejected("empty body", track(""), 400, "empty"));
    c.add(rejected("garbage after the object", track(ok() + "xyz"), 400, "invalid JSON"));
    c.add(rejected("two objects", track(ok() + ok()), 400, "invalid JSON"));
    c.add(rejected("nesting 10,000 arrays deep", track("{\"event\":\"x\",\"userId\":\"u\",\"properties\":{\"a\":"
        + "[".repeat(10_000) + "]".repeat(10_000) + "}}"), 400, "nesting depth"));
    c.add(rejected("nesting 50,000 objects deep in a batch", batch("{\"batch\":[{\"type\":\"track\","
        + "\"event\":\"x\",\"userId\":\"u\",\"properties\":" + "{\"a\":".repeat(50_000) + "1"
        + "}".repeat(50_000) + "}]}"), 400, "nesting depth"));
    c.add(rejected("unterminated deep nesting", track("[".repeat(100_000)), 400, ""));
    c.add(rejected("number with 5,000 digits", track("{\"event\":\"x\",\"userId\":" + "9".repeat(5_000)
        + "}"), 400, "Number value length"));
    c.add(rejected("field name of 60,000 chars", batch("{\"batch\":[{\"type\":\"track\",\"event\":\"x\","
        + "\"userId\":\"u\",\"" + "k".repeat(60_000) + "\":1}]}"), 400, ""));
    c.add(rejected("string of 400 KB in one event", track("{\"event\":\"x\",\"userId\":\"u\",\"p\":\""
        + "x".repeat(400_000) + "\"}"), 400, "over the limit of 32768"));
    c.add(rejected("raw NUL byte inside a string", track("{\"event\":\"a\u0000b\",\"userId\":\"u\"}"),
        400, "invalid JSON"));
    c.add(rejected("raw NUL bytes between tokens", track("{\u0000\"event\":\"a\",\"userId\":\"u\"}"),
        400, "invalid JSON"));
    c.add(rejected("truncated inside a surrogate escape", track("{\"event\":\"a\",\"userId\":\"u\",\"\\ud800"),
        400, "invalid JSON"));
  }

  private static void types(List<Case> c) {
    c.add(rejected("properties is a number", track("{\"event\":\"x\",\"userId\":\"u\",\"properties\":5}"),
        400, "'properties' must be a JSON object"));
    c.add(rejected("traits is a string", post("/v1/identify", auth() + json(),
        "{\"userId\":\"u\",\"traits\":\"rich\"}".getBytes(UTF_8)), 400, "'traits' must be a JSON object"));
    c.add(rejected("context is an array", track("{\"event\":\"x\",\"userId\":\"u\",\"context\":[1]}"),
        400, "'context' must be a JSON object"));
    c.add(rejected("integrations is true", track("{\"event\":\"x\",\"userId\":\"u\",\"integrations\":true}"),
        400, "'integrations' must be a JSON object"));
    c.add(rejected("batch-level context is a string", batch("{\"context\":\"x\",\"batch\":["
        + event() + "]}"), 400, "'context' must be a JSON object"));
    c.add(rejected("batch is an object", batch("{\"batch\":{}}"), 400, "'batch' must be an array"));
    c.add(rejected("batch is a string", batch("{\"batch\":\"[]\"}"), 400, "'batch' must be an array"));
    c.add(rejected("batch of numbers", batch("{\"batch\":[1,2]}"), 400, "batch[0] must be a JSON object"));
    c.add(rejected("batch element without type", batch("{\"batch\":[{\"userId\":\"u\"}]}"), 400, "'type'"));
    c.add(rejected("type is a number", batch("{\"batch\":[{\"type\":5,\"userId\":\"u\"}]}"), 400, "'type'"));
    c.add(rejected("userId is an object", track("{\"event\":\"x\",\"userId\":{\"id\":1}}"), 400,
        "missing userId or anonymousId"));
    c.add(rejected("event is an array", track("{\"event\":[\"x\"],\"userId\":\"u\"}"), 400,
        "requires 'event'"));
  }

  private static void encodings(List<Case> c) {
    c.add(rejected("invalid UTF-8 (bad continuation byte)", track(bytes("{\"event\":\"", new byte[] {
        (byte) 0xC3, 0x28}, "\",\"userId\":\"u\"}")), 400, "UTF-8"));
    c.add(rejected("invalid UTF-8 (0xFF byte)", track(bytes("{\"event\":\"", new byte[] {(byte) 0xFF},
        "\",\"userId\":\"u\"}")), 400, "UTF-8"));
    c.add(rejected("invalid UTF-8 (truncated 3-byte sequence at the end)", track(bytes(
        "{\"event\":\"x\",\"userId\":\"u\",\"p\":\"", new byte[] {(byte) 0xE2, (byte) 0x82}, "")), 400, ""));
    c.add(rejected("gzip bomb on a Segment path", gzipped("/v1/batch", gzipBomb()), 413, "over the limit"));
    c.add(rejected("not gzip although it says so", gzipped("/v1/track", ok().getBytes(UTF_8)), 400, "gzip"));
    c.add(rejected("truncated gzip", gzipped("/v1/track", Arrays.copyOf(gzip(ok().getBytes(UTF_8)), 12)),
        400, ""));
    c.add(rejected("unsupported content encoding", post("/v1/track", auth() + json()
        + "Content-Encoding: br\r\n", ok().getBytes(UTF_8)), 415, "content encoding"));
    c.add(rejected("content type text/html", post("/v1/track", auth() + "Content-Type: text/html\r\n",
        ok().getBytes(UTF_8)), 415, "content type"));
    c.add(rejected("content type multipart", post("/v1/track", auth()
        + "Content-Type: multipart/form-data; boundary=x\r\n", ok().getBytes(UTF_8)), 415, "content type"));
  }

  private static void sizes(List<Case> c) {
    byte[] big = ("{\"event\":\"x\",\"userId\":\"u\",\"p\":\"" + "x".repeat(600_000) + "\"}").getBytes(UTF_8);
    c.add(rejected("body over the limit", post("/v1/batch", auth() + json(), big), 413, "over the limit"));
    c.add(rejected("body of 16 MB, answered before it is sent", post("/v1/batch", auth() + json(),
        new byte[16 * 1024 * 1024]), 413, "over the limit"));
    c.add(rejected("chunked body over the limit", chunked("/v1/batch", auth() + json(), big), 413,
        "over the limit"));
    c.add(rejected("API body over the Segment limit (under the Snowplow one)", post("/api/echo",
        "Authorization: Bearer " + ADMIN_TOKEN + "\r\n" + json(), new byte[600_000]), 413, "over the limit of 512000"));
    c.add(rejected("Content-Length of 10 GB", raw("POST /v1/batch HTTP/1.1\r\nHost: x\r\n" + auth()
        + json() + "Content-Length: 10000000000\r\n\r\n{}"), 413, "over the limit"));
    c.add(rejected("header of 20 KB", raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
        + "\r\n\r\n"), 431, "header"));
    c.add(rejected("request line of 10 KB", raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        414, "request line"));
  }

  private static void headers(List<Case> c) {
    byte[] body = ok().getBytes(UTF_8);
    c.add(rejected("missing write key", post("/v1/track", json(), body), 401, "missing write key"));
    c.add(rejected("wrong write key", post("/v1/track", basic("wk-wrong") + json(), body), 401,
        "invalid write key"));
    c.add(rejected("write key with a NUL byte", post("/v1/track", basic(WRITE_KEY + "\u0000") + json(), body),
        401, "invalid write key"));
    c.add(rejected("Basic auth that is not base64", post("/v1/track", "Authorization: Basic !!!\r\n" + json(),
        body), 401, "missing write key"));
    c.add(rejected("two Authorization headers (good, wrong)", post("/v1/track", auth() + basic("wk-wrong")
        + json(), body), 400, "more than one Authorization"));
    c.add(rejected("two Authorization headers (wrong, good)", post("/v1/track", basic("wk-wrong") + auth()
        + json(), body), 400, "more than one Authorization"));
    c.add(rejected("two Content-Type headers", post("/v1/track", auth() + json() + "Content-Type: text/html\r\n",
        body), 400, "more than one Content-Type"));
    c.add(rejected("two different Content-Length headers", raw("POST /v1/track HTTP/1.1\r\nHost: x\r\n"
        + auth() + json() + "Content-Length: 2\r\nContent-Length: " + body.length + "\r\n\r\n" + ok()),
        400, "Content-Length"));
    c.add(rejected("two equal Content-Length headers", raw("POST /v1/track HTTP/1.1\r\nHost: x\r\n"
        + auth() + json() + "Content-Length: " + body.length + "\r\nContent-Length: " + body.length
        + "\r\n\r\n" + ok()), 400, "Content-Length"));
    c.add(rejected("Content-Length and Transfer-Encoding", raw("POST /v1/track HTTP/1.1\r\nHost: x\r\n"
        + auth() + json() + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(body.length) + "\r\n" + ok() + "\r\n0\r\n\r\n"), 400, "Transfer-Encoding"));
    c.add(rejected("unknown Transfer-Encoding", raw("POST /v1/track HTTP/1.1\r\nHost: x\r\n" + auth()
        + json() + "Transfer-Encoding: gzip\r\n\r\n" + ok()), 400, "transfer coding"));
    c.add(rejected("negative Content-Length", raw("POST /v1/track HTTP/1.1\r\nHost: x\r\n" + auth() + json()
        + "Content-Length: -1\r\n\r\n"), 400, ""));
    c.add(rejected("bad chunk size", raw("POST /v1/track HTTP/1.1\r\nHost: x\r\n" + auth() + json()
        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + ok() + "\r\n0\r\n\r\n"), 400, ""));
    c.add(rejected("missing Host", raw("POST /v1/track HTTP/1.1\r\n" + auth() + json() + "Content-Length: "
        + body.length + "\r\n\r\n" + ok()), 400, "Host"));
    c.add(rejected("two Host headers", raw("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400,
        "Host"));
    c.add(rejected("header without a colon", raw("GET /health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
        400, ""));
    c.add(rejected("space in a header name", raw("GET /health HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n"),
        400, ""));
    c.add(rejected("NUL byte in a header name", raw("GET /health HTTP/1.1\r\nHost: x\r\nX-A\u0000: y\r\n\r\n"),
        400, ""));
    c.add(rejected("NUL byte in a header value", raw("GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"),
        400, ""));
    c.add(rejected("unsupported Expect", raw("POST /v1/track HTTP/1.1\r\nHost: x\r\n" + auth() + json()
        + "Expect: 200-ok\r\nContent-Length: " + body.length + "\r\n\r\n"), 417, "Expect"));
    c.add(rejected("API without the admin token", post("/api/echo", json(), "{}".getBytes(UTF_8)), 401,
        "admin token"));
    c.add(rejected("API with a wrong admin token", post("/api/echo", "Authorization: Bearer wrong-token\r\n"
        + json(), "{}".getBytes(UTF_8)), 401, "admin token"));
  }

  private static void requestLines(List<Case> c) {
    byte[] body = ok().getBytes(UTF_8);
    c.add(rejected("GET on a collection path", raw("GET /v1/track HTTP/1.1\r\nHost: x\r\n" + auth() + "\r\n"),
        405, "use POST"));
    c.add(rejected("DELETE on a batch path", post("DELETE", "/v1/batch", auth() + json(), body), 405, "use POST"));
    c.add(rejected("made-up method", post("BREW", "/v1/track", auth() + json(), body), 405, "use POST"));
    c.add(rejected("control byte in the method", raw("G\u0001T /health HTTP/1.1\r\nHost: x\r\n\r\n"), 400, ""));
    c.add(rejected("unknown path", post("/v1/nope", auth() + json(), body), 404, "no such path"));
    c.add(rejected("bad percent-encoding in the path", raw("GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
        400, "request target"));
    c.add(rejected("unterminated percent-encoding", post("/v1/track%", auth() + json(), body), 400,
        "request target"));
    c.add(rejected("bad percent-encoding on a Snowplow path", raw("POST /com.snowplowanalytics.snowplow/tp2%"
        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"), 400, "request target"));
    c.add(rejected("NUL byte in the path", raw("GET /v1/\u0000track HTTP/1.1\r\nHost: x\r\n\r\n"), 404,
        "no such path"));
    c.add(rejected("percent-encoded NUL in the path", post("/v1/track%00", auth() + json(), body), 404,
        "no such path"));
    c.add(rejected("garbage request line", raw("HELLO\r\n\r\n"), 400, ""));
    c.add(rejected("three words and more", raw("GET /health HTTP/1.1 extra\r\nHost: x\r\n\r\n"), 400, ""));
    c.add(rejected("unknown HTTP version", raw("GET /health FOO\r\nHost: x\r\n\r\n"), 400, ""));
    c.add(rejected("HTTP/2 preface", raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505, "HTTP version"));
    c.add(rejected("HTTP/3.0 request line", raw("GET /health HTTP/3.0\r\nHost: x\r\n\r\n"), 505, "HTTP version"));
    c.add(rejected("TLS handshake on the plain port", tlsClientHello(), 400, ""));
    c.add(rejected("binary garbage", binaryGarbage(), 400, ""));
  }

  private static void snowplow(List<Case> c) {
    c.add(stored("tp2 invalid JSON", post(TP2, json(), "{\"schema\":".getBytes(UTF_8))));
    c.add(stored("tp2 bad base64 in ue_px and cx", post(TP2, json(), ("{\"schema\":\"iglu:com.snowplowanalytics"
        + ".snowplow/payload_data/jsonschema/1-0-4\",\"data\":[{\"e\":\"ue\",\"p\":\"web\",\"tv\":\"js-3\","
        + "\"ue_px\":\"!!!not base64$$$\",\"cx\":\"%%%\"}]}").getBytes(UTF_8))));
    c.add(stored("tp2 nesting 10,000 deep", post(TP2, json(), ("{\"data\":" + "[".repeat(10_000)
        + "]".repeat(10_000) + "}").getBytes(UTF_8))));
    c.add(stored("tp2 invalid UTF-8 and NUL bytes", post(TP2, json(), bytes("{\"data\":[{\"e\":\"",
        new byte[] {(byte) 0xC3, 0x28, 0, (byte) 0xFF}, "\"}]}"))));
    c.add(stored("tp2 wrong types", post(TP2, json(), "{\"schema\":5,\"data\":{}}".getBytes(UTF_8))));
    c.add(stored("tp2 wrong content type", post(TP2, "Content-Type: image/png\r\n", new byte[] {1, 2, 3})));
    c.add(stored("pixel with bad base64 and bad percent-encoding in the query",
        raw("GET /i?e=ue&ue_px=%%%bad&cx=!!!&x=%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n")));
    c.add(sizeViolation("tp2 over the Snowplow limit", post(TP2, json(), new byte[1024 * 1024 + 1])));
    c.add(sizeViolation("tp2 gzip bomb", gzipped(TP2, gzipBomb())));
    c.add(stored("webhook with garbage", post("/com.acme/v1", "Content-Type: text/plain\r\n",
        "\u0000\u0001garbage".getBytes(UTF_8))));
    c.add(rejected("GET on tp2", raw("GET " + TP2 + " HTTP/1.1\r\nHost: x\r\n\r\n"), 405, "method not allowed"));
  }

  // ---------------------------------------------------------------------------------------------
  // Building requests

  private static Case rejected(String name, byte[] request, int status, String message) {
    return new Case(name, request, status, message, Outcome.REJECTED);
  }

  private static Case stored(String name, byte[] request) {
    return new Case(name, request, 200, null, Outcome.STORED);
  }

  private static Case sizeViolation(String name, byte[] request) {
    return new Case(name, request, 200, null, Outcome.SIZE_VIOLATION);
  }

  static String ok() {
    return "{\"event\":\"Clicked\",\"userId\":\"u\"}";
  }

  private static String event() {
    return "{\"type\":\"track\",\"event\":\"Clicked\",\"userId\":\"u\"}";
  }

  static String basic(String writeKey) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(UTF_8))
        + "\r\n";
  }

  private static String auth() {
    return basic(WRITE_KEY);
  }

  private static String json() {
    return "Content-Type: application/json\r\n";
  }

  private static byte[] track(String body) {
    return track(body.getBytes(UTF_8));
  }

  private static byte[] track(byte[] body) {
    return post("/v1/track", auth() + json(), body);
  }

  private static byte[] batch(String body) {
    return post("/v1/batch", auth() + json(), body.getBytes(UTF_8));
  }

  static byte[] post(String path, String headers, byte[] body) {
    return post("POST", path, headers, body);
  }

  private static byte[] post(String method, String path, String headers, byte[] body) {
    return bytes(method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Length: " + body.length
        + "\r\n\r\n", body, "");
  }

  private static byte[] chunked(String path, String headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Transfer-Encoding: chunked\r\n\r\n")
        .getBytes(ISO_8859_1));
    for (int from = 0; from < body.length; from += 64 * 1024) {
      int n = Math.min(64 * 1024, body.length - from);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
      out.write(body, from, n);
      out.writeBytes("\r\n".getBytes(ISO_8859_1));
    }
    out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
    return out.toByteArray();
  }

  private static byte[] gzipped(String path, byte[] gz) {
    return post(path, auth() + json() + "Content-Encoding: gzip\r\n", gz);
  }

  private static byte[] raw(String text) {
    return text.getBytes(ISO_8859_1);
  }

  private static byte[] bytes(String head, byte[] middle, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(ISO_8859_1));
    out.writeBytes(middle);
    out.writeBytes(tail.getBytes(ISO_8859_1));
    return out.toByteArray();
  }

  private static byte[] tlsClientHello() {
    return new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xA5, 0x01, 0x00, 0x00, (byte) 0xA1, 0x03, 0x03,
        0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x00, 0x00, 0x00};
  }

  private static byte[] binaryGarbage() {
    byte[] b = new byte[4096];
    new java.util.Random(42).nextBytes(b);
    b[b.length - 4] = '\r';
    b[b.length - 3] = '\n';
    b[b.length - 2] = '\r';
    b[b.length - 1] = '\n';
    return b;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** 20 MB of one byte inside a JSON string, gzipped to about 20 KB. */
  static byte[] gzipBomb() {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write("{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\",\"p\":\"".getBytes(UTF_8));
      byte[] zeros = new byte[1024 * 1024];
      Arrays.fill(zeros, (byte) '0');
      for (int i = 0; i < 20; i++) {
        gz.write(zeros);
      }
      gz.write("\"}".getBytes(UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return compressed.toByteArray();
  }
}
