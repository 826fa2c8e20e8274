package io.tributary.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawRecordCodecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant RECEIVED = Instant.parse("2024-03-05T10:20:30.123456789Z");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static RawRecord record(byte[] body) {
    return new RawRecord("raw-1", "web", "segment", "/v1/batch", RECEIVED, "203.0.113.7",
        "Mozilla/5.0 (X11; \"quoted\")", "application/json; charset=utf-8", body);
  }

  private static JsonNode tree(byte[] json) throws Exception {
    return MAPPER.readTree(json);
  }

  private static void assertNoLineBreaks(byte[] line) {
    for (byte b : line) {
      assertFalse(b == '\n' || b == '\r', "encoded line contains a line break");
    }
  }

  @Test
  void roundTripsAllFields() throws Exception {
    byte[] body = utf8("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\"}");
    RawRecord in = record(body);
    RawRecord out = RawRecordCodec.decode(RawRecordCodec.encode(in, true));
    assertEquals(in.id(), out.id());
    assertEquals(in.source(), out.source());
    assertEquals(in.protocol(), out.protocol());
    assertEquals(in.path(), out.path());
    assertEquals(in.receivedAt(), out.receivedAt());
    assertEquals(in.ip(), out.ip());
    assertEquals(in.userAgent(), out.userAgent());
    assertEquals(in.contentType(), out.contentType());
    assertArrayEquals(body, out.body());
  }

  @Test
  void roundTripsNullOptionalFields() {
    RawRecord in = new RawRecord("raw-2", "app", "segment", "/v1/t", RECEIVED, null, null, null,
        utf8("{}"));
    RawRecord out = RawRecordCodec.decode(RawRecordCodec.encode(in, true));
    assertNull(out.ip());
    assertNull(out.userAgent());
    assertNull(out.contentType());
    assertEquals("raw-2", out.id());
    assertArrayEquals(utf8("{}"), out.body());
  }

  @Test
  void jsonBodyWithLineBreaksIsOneLineAndSameTree() throws Exception {
    byte[] body = utf8("{\r\n  \"type\": \"track\",\n  \"properties\": {\n\t\"a\": [1,\r 2,\n3],"
        + "\n    \"s\": \"line\\nbreak\\r\"\n  }\r\n}\n");
    byte[] line = RawRecordCodec.encode(record(body), true);
    assertNoLineBreaks(line);
    RawRecord out = RawRecordCodec.decode(line);
    assertEquals(tree(body), tree(out.body()));
  }

  @Test
  void encodedLineIsJsonWithBodyAsJsonValue() throws Exception {
    byte[] body = utf8("{\n\"batch\": [{\"type\":\"page\",\"name\":\"Home\"}],\n\"sentAt\": null\n}");
    byte[] line = RawRecordCodec.encode(record(body), true);
    JsonNode node = tree(line);
    assertTrue(node.isObject());
    assertEquals(tree(body), node.get("body"));
    assertEquals("raw-1", node.get("id").asText());
    assertEquals(RECEIVED.toString(), node.get("received_at").asText());
    assertFalse(node.has("body_base64"));
  }

  @Test
  void encodedLineIsJsonForBase64Body() throws Exception {
    byte[] body = {0, 1, 2, (byte) 0xff, '\n', '\r', '"', '\\'};
    byte[] line = RawRecordCodec.encode(record(body), false);
    JsonNode node = tree(line);
    assertTrue(node.has("body_base64"));
    assertFalse(node.has("body"));
  }

  @Test
  void nonJsonBodyRoundTripsByteExact() {
    byte[] body = new byte[512];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    byte[] line = RawRecordCodec.encode(record(body), false);
    assertNoLineBreaks(line);
    assertArrayEquals(body, RawRecordCodec.decode(line).body());
  }

  @Test
  void textBodyWithLineBreaksRoundTripsByteExactAsBase64() {
    byte[] body = utf8("a=1&b=2\r\nc=3\n");
    byte[] line = RawRecordCodec.encode(record(body), false);
    assertNoLineBreaks(line);
    assertArrayEquals(body, RawRecordCodec.decode(line).body());
  }

  @Test
  void emptyNonJsonBodyRoundTrips() {
    byte[] line = RawRecordCodec.encode(record(new byte[0]), false);
    assertArrayEquals(new byte[0], RawRecordCodec.decode(line).body());
  }

  @Test
  void unicodeJsonBodyRoundTrips() throws Exception {
    byte[] body = utf8("{\"event\":\"Café ☕ 日本語 😀\",\n\"ключ\":\"значение\",\"esc\":\"\\u00e9\"}");
    byte[] line = RawRecordCodec.encode(record(body), true);
    assertNoLineBreaks(line);
    byte[] decoded = RawRecordCodec.decode(line).body();
    assertEquals(tree(body), tree(decoded));
    assertEquals("Café ☕ 日本語 😀", tree(decoded).get("event").asText());
    assertEquals(tree(body), tree(line).get("body"));
  }

  @Test
  void unicodeNonJsonBodyRoundTrips() {
    byte[] body = utf8("héllo 😀 wörld\n");
    assertArrayEquals(body, RawRecordCodec.decode(RawRecordCodec.encode(record(body), false)).body());
  }

  @Test
  void unicodeInMetadataRoundTrips() {
    RawRecord in = new RawRecord("id-é", "src-😀", "segment", "/v1/ü", RECEIVED, "::1",
        "UA ☕", "text/plain", utf8("{}"));
    RawRecord out = RawRecordCodec.decode(RawRecordCodec.encode(in, true));
    assertEquals(in.id(), out.id());
    assertEquals(in.source(), out.source());
    assertEquals(in.path(), out.path());
    assertEquals(in.userAgent(), out.userAgent());
  }

  @Test
  void jsonBodyAsArrayAndNumberRoundTrips() throws Exception {
    for (String json : new String[] {"[1,\n{\"a\":null}]", "42", "true", "null"}) {
      byte[] body = utf8(json);
      byte[] line = RawRecordCodec.encode(record(body), true);
      assertEquals(tree(body), tree(RawRecordCodec.decode(line).body()), json);
      assertEquals(tree(body), tree(line).get("body"), json);
    }
  }

  @Test
  void jsonBodyAsStringRoundTrips() throws Exception {
    byte[] body = utf8("\"just a string\"");
    byte[] line = RawRecordCodec.encode(record(body), true);
    assertEquals(tree(body), tree(line).get("body"));
    byte[] decoded = RawRecordCodec.decode(line).body();
    assertEquals(new String(body, StandardCharsets.UTF_8), new String(decoded, StandardCharsets.UTF_8));
  }

  @Test
  void decodeIgnoresUnknownFields() {
    byte[] line = utf8("{\"v\":2,\"extra\":{\"x\":[1,2]},\"id\":\"i\",\"source\":\"s\",\"protocol\":\"p\","
        + "\"path\":\"/v1/t\",\"received_at\":\"2024-03-05T10:20:30Z\",\"body\":{\"a\":1}}");
    RawRecord out = RawRecordCodec.decode(line);
    assertEquals("i", out.id());
    assertArrayEquals(utf8("{\"a\":1}"), out.body());
  }

  @Test
  void bodyEndingTheLineOrFollowedByFieldsOrBrokenDecodesAsJacksonReadsIt() {
    String head = "{\"id\":\"i\",\"source\":\"s\",\"protocol\":\"p\",\"path\":\"/\","
        + "\"received_at\":\"2024-03-05T10:20:30Z\",\"body\":";
    String body = "{\"a\":[1,{\"b\":\"caf\u00e9 \\u00e9\"}],\"\\u00e9\":null}";
    assertArrayEquals(utf8(body), RawRecordCodec.decode(utf8(head + body + " }")).body());
    assertArrayEquals(utf8(body), RawRecordCodec.decode(utf8(head + body + ",\"ip\":\"x\"}")).body());
    assertEquals("x", RawRecordCodec.decode(utf8(head + body + ",\"ip\":\"x\"}")).ip());
    for (String broken : List.of("{\"a\":01}", "{\"a\":1,}", "[\"\\x\"]", "{\"a\":1")) {
      BadRequestException e = assertThrows(BadRequestException.class,
          () -> RawRecordCodec.decode(utf8(head + broken + "}")), broken);
      assertTrue(e.getMessage().startsWith("raw record is not valid JSON: "), e.getMessage());
    }
  }

  @Test
  void receivedAtReadsAsInstantParseDoes() {
    java.util.Random random = new java.util.Random(7);
    String noise = "0123456789-:.TZz+ ";
    for (int n = 0; n < 20_000; n++) {
      long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
          Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 1);
      int nanos = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      StringBuilder text = new StringBuilder(Instant.ofEpochSecond(seconds, nanos).toString());
      for (int k = random.nextInt(4) - 1; k > 0; k--) {
        text.setCharAt(random.nextInt(text.length()), noise.charAt(random.nextInt(noise.length())));
      }
      String s = text.toString();
      assertEquals(outcome(() -> Instant.parse(s)), outcome(() -> RawRecordCodec.receivedAt(s)), s);
    }
  }

  private static String outcome(java.util.function.Supplier<Instant> parse) {
    try {
      return parse.get().toString();
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @Test
  void decodeOfGarbageThrowsBadRequest() {
    String[] garbage = {
      "", "not json", "[1,2]", "42", "{\"id\":", "{\"id\":\"x\"}",
      "{\"id\":\"i\",\"source\":\"s\",\"protocol\":\"p\",\"path\":\"/\",\"received_at\":\"yesterday\","
          + "\"body\":{}}",
      "{\"id\":\"i\",\"source\":\"s\",\"protocol\":\"p\",\"path\":\"/\","
          + "\"received_at\":\"2024-03-05T10:20:30Z\",\"body_base64\":\"!!not base64!!\"}",
      "{\"id\":\"i\",\"source\":\"s\",\"protocol\":\"p\",\"path\":\"/\","
          + "\"received_at\":\"2024-03-05T10:20:30Z\"}",
      "{\"id\":\"i\",\"source\":\"s\",\"protocol\":\"p\",\"path\":\"/\","
          + "\"received_at\":\"2024-03-05T10:20:30Z\",\"body\":{\"a\":",
    };
    for (String g : garbage) {
      BadRequestException e =
          assertThrows(BadRequestException.class, () -> RawRecordCodec.decode(utf8(g)), g);
      assertEquals(400, e.status());
    }
    BadRequestException e = assertThrows(BadRequestException.class,
        () -> RawRecordCodec.decode(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}));
    assertEquals(400, e.status());
  }

  @Test
  void jsonInUtf16OrWithAByteOrderMarkOrInvalidUtf8GoesAsBase64() {
    // found by RawRecordRoundTripFuzzTest: Jackson reads such bodies, but embedded in the UTF-8 line
    // they made it unreadable
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
    // found by EventProcessorFuzzTest: Jackson skips a string without checking its UTF-8
    byte[] badUtf8 = {'"', (byte) 0xff, '"'};
    for (byte[] body : new byte[][] {utf16, bom, badUtf8}) {
      for (String protocol : new String[] {"segment", "snowplow"}) {
        RawRecord r = new RawRecord("raw-1", "web", protocol, "/p", RECEIVED, null, null, null, body);
        assertArrayEquals(body, RawRecordCodec.decode(RawRecordCodec.encode(r)).body());
      }
    }
  }

  @Test
  void encodesTheSameBytesAsTheGeneratorWritingTheWholeLine() throws Exception {
    String big = "{\"batch\":[" + "{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\"},".repeat(40)
        + "{}],\r\n\"sentAt\":null}\n";
    List<byte[]> bodies = List.of(utf8("{}"), utf8("{\r\n\"a\": [1,\n2]}\n"), utf8(big),
        utf8("not json\r\n"), new byte[0], new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
    List<Instant> times = List.of(RECEIVED, Instant.parse("2024-03-05T10:20:30Z"),
        Instant.parse("2024-03-05T10:20:30.120Z"), Instant.parse("2024-03-05T10:20:30.000120Z"),
        Instant.parse("+10000-01-01T00:00:00Z"));
    String longAgent = "Mozilla/5.0 (\"quoted\" \\ \u0001 é 😀) ".repeat(20);
    for (byte[] body : bodies) {
      for (Instant t : times) {
        for (String protocol : List.of("segment", "snowplow")) {
          RawRecord plain = new RawRecord("raw-1", "web", protocol, "/v1/batch", t, null, null, null,
              body);
          RawRecord full = new RawRecord("raw-2", "web", protocol, "/i", t, "203.0.113.7", longAgent,
              "application/json", body, "e=pv&x=1", java.util.Map.of("referer", "https://a/",
                  "origin", "https://b"), "nuid-1", "replay-1");
          for (RawRecord r : List.of(plain, full)) {
            assertArrayEquals(generatorLine(r, true), RawRecordCodec.encode(r, true));
            assertArrayEquals(generatorLine(r, false), RawRecordCodec.encode(r, false));
          }
        }
      }
    }
  }

  /** The line as encode wrote it before it stopped copying the body through the generator's stream. */
  private static byte[] generatorLine(RawRecord r, boolean bodyIsJson) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator gen = com.fasterxml.jackson.core.JsonFactory.builder()
        .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_CONTENT).build()
        .createGenerator(out)) {
      gen.writeStartObject();
      gen.writeNumberField("v", 1);
      gen.writeStringField("id", r.id());
      gen.writeStringField("source", r.source());
      gen.writeStringField("protocol", r.protocol());
      gen.writeStringField("path", r.path());
      gen.writeStringField("received_at", r.receivedAt().toString());
      for (String[] f : new String[][] {{"ip", r.ip()}, {"user_agent", r.userAgent()},
          {"content_type", r.contentType()}, {"query", r.query()}}) {
        if (f[1] != null) {
          gen.writeStringField(f[0], f[1]);
        }
      }
      if (!r.headers().isEmpty()) {
        gen.writeObjectFieldStart("headers");
        for (var h : new java.util.TreeMap<>(r.headers()).entrySet()) {
          gen.writeStringField(h.getKey(), h.getValue());
        }
        gen.writeEndObject();
      }
      if (r.networkUserId() != null) {
        gen.writeStringField("network_userid", r.networkUserId());
      }
      if (r.replayId() != null) {
        gen.writeStringField("replay_id", r.replayId());
      }
      if (!bodyIsJson) {
        gen.writeStringField("body_base64", java.util.Base64.getEncoder().encodeToString(r.body()));
        gen.writeEndObject();
        gen.flush();
        return out.toByteArray();
      }
      gen.writeFieldName("body");
      gen.writeRaw(':');
      gen.flush();
    }
    int start = out.size();
    out.write(r.body());
    out.write('}');
    byte[] line = out.toByteArray();
    for (int i = start; i < line.length; i++) {
      if (line[i] == '\n' || line[i] == '\r') {
        line[i] = ' ';
      }
    }
    return line;
  }
}
