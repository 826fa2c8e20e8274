package io.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SegmentNormalizerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant RECEIVED = Instant.parse("2024-03-05T12:00:10Z");
  private static final String RAW_IP = "198.51.100.1";
  private static final String RAW_UA = "RawUA/1.0";

  private static RawRecord raw(String id, String path, String body) {
    return new RawRecord(id, "web", "segment", path, RECEIVED, RAW_IP, RAW_UA, "application/json",
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static RawRecord raw(String path, String body) {
    return raw("raw-1", path, body);
  }

  /** Normalises both ways and checks they agree: the tree path equals the text round trip. */
  private static List<CanonicalEvent> normalize(RawRecord raw) {
    List<CanonicalEvent> events = SegmentNormalizer.normalize(raw);
    List<EnrichedEvent> enriched = SegmentNormalizer.normalizeToEnriched(raw);
    assertEquals(events.size(), enriched.size());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(events.get(i).toEnriched().values(), enriched.get(i).values());
    }
    return events;
  }

  private static CanonicalEvent single(String path, String body) {
    List<CanonicalEvent> events = normalize(raw(path, body));
    assertEquals(1, events.size());
    return events.get(0);
  }

  private static CanonicalEvent track(String body) {
    return single("/v1/track", body);
  }

  private static JsonNode tree(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  private static void assertBadRequest(RawRecord raw, String fragment) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> SegmentNormalizer.normalize(raw));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().contains(raw.id()), e.getMessage());
  }

  // --- paths ---

  @Test
  void typeOfPath() {
    assertEquals(SegmentType.TRACK, SegmentNormalizer.typeOfPath("/v1/track"));
    assertEquals(SegmentType.TRACK, SegmentNormalizer.typeOfPath("/v1/t"));
    assertEquals(SegmentType.IDENTIFY, SegmentNormalizer.typeOfPath("/v1/identify"));
    assertEquals(SegmentType.IDENTIFY, SegmentNormalizer.typeOfPath("/v1/i"));
    assertEquals(SegmentType.PAGE, SegmentNormalizer.typeOfPath("/v1/page"));
    assertEquals(SegmentType.PAGE, SegmentNormalizer.typeOfPath("/v1/p"));
    assertEquals(SegmentType.SCREEN, SegmentNormalizer.typeOfPath("/v1/screen"));
    assertEquals(SegmentType.SCREEN, SegmentNormalizer.typeOfPath("/v1/s"));
    assertEquals(SegmentType.GROUP, SegmentNormalizer.typeOfPath("/v1/group"));
    assertEquals(SegmentType.GROUP, SegmentNormalizer.typeOfPath("/v1/g"));
    assertEquals(SegmentType.ALIAS, SegmentNormalizer.typeOfPath("/v1/alias"));
    assertEquals(SegmentType.ALIAS, SegmentNormalizer.typeOfPath("/v1/a"));
    assertNull(SegmentNormalizer.typeOfPath("/v1/batch"));
    assertNull(SegmentNormalizer.typeOfPath("/v1/import"));
  }

  @Test
  void singleTrackViaFullPath() {
    CanonicalEvent e = track("{\"userId\":\"u1\",\"anonymousId\":\"a1\",\"event\":\"Clicked\","
        + "\"messageId\":\"m-1\",\"properties\":{\"a\":1}}");
    assertEquals("m-1", e.eventId());
    assertEquals("web", e.source());
    assertEquals("track", e.eventType());
    assertEquals("Clicked", e.eventName());
    assertEquals("u1", e.userId());
    assertEquals("a1", e.anonymousId());
    assertNull(e.groupId());
    assertNull(e.previousId());
    assertEquals(RECEIVED, e.receivedAt());
    assertEquals("raw-1", e.rawId());
    assertEquals("{\"a\":1}", e.properties());
    assertNull(e.traits());
  }

  @Test
  void singleTrackViaOneLetterPath() {
    CanonicalEvent e = single("/v1/t", "{\"userId\":\"u1\",\"event\":\"Clicked\"}");
    assertEquals("track", e.eventType());
    assertEquals("Clicked", e.eventName());
  }

  @Test
  void pathTypeWinsOverBodyType() {
    CanonicalEvent e = single("/v1/identify", "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}");
    assertEquals("identify", e.eventType());
    assertNull(e.eventName());
  }

  @Test
  void batchWithMixedTypes() {
    String body = "{\"batch\":["
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Bought\",\"name\":\"ignored\"},"
        + "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":\"a@b.c\"},\"event\":\"ignored\"},"
        + "{\"type\":\"page\",\"userId\":\"u\",\"name\":\"Home\"},"
        + "{\"type\":\"Screen\",\"userId\":\"u\",\"name\":\"Settings\"},"
        + "{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g1\",\"name\":\"ignored\"},"
        + "{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":\"old\"}"
        + "]}";
    List<CanonicalEvent> events = normalize(raw("/v1/batch", body));
    assertEquals(List.of("track", "identify", "page", "screen", "group", "alias"),
        events.stream().map(CanonicalEvent::eventType).toList());
    assertEquals("Bought", events.get(0).eventName());
    assertNull(events.get(1).eventName());
    assertEquals("Home", events.get(2).eventName());
    assertEquals("Settings", events.get(3).eventName());
    assertNull(events.get(4).eventName());
    assertNull(events.get(5).eventName());
    assertEquals("{\"email\":\"a@b.c\"}", events.get(1).traits());
    assertEquals("g1", events.get(4).groupId());
    assertEquals("old", events.get(5).previousId());
    for (CanonicalEvent e : events) {
      assertEquals("raw-1", e.rawId());
      assertEquals("u", e.userId());
    }
  }

  @Test
  void eventNameRulesForSinglePaths() {
    assertEquals("Home", single("/v1/page", "{\"userId\":\"u\",\"name\":\"Home\",\"event\":\"x\"}").eventName());
    assertEquals("Main", single("/v1/s", "{\"userId\":\"u\",\"name\":\"Main\"}").eventName());
    assertNull(single("/v1/identify", "{\"userId\":\"u\",\"name\":\"x\",\"event\":\"y\"}").eventName());
    assertNull(single("/v1/group", "{\"userId\":\"u\",\"groupId\":\"g\",\"name\":\"x\"}").eventName());
    assertNull(single("/v1/alias", "{\"userId\":\"u\",\"previousId\":\"p\",\"name\":\"x\"}").eventName());
    assertNull(track("{\"userId\":\"u\",\"name\":\"x\"}").eventName());
    assertNull(single("/v1/page", "{\"userId\":\"u\"}").eventName());
  }

  @Test
  void numericIdsBecomeText() {
    CanonicalEvent e = track("{\"userId\":42,\"event\":\"E\",\"messageId\":7}");
    assertEquals("42", e.userId());
    assertEquals("7", e.eventId());
  }

  // --- ids ---

  @Test
  void messageIdKeptWhenPresent() {
    String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"messageId\":\"keep-me\"},"
        + "{\"type\":\"identify\",\"userId\":\"u\"}]}";
    List<CanonicalEvent> events = normalize(raw("/v1/batch", body));
    assertEquals("keep-me", events.get(0).eventId());
    assertEquals(SegmentNormalizer.derivedId("raw-1", 1), events.get(1).eventId());
  }

  @Test
  void messageIdDerivedDeterministicallyWhenMissing() {
    String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"},"
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"},"
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"messageId\":\"\"},"
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"messageId\":null}]}";
    List<CanonicalEvent> first = normalize(raw("/v1/batch", body));
    List<CanonicalEvent> second = normalize(raw("/v1/batch", body));
    assertEquals(first, second);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < first.size(); i++) {
      assertEquals(SegmentNormalizer.derivedId("raw-1", i), first.get(i).eventId());
      ids.add(first.get(i).eventId());
    }
    assertEquals(4, ids.size(), "different index must give different ids");

    List<CanonicalEvent> otherRaw = normalize(raw("raw-2", "/v1/batch", body));
    assertNotEquals(first.get(0).eventId(), otherRaw.get(0).eventId());
  }

  @Test
  void derivedIdForSingleEventIsStable() {
    CanonicalEvent a = track("{\"userId\":\"u\",\"event\":\"E\"}");
    CanonicalEvent b = track("{\"userId\":\"u\",\"event\":\"E\"}");
    assertEquals(a.eventId(), b.eventId());
    assertEquals(SegmentNormalizer.derivedId("raw-1", 0), a.eventId());
    assertEquals(a, b);
  }

  @Test
  void derivedIdIsAUuid() {
    String id = SegmentNormalizer.derivedId("raw-1", 3);
    assertEquals(id, java.util.UUID.fromString(id).toString());
    assertEquals(id, SegmentNormalizer.derivedId("raw-1", 3));
    assertNotEquals(id, SegmentNormalizer.derivedId("raw-1", 4));
  }

  // --- times ---

  @Test
  void clockSkewWithBatchSentAt() {
    // client clock is about 2h behind: sent 5s after the event, received at 12:00:10
    String body = "{\"sentAt\":\"2024-03-05T10:00:05Z\",\"batch\":["
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2024-03-05T10:00:00Z\"}]}";
    CanonicalEvent e = normalize(raw("/v1/batch", body)).get(0);
    assertEquals(Instant.parse("2024-03-05T10:00:05Z"), e.sentAt());
    assertEquals(Instant.parse("2024-03-05T10:00:00Z"), e.originalTimestamp());
    assertEquals(Instant.parse("2024-03-05T12:00:05Z"), e.eventTime());
    assertEquals(RECEIVED, e.receivedAt());
  }

  @Test
  void clockSkewWithPerMessageSentAtOverridingBatch() {
    String body = "{\"sentAt\":\"2024-03-05T10:00:05Z\",\"batch\":["
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2024-03-05T10:00:00Z\","
        + "\"sentAt\":\"2024-03-05T10:00:01.500Z\"},"
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2024-03-05T10:00:00Z\"}]}";
    List<CanonicalEvent> events = normalize(raw("/v1/batch", body));
    assertEquals(Instant.parse("2024-03-05T10:00:01.500Z"), events.get(0).sentAt());
    assertEquals(Instant.parse("2024-03-05T12:00:08.500Z"), events.get(0).eventTime());
    assertEquals(Instant.parse("2024-03-05T12:00:05Z"), events.get(1).eventTime());
  }

  @Test
  void clockSkewOnSingleEventWithOffsetsAndClockAhead() {
    // client clock 1h ahead, offsets in the strings
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2024-03-05T14:00:00+01:00\","
        + "\"sentAt\":\"2024-03-05 13:00:30Z\"}");
    assertEquals(Instant.parse("2024-03-05T13:00:00Z"), e.originalTimestamp());
    assertEquals(RECEIVED.minusSeconds(30), e.eventTime());
  }

  @Test
  void originalTimestampFieldUsedWhenTimestampMissing() {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"originalTimestamp\":\"2024-03-05T10:00:00Z\","
        + "\"sentAt\":\"2024-03-05T10:00:02Z\"}");
    assertEquals(Instant.parse("2024-03-05T10:00:00Z"), e.originalTimestamp());
    assertEquals(RECEIVED.minusSeconds(2), e.eventTime());
  }

  @Test
  void numericEpochTimestamps() {
    long ts = Instant.parse("2024-03-05T10:00:00Z").toEpochMilli();
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":" + ts
        + ",\"sentAt\":" + (ts / 1000 + 3) + "}");
    assertEquals(Instant.ofEpochMilli(ts), e.originalTimestamp());
    assertEquals(Instant.ofEpochMilli(ts + 3000), e.sentAt());
    assertEquals(RECEIVED.minusSeconds(3), e.eventTime());
  }

  @Test
  void noSentAtMeansEventTimeIsOriginalTimestamp() {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2024-03-05T10:00:00Z\"}");
    assertNull(e.sentAt());
    assertEquals(Instant.parse("2024-03-05T10:00:00Z"), e.eventTime());
    CanonicalEvent bad = track("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2024-03-05T10:00:00Z\","
        + "\"sentAt\":\"garbage\"}");
    assertNull(bad.sentAt());
    assertEquals(Instant.parse("2024-03-05T10:00:00Z"), bad.eventTime());
  }

  @Test
  void noTimestampMeansEventTimeIsReceivedAt() {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"sentAt\":\"2024-03-05T10:00:00Z\"}");
    assertNull(e.originalTimestamp());
    assertEquals(RECEIVED, e.eventTime());
    CanonicalEvent bad = track("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"not a time\"}");
    assertNull(bad.originalTimestamp());
    assertEquals(RECEIVED, bad.eventTime());
    CanonicalEvent obj = track("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":{\"t\":1}}");
    assertEquals(RECEIVED, obj.eventTime());
  }

  @Test
  void eventTimeRule() {
    Instant received = Instant.parse("2024-01-01T00:00:10Z");
    Instant sent = Instant.parse("2023-12-31T23:00:05Z");
    Instant original = Instant.parse("2023-12-31T23:00:00Z");
    assertEquals(Instant.parse("2024-01-01T00:00:05Z"), SegmentNormalizer.eventTime(received, sent, original));
    assertEquals(original, SegmentNormalizer.eventTime(received, null, original));
    assertEquals(received, SegmentNormalizer.eventTime(received, sent, null));
    assertEquals(received, SegmentNormalizer.eventTime(received, null, null));
  }

  // --- context ---

  @Test
  void contextIpFilledFromRawWhenMissing() throws Exception {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"context\":{\"locale\":\"en\"}}");
    assertEquals(RAW_IP, e.ip());
    assertEquals(RAW_IP, tree(e.context()).get("ip").asText());
    CanonicalEvent nullIp = track("{\"userId\":\"u\",\"event\":\"E\",\"context\":{\"ip\":null}}");
    assertEquals(RAW_IP, nullIp.ip());
    CanonicalEvent noContext = track("{\"userId\":\"u\",\"event\":\"E\"}");
    assertEquals(RAW_IP, noContext.ip());
  }

  @Test
  void contextIpKeptWhenPresent() throws Exception {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"context\":{\"ip\":\"10.0.0.9\"}}");
    assertEquals("10.0.0.9", e.ip());
    assertEquals("10.0.0.9", tree(e.context()).get("ip").asText());
  }

  @Test
  void noIpAnywhere() {
    RawRecord r = new RawRecord("r", "s", "segment", "/v1/t", RECEIVED, null, null, null,
        "{\"userId\":\"u\",\"event\":\"E\"}".getBytes(StandardCharsets.UTF_8));
    CanonicalEvent e = normalize(r).get(0);
    assertNull(e.ip());
    assertNull(e.userAgent());
    assertEquals("{}", e.context());
  }

  @Test
  void rawIpDoesNotLeakBetweenBatchMessages() {
    String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"context\":{\"ip\":\"10.0.0.9\"}},"
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}";
    List<CanonicalEvent> events = normalize(raw("/v1/batch", body));
    assertEquals("10.0.0.9", events.get(0).ip());
    assertEquals(RAW_IP, events.get(1).ip());
  }

  @Test
  void userAgentFromContextElseRaw() {
    assertEquals("CtxUA/2", track("{\"userId\":\"u\",\"event\":\"E\",\"context\":{\"userAgent\":\"CtxUA/2\"}}")
        .userAgent());
    assertEquals(RAW_UA, track("{\"userId\":\"u\",\"event\":\"E\",\"context\":{}}").userAgent());
    assertEquals(RAW_UA, track("{\"userId\":\"u\",\"event\":\"E\"}").userAgent());
  }

  @Test
  void pageFieldsFromContextPage() {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"context\":{\"page\":{"
        + "\"url\":\"https://ex.com/a?b=1\",\"path\":\"/a\",\"referrer\":\"https://google.com/\","
        + "\"title\":\"A page\"}}}");
    assertEquals("https://ex.com/a?b=1", e.pageUrl());
    assertEquals("/a", e.pagePath());
    assertEquals("https://google.com/", e.pageReferrer());
    assertEquals("A page", e.pageTitle());
  }

  @Test
  void pageEventFallsBackToProperties() {
    CanonicalEvent e = single("/v1/page", "{\"userId\":\"u\",\"name\":\"Home\",\"properties\":{"
        + "\"url\":\"https://ex.com/\",\"path\":\"/\",\"referrer\":\"https://ref/\",\"title\":\"Home\"}}");
    assertEquals("https://ex.com/", e.pageUrl());
    assertEquals("/", e.pagePath());
    assertEquals("https://ref/", e.pageReferrer());
    assertEquals("Home", e.pageTitle());
  }

  @Test
  void contextPageWinsOverPropertiesPerField() {
    CanonicalEvent e = single("/v1/p", "{\"userId\":\"u\",\"context\":{\"page\":{\"url\":\"ctx-url\"}},"
        + "\"properties\":{\"url\":\"prop-url\",\"path\":\"prop-path\"}}");
    assertEquals("ctx-url", e.pageUrl());
    assertEquals("prop-path", e.pagePath());
    assertNull(e.pageReferrer());
    assertNull(e.pageTitle());
  }

  @Test
  void libraryNameAndVersion() {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"context\":{\"library\":"
        + "{\"name\":\"analytics.js\",\"version\":\"4.1.0\"}}}");
    assertEquals("analytics.js", e.libraryName());
    assertEquals("4.1.0", e.libraryVersion());
    CanonicalEvent none = track("{\"userId\":\"u\",\"event\":\"E\"}");
    assertNull(none.libraryName());
    assertNull(none.libraryVersion());
  }

  @Test
  void batchContextMergedUnderMessageContext() throws Exception {
    String body = "{\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.4\"},"
        + "\"locale\":\"en-US\",\"ip\":\"10.1.1.1\"},\"batch\":["
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"context\":{\"locale\":\"fr-FR\",\"app\":{\"v\":1}}},"
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"context\":{\"library\":{\"name\":\"mine\"}}},"
        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}";
    List<CanonicalEvent> events = normalize(raw("/v1/batch", body));

    JsonNode c0 = tree(events.get(0).context());
    assertEquals("fr-FR", c0.get("locale").asText());
    assertEquals(1, c0.get("app").get("v").asInt());
    assertEquals("analytics-java", events.get(0).libraryName());
    assertEquals("3.5.4", events.get(0).libraryVersion());
    assertEquals("10.1.1.1", events.get(0).ip());

    assertEquals("mine", events.get(1).libraryName());
    assertNull(events.get(1).libraryVersion(), "message context replaces the batch value, no deep merge");
    assertEquals("en-US", tree(events.get(1).context()).get("locale").asText());

    JsonNode c2 = tree(events.get(2).context());
    assertEquals("en-US", c2.get("locale").asText());
    assertFalse(c2.has("app"));
  }

  @Test
  void jsonFieldsAreCompactStrings() throws Exception {
    String body = "{ \"userId\" : \"u\",\n \"event\" : \"E\",\n"
        + " \"properties\" : { \"a\" : 1 ,\n \"b\" : [ 1 , 2 ] , \"s\" : \"x y\" },\n"
        + " \"traits\" : { \"t\" : true },\n"
        + " \"context\" : { \"locale\" : \"en\" } }";
    CanonicalEvent e = track(body);
    assertEquals("{\"a\":1,\"b\":[1,2],\"s\":\"x y\"}", e.properties());
    assertEquals("{\"t\":true}", e.traits());
    assertEquals("{\"locale\":\"en\",\"ip\":\"" + RAW_IP + "\"}", e.context());
    assertEquals(tree("{\"locale\":\"en\",\"ip\":\"" + RAW_IP + "\"}"), tree(e.context()));
  }

  @Test
  void absentOrNullJsonFieldsAreNull() {
    CanonicalEvent e = track("{\"userId\":\"u\",\"event\":\"E\",\"properties\":null}");
    assertNull(e.properties());
    assertNull(e.traits());
  }

  // --- invalid input ---

  @Test
  void invalidBodyThrowsBadRequest() {
    assertBadRequest(raw("/v1/track", "{not json"), "invalid JSON");
    assertBadRequest(raw("/v1/track", "{\"userId\":\"u\""), "invalid JSON");
    assertBadRequest(raw("/v1/track", "[1,2]"), "not a JSON object");
    assertBadRequest(raw("/v1/track", ""), "not a JSON object");
    assertBadRequest(raw("/v1/batch", "{}"), "'batch'");
    assertBadRequest(raw("/v1/batch", "{\"batch\":{}}"), "'batch'");
    assertBadRequest(raw("/v1/batch", "{\"batch\":[1]}"), "batch[0]");
    assertBadRequest(raw("/v1/batch", "{\"batch\":[{\"type\":\"track\"},{\"type\":\"nope\"}]}"), "batch[1]");
    assertBadRequest(raw("/v1/batch", "{\"batch\":[{\"userId\":\"u\"}]}"), "batch[0]");
  }

  @Test
  void invalidUtf8BodyThrowsBadRequest() {
    RawRecord r = new RawRecord("bad-utf8", "web", "segment", "/v1/t", RECEIVED, null, null, null,
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'});
    assertThrows(BadRequestException.class, () -> SegmentNormalizer.normalize(r));
  }
}
