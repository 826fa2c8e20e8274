package io.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SegmentRequestCheckerTest {
  private static final SegmentRequestChecker DEFAULT = new SegmentRequestChecker(SegmentLimits.DEFAULT);
  private static final SegmentLimits SMALL_LIMITS = new SegmentLimits(200, 3);
  private static final SegmentRequestChecker SMALL = new SegmentRequestChecker(SMALL_LIMITS);
  private static final String TRACK = "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Clicked\"}";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String batch(String... messages) {
    return "{\"writeKey\":\"wk\",\"batch\":[" + String.join(",", messages) + "]}";
  }

  /** Asserts the check fails with a 400 whose message contains every fragment; returns the message. */
  private static String rejects(SegmentRequestChecker checker, byte[] body, SegmentType type,
      String... fragments) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> checker.check(body, type));
    assertEquals(400, e.status());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
    }
    return e.getMessage();
  }

  private static String rejects(String body, SegmentType type, String... fragments) {
    return rejects(DEFAULT, utf8(body), type, fragments);
  }

  private static String repeat(String s, int n) {
    return s.repeat(n);
  }

  // --- accepted ---

  @Test
  void validSingleTrack() {
    SegmentRequestChecker.Result r = DEFAULT.check(
        utf8("{\"userId\":\"u1\",\"event\":\"Clicked\",\"writeKey\":\"key-1\",\"properties\":{\"a\":[1,2]}}"),
        SegmentType.TRACK);
    assertEquals(1, r.events());
    assertEquals("key-1", r.writeKey());
  }

  @Test
  void singleWithoutWriteKeyHasNullWriteKey() {
    SegmentRequestChecker.Result r = DEFAULT.check(utf8("{\"anonymousId\":\"a\",\"event\":\"E\"}"),
        SegmentType.TRACK);
    assertEquals(new SegmentRequestChecker.Result(null, 1), r);
  }

  @Test
  void singleIgnoresTypeInBodyAndUsesPathType() {
    // path type IDENTIFY has no required field, so a body without 'event' passes
    SegmentRequestChecker.Result r = DEFAULT.check(utf8("{\"type\":\"track\",\"userId\":\"u\"}"),
        SegmentType.IDENTIFY);
    assertEquals(1, r.events());
  }

  @Test
  void validBatch() {
    String body = batch(TRACK,
        "{\"type\":\"identify\",\"anonymousId\":\"a1\",\"traits\":{\"x\":1}}",
        "{\"type\":\"PAGE\",\"userId\":\"u1\",\"name\":\"Home\"}",
        "{\"type\":\"screen\",\"userId\":\"u1\"}",
        "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"g1\"}",
        "{\"type\":\"alias\",\"userId\":\"u1\",\"previousId\":\"old\"}");
    SegmentRequestChecker.Result r = DEFAULT.check(utf8(body), null);
    assertEquals(6, r.events());
    assertEquals("wk", r.writeKey());
  }

  @Test
  void batchWriteKeyAfterBatchAndUnknownTopLevelFields() {
    String body = "{\"context\":{\"library\":{\"name\":\"x\"}},\"batch\":[" + TRACK + "],"
        + "\"sentAt\":\"2024-01-01T00:00:00Z\",\"writeKey\":\"late\"}";
    assertEquals(new SegmentRequestChecker.Result("late", 1), DEFAULT.check(utf8(body), null));
  }

  @Test
  void batchWithoutWriteKey() {
    SegmentRequestChecker.Result r = DEFAULT.check(utf8("{\"batch\":[" + TRACK + "]}"), null);
    assertNull(r.writeKey());
    assertEquals(1, r.events());
  }

  @Test
  void numericUserIdAccepted() {
    assertEquals(1, DEFAULT.check(utf8("{\"userId\":12345,\"event\":\"E\"}"), SegmentType.TRACK).events());
    assertEquals(1, DEFAULT.check(utf8(batch("{\"type\":\"identify\",\"userId\":1.5}")), null).events());
  }

  @Test
  void numericRequiredFieldsAccepted() {
    assertEquals(1, DEFAULT.check(utf8("{\"userId\":\"u\",\"groupId\":7}"), SegmentType.GROUP).events());
    assertEquals(1, DEFAULT.check(utf8("{\"userId\":\"u\",\"previousId\":7}"), SegmentType.ALIAS).events());
  }

  @Test
  void anonymousIdAloneAccepted() {
    assertEquals(1, DEFAULT.check(utf8("{\"anonymousId\":\"a\"}"), SegmentType.IDENTIFY).events());
  }

  @Test
  void blankUserIdWithAnonymousIdAccepted() {
    assertEquals(1, DEFAULT.check(utf8("{\"userId\":\"\",\"anonymousId\":\"a\",\"event\":\"E\"}"),
        SegmentType.TRACK).events());
  }

  @Test
  void leadingAndTrailingWhitespaceAccepted() {
    assertEquals(1, DEFAULT.check(utf8("\n  " + TRACK + " \r\n"), SegmentType.TRACK).events());
  }

  @Test
  void batchAtExactlyMaxEventsAccepted() {
    String[] messages = new String[SMALL_LIMITS.maxBatchEvents()];
    java.util.Arrays.fill(messages, TRACK);
    assertEquals(3, SMALL.check(utf8(batch(messages)), null).events());
  }

  @Test
  void batchOfDefaultMaxEventsAccepted() {
    String body = "{\"batch\":[" + String.join(",", java.util.Collections.nCopies(2500, TRACK)) + "]}";
    assertEquals(2500, DEFAULT.check(utf8(body), null).events());
  }

  @Test
  void singleEventAtExactlyMaxBytesAccepted() {
    String prefix = "{\"userId\":\"u\",\"event\":\"";
    String suffix = "\"}";
    String body = prefix + "x".repeat(200 - prefix.length() - suffix.length()) + suffix;
    assertEquals(200, utf8(body).length);
    assertEquals(1, SMALL.check(utf8(body), SegmentType.TRACK).events());
    rejects(SMALL, utf8(body.replace("\"}", "x\"}")), SegmentType.TRACK, "201", "200");
  }

  @Test
  void batchElementAtExactlyMaxBytesAccepted() {
    String prefix = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"";
    String suffix = "\"}";
    String element = prefix + "x".repeat(200 - prefix.length() - suffix.length()) + suffix;
    assertEquals(200, utf8(element).length);
    assertEquals(1, SMALL.check(utf8(batch(element)), null).events());
  }

  // --- rejected: JSON shape ---

  @Test
  void invalidJson() {
    rejects("{\"userId\":\"u\",,\"event\":\"E\"}", SegmentType.TRACK, "invalid JSON");
    rejects("{userId:\"u\"}", SegmentType.TRACK, "invalid JSON");
    rejects("not json", SegmentType.TRACK);
    rejects("{\"batch\":[" + TRACK + ",]}", null, "invalid JSON");
  }

  @Test
  void truncatedJson() {
    rejects("{\"userId\":\"u\",\"event\":\"E\"", SegmentType.TRACK, "invalid JSON");
    rejects("{\"userId\":\"u\",\"event\":\"E", SegmentType.TRACK, "invalid JSON");
    rejects("{\"batch\":[" + TRACK, null, "invalid JSON");
    rejects("{\"batch\":[" + TRACK + "]", null, "invalid JSON");
    rejects("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\"", null, "invalid JSON");
  }

  @Test
  void topLevelArray() {
    rejects("[" + TRACK + "]", SegmentType.TRACK, "must be a JSON object");
    rejects("[" + TRACK + "]", null, "must be a JSON object");
    rejects("\"string\"", null, "must be a JSON object");
  }

  @Test
  void trailingGarbageAfterObject() {
    rejects(TRACK + " garbage", SegmentType.TRACK, "invalid JSON");
    rejects(TRACK + TRACK, SegmentType.TRACK, "invalid JSON", "after the top-level object");
    rejects(batch(TRACK) + "]", null, "invalid JSON");
    rejects(batch(TRACK) + " {}", null, "invalid JSON", "after the top-level object");
  }

  @Test
  void emptyBody() {
    rejects(DEFAULT, new byte[0], SegmentType.TRACK, "empty");
    rejects(DEFAULT, new byte[0], null, "empty");
    rejects("   ", null);
  }

  @Test
  void missingBatch() {
    rejects("{\"writeKey\":\"wk\"}", null, "missing 'batch'");
    rejects("{}", null, "missing 'batch'");
  }

  @Test
  void emptyBatch() {
    rejects("{\"batch\":[]}", null, "batch is empty");
  }

  @Test
  void batchNotArray() {
    rejects("{\"batch\":{}}", null, "'batch' must be an array");
    rejects("{\"batch\":\"x\"}", null, "'batch' must be an array");
    rejects("{\"batch\":null}", null, "'batch' must be an array");
  }

  @Test
  void batchElementNotObject() {
    rejects(batch(TRACK, "42"), null, "batch[1]", "must be a JSON object");
    rejects(batch("[]"), null, "batch[0]", "must be a JSON object");
    rejects(batch(TRACK, TRACK, "\"s\""), null, "batch[2]");
  }

  @Test
  void missingTypeInBatch() {
    rejects(batch(TRACK, "{\"userId\":\"u\",\"event\":\"E\"}"), null, "batch[1]", "type", "missing");
  }

  @Test
  void unknownTypeInBatch() {
    rejects(batch(TRACK, "{\"type\":\"purchase\",\"userId\":\"u\"}"), null, "batch[1]", "'purchase'");
    rejects(batch("{\"type\":5,\"userId\":\"u\"}"), null, "batch[0]", "type");
    rejects(batch("{\"type\":null,\"userId\":\"u\"}"), null, "batch[0]", "type");
  }

  // --- rejected: required fields ---

  @Test
  void missingUserIdAndAnonymousId() {
    rejects("{\"event\":\"E\"}", SegmentType.TRACK, "missing userId or anonymousId");
    rejects(batch(TRACK, "{\"type\":\"identify\",\"traits\":{\"userId\":\"nested\"}}"), null,
        "batch[1]", "missing userId or anonymousId");
  }

  @Test
  void blankUserIdCountsAsMissing() {
    rejects("{\"userId\":\"   \",\"event\":\"E\"}", SegmentType.TRACK, "missing userId or anonymousId");
    rejects("{\"userId\":\"\",\"anonymousId\":\"\",\"event\":\"E\"}", SegmentType.TRACK,
        "missing userId or anonymousId");
  }

  @Test
  void nullOrStructuredUserIdCountsAsMissing() {
    rejects("{\"userId\":null,\"event\":\"E\"}", SegmentType.TRACK, "missing userId or anonymousId");
    rejects("{\"userId\":{\"id\":\"u\"},\"event\":\"E\"}", SegmentType.TRACK,
        "missing userId or anonymousId");
    rejects("{\"userId\":[\"u\"],\"event\":\"E\"}", SegmentType.TRACK, "missing userId or anonymousId");
    rejects("{\"userId\":true,\"event\":\"E\"}", SegmentType.TRACK, "missing userId or anonymousId");
  }

  @Test
  void trackWithoutEvent() {
    rejects("{\"userId\":\"u\"}", SegmentType.TRACK, "track requires 'event'");
    rejects("{\"userId\":\"u\",\"event\":\" \"}", SegmentType.TRACK, "track requires 'event'");
    rejects(batch("{\"type\":\"track\",\"userId\":\"u\"}"), null, "batch[0]", "track requires 'event'");
  }

  @Test
  void aliasWithoutPreviousId() {
    rejects("{\"userId\":\"u\"}", SegmentType.ALIAS, "alias requires 'previousId'");
    rejects(batch(TRACK, "{\"type\":\"alias\",\"userId\":\"u\"}"), null, "batch[1]",
        "alias requires 'previousId'");
  }

  @Test
  void groupWithoutGroupId() {
    rejects("{\"userId\":\"u\",\"groupId\":null}", SegmentType.GROUP, "group requires 'groupId'");
    rejects(batch("{\"type\":\"group\",\"userId\":\"u\"}"), null, "batch[0]", "group requires 'groupId'");
  }

  // --- rejected: limits ---

  @Test
  void singleEventOverMaxBytes() {
    String body = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":\"" + "x".repeat(300) + "\"}}";
    rejects(SMALL, utf8(body), SegmentType.TRACK, "over the limit", "200");
    String big = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":\"" + "x".repeat(33 * 1024) + "\"}}";
    rejects(big, SegmentType.TRACK, "over the limit", String.valueOf(32 * 1024));
  }

  @Test
  void batchElementOverMaxBytes() {
    String big = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":\""
        + "x".repeat(300) + "\"}}";
    rejects(SMALL, utf8(batch(TRACK, big)), null, "batch[1]", "over the limit", "200");
  }

  @Test
  void batchWhoseTotalExceedsEventLimitButEachElementFitsIsAccepted() {
    // the per-event limit applies per element, not to the whole batch body
    String element = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + "x".repeat(120) + "\"}";
    assertEquals(3, SMALL.check(utf8(batch(element, element, element)), null).events());
  }

  @Test
  void batchOverMaxEventsWithDefaultLimits() {
    String body = "{\"batch\":[" + String.join(",", java.util.Collections.nCopies(2501, TRACK)) + "]}";
    rejects(body, null, "more than 2500 events");
  }

  @Test
  void batchOverMaxEventsWithSmallLimits() {
    rejects(SMALL, utf8(batch(TRACK, TRACK, TRACK, TRACK)), null, "more than 3 events");
  }

  @Test
  void invalidLimitsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SegmentLimits(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SegmentLimits(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SegmentLimits(-1, 5));
  }

  // --- rejected: encoding and depth ---

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "properties | 5 | a number",
      "traits | \"rich\" | a string",
      "context | [1] | an array",
      "integrations | true | a boolean"})
  void objectFieldsOfAnotherTypeAreRejected(String field, String value, String described) {
    rejects("{\"userId\":\"u1\",\"event\":\"E\",\"" + field + "\":" + value + "}", SegmentType.TRACK,
        "event: '" + field + "' must be a JSON object, not " + described);
    rejects(batch("{\"type\":\"identify\",\"userId\":\"u1\",\"" + field + "\":" + value + "}"), null,
        "batch[0]: '" + field + "' must be a JSON object");
  }

  @Test
  void objectFieldsMayBeNullOrObjects() {
    DEFAULT.check(utf8("{\"userId\":\"u1\",\"event\":\"E\",\"properties\":null,\"traits\":{},"
        + "\"context\":{\"a\":[1]},\"integrations\":{\"All\":true}}"), SegmentType.TRACK);
    DEFAULT.check(utf8("{\"context\":{\"ip\":\"1.2.3.4\"},\"batch\":[" + TRACK + "]}"), null);
  }

  @Test
  void batchLevelContextOfAnotherTypeIsRejected() {
    rejects("{\"context\":\"x\",\"batch\":[" + TRACK + "]}", null,
        "batch: 'context' must be a JSON object, not a string");
  }

  @Test
  void invalidUtf8Bytes() {
    byte[] prefix = utf8("{\"userId\":\"u");
    byte[] suffix = utf8("\",\"event\":\"E\"}");
    for (byte[] bad : new byte[][] {
        {(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0x80}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82}}) {
      byte[] body = concat(prefix, bad, suffix);
      rejects(DEFAULT, body, SegmentType.TRACK, "invalid JSON");
    }
  }

  @Test
  void invalidUtf8BytesInSkippedField() {
    byte[] body = concat(utf8("{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":\""),
        new byte[] {(byte) 0xff, (byte) 0x80}, utf8("\"}}"));
    rejects(DEFAULT, body, SegmentType.TRACK, "invalid JSON");
    byte[] batchBody = concat(utf8("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"x\":\""),
        new byte[] {(byte) 0xc3, (byte) 0x28}, utf8("\"}]}"));
    rejects(DEFAULT, batchBody, null, "invalid JSON");
  }

  @Test
  void deepNestingInSingleEventIsBadRequest() {
    int depth = 10_000;
    String body = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    rejects(body, SegmentType.TRACK);
    String objects = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":" + "{\"a\":".repeat(depth)
        + "1" + "}".repeat(depth) + "}";
    rejects(objects, SegmentType.TRACK);
  }

  @Test
  void deepNestingInBatchIsBadRequest() {
    int depth = 10_000;
    String body = batch("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":"
        + "[".repeat(depth) + "]".repeat(depth) + "}");
    rejects(body, null);
    String topLevel = "{\"x\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"batch\":[" + TRACK + "]}";
    rejects(topLevel, null);
  }

  // --- robustness of skipping ---

  @Test
  void nonStringWriteKeyOrTypeValueIsSkipped() {
    // the collector is schema-agnostic: a structured value in these fields must not derail the parse
    assertEquals(1, DEFAULT.check(utf8("{\"userId\":\"u\",\"event\":\"E\",\"writeKey\":{\"k\":\"v\"}}"),
        SegmentType.TRACK).events());
    assertEquals(1, DEFAULT.check(utf8("{\"userId\":\"u\",\"event\":\"E\",\"type\":[\"track\"]}"),
        SegmentType.TRACK).events());
  }

  @Test
  void structuredTypeInBatchIsRejectedAsBadType() {
    rejects(batch("{\"type\":{\"type\":\"track\"},\"userId\":\"u\",\"event\":\"E\"}"), null,
        "batch[0]", "'type' must be one of");
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }

  @Test
  void aRepeatedUserKeyCountsAsItsLastValue() {
    // found by SegmentRequestFuzzTest: the normalizer keeps the last value, so the event had no user
    rejects("{\"anonymousId\":\"a1\",\"anonymousId\":{\"x\":1}}", SegmentType.IDENTIFY,
        "missing userId or anonymousId");
    assertEquals(1, DEFAULT.check(utf8("{\"userId\":null,\"userId\":\"u1\"}"), SegmentType.IDENTIFY)
        .events());
  }

  @Test
  void aBodyThatIsNotUtf8IsRejected() {
    // found by SegmentRequestFuzzTest: 0xFF in a key the check skips passed, the normalizer failed
    byte[] body = {'{', '"', 'u', 's', (byte) 0xff, '"', ':', '1', ',', '"', 'u', 's', 'e', 'r', 'I', 'd',
        '"', ':', '"', 'u', '"', '}'};
    assertTrue(rejects(DEFAULT, body, SegmentType.IDENTIFY).contains("not valid UTF-8 at byte 4"));
  }
}
