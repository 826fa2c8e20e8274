package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Fuzzes the raw record line format both ways: any record the collector can make encodes to one line
 * that {@link RawRecordCodec#decode} reads back.
 *
 * <p>Contract: {@code decode(encode(r))} equals {@code r}, except that a body embedded as JSON comes
 * back without surrounding whitespace and with CR and LF as spaces (insignificant in JSON). Segment
 * bodies are drawn from what the collector's check lets through: one JSON value, in any encoding
 * Jackson reads.
 */
class RawRecordRoundTripFuzzTest {
  private static final JsonFactory JSON = new JsonFactory();

  @FuzzTest
  void encodeThenDecode(FuzzedDataProvider data) {
    String protocol = data.pickValue(new String[] {"segment", "snowplow", "webhook"});
    Map<String, String> headers = new HashMap<>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) {
      headers.put(data.consumeString(20), data.consumeString(50));
    }
    RawRecord record = new RawRecord(
        data.consumeString(40),
        data.consumeString(20),
        protocol,
        data.consumeString(60),
        Instant.ofEpochSecond(data.consumeLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
            data.consumeInt(0, 999_999_999)),
        optional(data, 40),
        optional(data, 200),
        optional(data, 60),
        new byte[0],
        optional(data, 500),
        headers,
        optional(data, 40),
        optional(data, 40));
    byte[] body = data.consumeRemainingAsBytes();
    if (protocol.equals("segment") && !isJson(body)) {
      return;
    }
    boolean json = RawRecordCodec.isSingleJsonValue(body);
    RawRecord withBody = new RawRecord(record.id(), record.source(), protocol, record.path(),
        record.receivedAt(), record.ip(), record.userAgent(), record.contentType(), body,
        record.query(), record.headers(), record.networkUserId(), record.replayId());

    RawRecord decoded = RawRecordCodec.decode(RawRecordCodec.encode(withBody));

    byte[] expectedBody = json ? embedded(body) : body;
    assertSameRecord(decoded, new RawRecord(record.id(), record.source(), protocol, record.path(),
        record.receivedAt(), record.ip(), record.userAgent(), record.contentType(), expectedBody,
        record.query(), record.headers(), record.networkUserId(), record.replayId()));
  }

  /** What the collector's check accepts: any one JSON value Jackson reads, in any encoding. */
  private static boolean isJson(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static String optional(FuzzedDataProvider data, int maxLength) {
    return data.consumeBoolean() ? data.consumeString(maxLength) : null;
  }

  /** The body as a JSON value reads back: CR/LF as spaces, surrounding whitespace dropped. */
  static byte[] embedded(byte[] body) {
    String s = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)
        .replace('\r', ' ').replace('\n', ' ').strip();
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  static void assertSameRecord(RawRecord actual, RawRecord expected) {
    assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
  }
}
