package io.tributary.enrich;

import static io.tributary.core.EventField.*;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.RawRecord;
import java.net.URLEncoder;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SnowplowAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant RECEIVED = Instant.parse("2024-05-02T12:00:05.000Z");
  private static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  private static final String IGLU = "/com.snowplowanalytics.iglu/v1";
  private static final String CHROME_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
      + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
  private static final String SP_COOKIE = "c6ef3124-b53a-4b13-a233-0088f79dcbcb";
  private static final String PAYLOAD_DATA =
      "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";
  private static final String WEB_PAGE_CONTEXT = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/"
      + "web_page/jsonschema/1-0-0\",\"data\":{\"id\":\"a86c42e5-b831-45c8-b706-e214c26b4b3d\"}}";
  private static final String CLIENT_SESSION_CONTEXT = "{\"schema\":\"iglu:com.snowplowanalytics."
      + "snowplow/client_session/jsonschema/1-0-2\",\"data\":{\"userId\":\"u-1\",\"sessionId\":"
      + "\"0a4f1a2e-3a5e-4c2b-9f7e-6e0f0a1b2c3d\",\"sessionIndex\":3,\"storageMechanism\":\"COOKIE_1\","
      + "\"note\":\"???>>>???>>>~~~\"}}";
  private static final String CONTEXTS_JSON = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/"
      + "contexts/jsonschema/1-0-0\",\"data\":[" + WEB_PAGE_CONTEXT + "," + CLIENT_SESSION_CONTEXT + "]}";
  private static final String LINK_CLICK = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/"
      + "unstruct_event/jsonschema/1-0-0\",\"data\":{\"schema\":\"iglu:com.snowplowanalytics.snowplow/"
      + "link_click/jsonschema/1-0-1\",\"data\":{\"targetUrl\":\"https://example.com/?q=>>>???\","
      + "\"elementId\":\"cta\"}}}";

  private final SnowplowAdapter adapter = new SnowplowAdapter();

  // ---- Records as the collector stores them ---------------------------------------------------

  private static RawRecord get(String path, String query) {
    return new RawRecord("raw-1", "web", "snowplow", path, RECEIVED, "203.0.113.9", CHROME_UA, null,
        new byte[0], query, Map.of("referer", "https://www.example.com/blog"), SP_COOKIE, null);
  }

  private static RawRecord post(String path, String query, String contentType, String body) {
    return new RawRecord("raw-2", "web", "snowplow", path, RECEIVED, "203.0.113.9", CHROME_UA,
        contentType, body.getBytes(UTF_8), query, Map.of(), SP_COOKIE, null);
  }

  private static RawRecord tp2(String... events) {
    return post(TP2, null, "application/json; charset=UTF-8",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[" + String.join(",", events) + "]}");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, UTF_8);
  }

  private static String b64(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(UTF_8));
  }

  private static String b64url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
  }

  private EnrichedEvent single(RawRecord raw) {
    AdapterResult result = adapter.adapt(raw);
    assertThat(result.failures()).isEmpty();
    assertThat(result.events()).hasSize(1);
    return result.events().get(0);
  }

  private Failure onlyFailure(RawRecord raw) {
    AdapterResult result = adapter.adapt(raw);
    assertThat(result.events()).isEmpty();
    assertThat(result.failures()).hasSize(1);
    return result.failures().get(0);
  }

  // ---- Tracker protocol over GET --------------------------------------------------------------

  /** A page view as the JavaScript tracker v3 sends it by GET (encodeBase64 on: cx URL-safe). */
  private static String jsPageViewQuery() {
    return "e=pv&url=" + enc("https://www.example.com/blog?utm_source=news&x=1")
        + "&page=" + enc("My Blog – Home") + "&refr=" + enc("https://www.google.com/")
        + "&tv=js-3.23.0&tna=sp1&aid=website&p=web&tz=Europe%2FLondon&lang=en-GB&cs=UTF-8"
        + "&f_pdf=1&cd=24&cookie=1&eid=8d4b6f29-4a8a-4b7e-9a43-2f1c3b1e7a11"
        + "&res=1920x1080&vp=1280x720&ds=1265x4000&vid=3"
        + "&sid=0a4f1a2e-3a5e-4c2b-9f7e-6e0f0a1b2c3d&duid=5f2b2b1e-9d6a-4d43-8f0b-2f7e5c6d1a90"
        + "&dtm=1714651200123&stm=1714651200623&cx=" + b64url(CONTEXTS_JSON) + "&zz_unknown=whatever";
  }

  @Test
  void pageViewFromTheJavaScriptTrackerByGet() {
    EnrichedEvent ev = single(get("/i", jsPageViewQuery()));

    assertThat(ev.string(EVENT_TYPE)).isEqualTo("page_view");
    assertThat(ev.string(EVENT_NAME)).isEqualTo("page_view");
    assertThat(ev.string(EVENT_SCHEMA)).isNull();
    assertThat(ev.eventId()).isEqualTo("8d4b6f29-4a8a-4b7e-9a43-2f1c3b1e7a11");
    assertThat(ev.string(SOURCE)).isEqualTo("web");
    assertThat(ev.string(PROTOCOL)).isEqualTo("snowplow");
    assertThat(ev.string(RAW_ID)).isEqualTo("raw-1");
    assertThat(ev.string(APP_ID)).isEqualTo("website");
    assertThat(ev.string(PLATFORM)).isEqualTo("web");
    assertThat(ev.string(TRACKER)).isEqualTo("js-3.23.0");
    assertThat(ev.string(DOMAIN_USERID)).isEqualTo("5f2b2b1e-9d6a-4d43-8f0b-2f7e5c6d1a90");
    assertThat(ev.string(DOMAIN_SESSIONID)).isEqualTo("0a4f1a2e-3a5e-4c2b-9f7e-6e0f0a1b2c3d");
    assertThat(ev.get(DOMAIN_SESSIONIDX)).isEqualTo(3);
    assertThat(ev.string(NETWORK_USERID)).isEqualTo(SP_COOKIE);
    assertThat(ev.string(PAGE_URL)).isEqualTo("https://www.example.com/blog?utm_source=news&x=1");
    assertThat(ev.string(PAGE_TITLE)).isEqualTo("My Blog – Home");
    assertThat(ev.string(PAGE_REFERRER)).isEqualTo("https://www.google.com/");
    assertThat(ev.get(DVCE_SCREENWIDTH)).isEqualTo(1920);
    assertThat(ev.get(DVCE_SCREENHEIGHT)).isEqualTo(1080);
    assertThat(ev.get(BR_VIEWWIDTH)).isEqualTo(1280);
    assertThat(ev.get(BR_VIEWHEIGHT)).isEqualTo(720);
    assertThat(ev.string(BR_LANG)).isEqualTo("en-GB");
    assertThat(ev.string(OS_TIMEZONE)).isEqualTo("Europe/London");
    assertThat(ev.string(IP)).isEqualTo("203.0.113.9");
    assertThat(ev.string(USER_AGENT)).isEqualTo(CHROME_UA);
    assertThat(ev.timestamp(RECEIVED_AT)).isEqualTo(RECEIVED);
    assertThat(ev.timestamp(ORIGINAL_TIMESTAMP)).isEqualTo(Instant.ofEpochMilli(1714651200123L));
    assertThat(ev.timestamp(SENT_AT)).isEqualTo(Instant.ofEpochMilli(1714651200623L));
    assertThat(ev.timestamp(EVENT_TIME)).isEqualTo(RECEIVED.minusMillis(500));
    JsonNode contexts = ev.json(CONTEXTS);
    assertThat(contexts.isArray()).isTrue();
    assertThat(contexts).hasSize(2);
    assertThat(contexts.get(0).get("schema").asText()).endsWith("/web_page/jsonschema/1-0-0");
    assertThat(contexts.get(1).at("/data/sessionIndex").asInt()).isEqualTo(3);
    assertThat(ev.has(UNSTRUCT_EVENT)).isFalse();
    assertThat(ev.has(MKT_SOURCE)).as("utm_* are the campaign enrichment's job").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/i", "/ice.png", "/com.snowplowanalytics.snowplow/tp1", TP2})
  void everyGetPathReadsTheQuerystring(String path) {
    EnrichedEvent ev = single(get(path, jsPageViewQuery()));
    assertThat(ev.string(EVENT_TYPE)).isEqualTo("page_view");
    assertThat(ev.json(CONTEXTS)).hasSize(2);
  }

  @Test
  void aConfiguredCustomPathStandsForTheStandardOne() {
    SnowplowAdapter custom = new SnowplowAdapter(Map.of("/com.acme/track", TP2));
    AdapterResult result = custom.adapt(get("/com.acme/track", jsPageViewQuery()));
    assertThat(result.failures()).isEmpty();
    assertThat(result.events()).hasSize(1);
    assertThat(adapter.adapt(get("/com.acme/track", jsPageViewQuery())).failures())
        .singleElement()
        .satisfies(f -> assertThat(f.type()).isEqualTo(BadRowType.ADAPTER_FAILURE));
  }

  @Test
  void querystringDecodingIsUtf8WithPlusAsSpaceAndKeepsBadEscapes() {
    EnrichedEvent ev = single(get("/i",
        "e=se&tv=js-3.0.0&p=web&se_ca=Video+Player&se_ac=play%20%E2%96%B6&se_la=100%&se_pr=a%zzb"
            + "&se_la=50%25&novalue&=orphan"));
    assertThat(ev.string(SE_CATEGORY)).isEqualTo("Video Player");
    assertThat(ev.string(SE_ACTION)).isEqualTo("play ▶");
    assertThat(ev.string(SE_LABEL)).as("last value wins").isEqualTo("50%");
    assertThat(ev.string(SE_PROPERTY)).isEqualTo("a%zzb");
  }

  @Test
  void emptyQuerystringOnGetIsAViolation() {
    Failure f = onlyFailure(get("/i", null));
    assertThat(f.type()).isEqualTo(BadRowType.TRACKER_PROTOCOL_VIOLATION);
    assertThat(f.message()).contains("empty querystring");
    assertThat(onlyFailure(get(TP2, "")).message()).contains("empty body and empty querystring");
  }

  // ---- Tracker protocol over POST -------------------------------------------------------------

  /** Three events as the Java tracker batches them: page view, structured, self-describing. */
  @Test
  void postWithPageViewStructuredAndSelfDescribingEvents() {
    String pageView = "{\"e\":\"pv\",\"url\":\"https://shop.example.com/cart\",\"page\":\"Cart\","
        + "\"refr\":\"https://shop.example.com/\",\"tv\":\"java-1.0.1\",\"p\":\"srv\",\"aid\":\"shop\","
        + "\"uid\":\"user-42\",\"eid\":\"3d2d0b1c-2b8a-4c1e-8a9b-0c1d2e3f4a5b\","
        + "\"dtm\":\"1714651200000\",\"stm\":\"1714651204000\"}";
    String struct = "{\"e\":\"se\",\"se_ca\":\"checkout\",\"se_ac\":\"add\",\"se_la\":\"sku-1\","
        + "\"se_pr\":\"qty\",\"se_va\":\"2.5\",\"tv\":\"java-1.0.1\",\"p\":\"srv\",\"aid\":\"shop\","
        + "\"eid\":\"4e3e1c2d-3c9b-4d2f-9bac-1d2e3f4a5b6c\",\"dtm\":\"1714651201000\","
        + "\"stm\":\"1714651204000\"}";
    String selfDescribing = "{\"e\":\"ue\",\"ue_px\":\"" + b64(LINK_CLICK) + "\",\"cx\":\""
        + b64(CONTEXTS_JSON) + "\",\"tv\":\"java-1.0.1\",\"p\":\"srv\",\"aid\":\"shop\","
        + "\"dtm\":\"1714651202000\",\"stm\":\"1714651204000\",\"ttm\":\"1714651202500\"}";

    AdapterResult result = adapter.adapt(tp2(pageView, struct, selfDescribing));

    assertThat(result.failures()).isEmpty();
    assertThat(result.events()).hasSize(3);
    EnrichedEvent pv = result.events().get(0);
    EnrichedEvent se = result.events().get(1);
    EnrichedEvent ue = result.events().get(2);
    assertThat(pv.string(EVENT_TYPE)).isEqualTo("page_view");
    assertThat(pv.string(USER_ID)).isEqualTo("user-42");
    assertThat(pv.string(PAGE_URL)).isEqualTo("https://shop.example.com/cart");
    assertThat(pv.string(RAW_ID)).isEqualTo("raw-2");
    assertThat(pv.timestamp(EVENT_TIME)).isEqualTo(RECEIVED.minusSeconds(4));

    assertThat(se.string(EVENT_TYPE)).isEqualTo("struct");
    assertThat(se.string(EVENT_NAME)).isEqualTo("event");
    assertThat(se.string(SE_CATEGORY)).isEqualTo("checkout");
    assertThat(se.string(SE_ACTION)).isEqualTo("add");
    assertThat(se.string(SE_LABEL)).isEqualTo("sku-1");
    assertThat(se.string(SE_PROPERTY)).isEqualTo("qty");
    assertThat(se.get(SE_VALUE)).isEqualTo(2.5);
    assertThat(se.eventId()).isEqualTo("4e3e1c2d-3c9b-4d2f-9bac-1d2e3f4a5b6c");

    assertThat(ue.string(EVENT_TYPE)).isEqualTo("unstruct");
    assertThat(ue.string(EVENT_NAME)).isEqualTo("link_click");
    assertThat(ue.string(EVENT_SCHEMA))
        .isEqualTo("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1");
    assertThat(ue.json(UNSTRUCT_EVENT).get("schema").asText()).isEqualTo(ue.string(EVENT_SCHEMA));
    assertThat(ue.json(UNSTRUCT_EVENT).at("/data/elementId").asText()).isEqualTo("cta");
    assertThat(ue.json(CONTEXTS)).hasSize(2);
    assertThat(ue.timestamp(TRUE_TIMESTAMP)).isEqualTo(Instant.ofEpochMilli(1714651202500L));
    assertThat(ue.timestamp(EVENT_TIME)).as("ttm wins").isEqualTo(ue.timestamp(TRUE_TIMESTAMP));
    assertThat(ue.eventId()).as("no eid: derived from the record id and position")
        .isEqualTo(UUID.nameUUIDFromBytes("raw-2/2".getBytes(UTF_8)).toString());
  }

  @Test
  void oneBrokenEventDoesNotTakeItsNeighboursDown() {
    AdapterResult result = adapter.adapt(tp2(
        "{\"e\":\"pv\",\"tv\":\"js-3\",\"p\":\"web\",\"eid\":\"a\"}",
        "{\"e\":\"pv\",\"tv\":\"js-3\",\"p\":\"web\",\"eid\":\"b\",\"vid\":\"three\"}",
        "{\"e\":\"pp\",\"tv\":\"js-3\",\"p\":\"web\",\"eid\":\"c\",\"pp_mix\":\"0\",\"pp_may\":\"840\"}"));

    assertThat(result.events()).extracting(EnrichedEvent::eventId).containsExactly("a", "c");
    assertThat(result.events().get(1).string(EVENT_TYPE)).isEqualTo("page_ping");
    assertThat(result.failures()).singleElement().satisfies(f -> {
      assertThat(f.type()).isEqualTo(BadRowType.TRACKER_PROTOCOL_VIOLATION);
      assertThat(f.message()).contains("data[1]").contains("vid").contains("three");
    });
  }

  @Test
  void everyProblemOfADroppedEventIsListedInItsOneFailure() {
    AdapterResult result = adapter.adapt(tp2(
        "{\"e\":\"pv\",\"tv\":\"js-3\",\"p\":\"web\",\"dtm\":\"soon\",\"res\":\"big\",\"co\":\"{\"}"));
    assertThat(result.events()).isEmpty();
    assertThat(result.failures()).singleElement().satisfies(f -> assertThat(f.message())
        .startsWith("data[0] dtm: \"soon\" is not a timestamp in ms since epoch; res: \"big\"")
        .contains("; co: not valid JSON"));
  }

  @Test
  void querystringParametersOverrideThoseInThePostBody() {
    RawRecord raw = post(TP2, "aid=from-query", "application/json",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":\"pv\",\"aid\":\"from-body\"}]}");
    assertThat(single(raw).string(APP_ID)).isEqualTo("from-query");
  }

  @Test
  void scalarValuesThatAreNotStringsAreReadAsTextButContainersAreViolations() {
    AdapterResult result = adapter.adapt(tp2(
        "{\"e\":\"pv\",\"vid\":4,\"se_va\":1.5,\"uid\":null}",
        "{\"e\":\"pv\",\"page\":{\"title\":\"x\"}}"));
    assertThat(result.events()).singleElement().satisfies(ev -> {
      assertThat(ev.get(DOMAIN_SESSIONIDX)).isEqualTo(4);
      assertThat(ev.get(SE_VALUE)).isEqualTo(1.5);
      assertThat(ev.has(USER_ID)).isFalse();
    });
    assertThat(result.failures()).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("data[1]").contains("page"));
  }

  @Test
  void emptyDataArrayMakesNoEventsAndNoFailures() {
    AdapterResult result = adapter.adapt(tp2());
    assertThat(result.events()).isEmpty();
    assertThat(result.failures()).isEmpty();
  }

  static Stream<Arguments> brokenBodies() {
    return Stream.of(
        Arguments.of("{\"schema\":", "not valid JSON"),
        Arguments.of("[{\"e\":\"pv\"}]", "not a self-describing JSON"),
        Arguments.of("{\"data\":[{\"e\":\"pv\"}]}", "not a self-describing JSON"),
        Arguments.of("{\"schema\":\"" + PAYLOAD_DATA + "\"}", "not a self-describing JSON"),
        Arguments.of("{\"schema\":\"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/2-0-0\","
            + "\"data\":[]}", "payload_data/jsonschema/2-0-0"),
        Arguments.of("{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0\","
            + "\"data\":[]}", "is not iglu:com.snowplowanalytics.snowplow/payload_data"),
        Arguments.of("{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":{\"e\":\"pv\"}}", "not an array"),
        Arguments.of("{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[]} trailing", "not valid JSON"));
  }

  @ParameterizedTest
  @MethodSource("brokenBodies")
  void brokenBodiesAreProtocolViolations(String body, String expected) {
    Failure f = onlyFailure(post(TP2, null, "application/json", body));
    assertThat(f.type()).isEqualTo(BadRowType.TRACKER_PROTOCOL_VIOLATION);
    assertThat(f.message()).contains(expected);
  }

  @Test
  void anElementThatIsNotAnObjectFailsAlone() {
    AdapterResult result = adapter.adapt(tp2("\"e=pv\"", "{\"e\":\"pv\"}"));
    assertThat(result.events()).hasSize(1);
    assertThat(result.failures()).singleElement()
        .satisfies(f -> assertThat(f.message()).isEqualTo("data[0] is not an object of parameters"));
  }

  // ---- Base64 ---------------------------------------------------------------------------------

  static Stream<Arguments> base64Variants() {
    Function<String, String> standardPadded = SnowplowAdapterTest::b64;
    Function<String, String> urlUnpadded = SnowplowAdapterTest::b64url;
    Function<String, String> urlPadded =
        s -> Base64.getUrlEncoder().encodeToString(s.getBytes(UTF_8));
    Function<String, String> standardUnpadded =
        s -> Base64.getEncoder().withoutPadding().encodeToString(s.getBytes(UTF_8));
    Function<String, String> mime = s -> Base64.getMimeEncoder().encodeToString(s.getBytes(UTF_8));
    return Stream.of(
        Arguments.of("standard, padded", standardPadded),
        Arguments.of("URL-safe, unpadded", urlUnpadded),
        Arguments.of("URL-safe, padded", urlPadded),
        Arguments.of("standard, unpadded", standardUnpadded),
        Arguments.of("MIME, with line breaks", mime));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("base64Variants")
  void base64InEveryAlphabetAndPadding(String name, Function<String, String> encoder) {
    String cx = encoder.apply(CONTEXTS_JSON);
    String uePx = encoder.apply(LINK_CLICK);
    assertThat(cx + uePx).as("payloads exercise the alphabet-specific characters")
        .containsAnyOf("+", "-").containsAnyOf("/", "_");
    RawRecord raw = tp2("{\"e\":\"ue\",\"tv\":\"js-3\",\"p\":\"web\",\"cx\":"
        + JSON.valueToTree(cx) + ",\"ue_px\":" + JSON.valueToTree(uePx) + "}");
    EnrichedEvent ev = single(raw);
    assertThat(ev.json(CONTEXTS)).hasSize(2);
    assertThat(ev.string(EVENT_NAME)).isEqualTo("link_click");
  }

  @Test
  void base64DecodesAsTheCharacterByCharacterDecoderDid() {
    java.util.Random random = new java.util.Random(3);
    List<String> inputs = new java.util.ArrayList<>(List.of("", "=", "==", "A", "AB", "ABC", "ABCD",
        "AB==", "ABC=", "A===", "AB=C", "ABCD\n", "\nABCD", "AB\r\nCD", "AB CD", "ABé=", "AB!D"));
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n\r\t!é";
    for (int i = 0; i < 20_000; i++) {
      // Long ones too: the JDK's decoder, used for clean input, has a vectorised path for them.
      byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 40 : 400)];
      random.nextBytes(bytes);
      String encoded = (random.nextBoolean() ? Base64.getEncoder() : Base64.getUrlEncoder())
          .encodeToString(bytes);
      StringBuilder text = new StringBuilder(random.nextBoolean() ? encoded : encoded.replace("=", ""));
      for (int k = random.nextInt(4) - 1; k > 0 && text.length() > 0; k--) {
        text.setCharAt(random.nextInt(text.length()), chars.charAt(random.nextInt(chars.length())));
      }
      inputs.add(text.toString());
    }
    for (String input : inputs) {
      String expected = outcome(() -> referenceBase64(input));
      assertThat(outcome(() -> SnowplowAdapter.Base64Lenient.decode(input))).as(input).isEqualTo(expected);
      assertThat(outcome(() -> SnowplowAdapter.Base64Lenient.lenient(input))).as(input).isEqualTo(expected);
    }
  }

  private static String outcome(java.util.function.Supplier<byte[]> decode) {
    try {
      return HexFormat.of().formatHex(decode.get());
    } catch (IllegalArgumentException e) {
      return "error: " + e.getMessage();
    }
  }

  // Base64Lenient.decode as it was, one character at a time.
  private static byte[] referenceBase64(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    int end = s.length();
    while (end > 0 && "=\r\n\t".indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      int d = alphabet.indexOf(c);
      if (c == '\r' || c == '\n' || c == '\t') {
        continue;
      }
      if (c == '+' || c == '-' || c == ' ') {
        d = 62;
      } else if (c == '/' || c == '_') {
        d = 63;
      } else if (d < 0) {
        throw new IllegalArgumentException("illegal character '" + c + "' at index " + i);
      }
      buffer = (buffer << 6) | d;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.write(buffer >> bits);
        buffer &= (1 << bits) - 1;
      }
    }
    if (bits == 6) {
      throw new IllegalArgumentException("truncated: the last block has a single character");
    }
    return out.toByteArray();
  }

  @Test
  void base64ThatMixesBothAlphabetsDecodes() {
    String standard = b64(CONTEXTS_JSON);
    int plus = standard.indexOf('+');
    int slash = standard.indexOf('/');
    assertThat(plus).isNotNegative();
    assertThat(slash).isNotNegative();
    char[] mixed = standard.toCharArray();
    mixed[plus] = '-';
    String cx = new String(mixed).replace("=", "");
    assertThat(cx).contains("-").contains("/");
    EnrichedEvent ev = single(get("/i", "e=pv&cx=" + enc(cx)));
    assertThat(ev.json(CONTEXTS)).hasSize(2);
  }

  @Test
  void standardBase64WithAnUnescapedPlusInAGetStillDecodes() {
    String cx = b64(CONTEXTS_JSON);
    assertThat(cx).contains("+");
    // A tracker that does not escape '+' in the querystring: it arrives as a space.
    EnrichedEvent ev = single(get("/i", "e=pv&cx=" + cx.replace("/", "%2F").replace("=", "%3D")));
    assertThat(ev.json(CONTEXTS)).hasSize(2);
  }

  // ---- Failures in parameters -----------------------------------------------------------------

  static Stream<Arguments> brokenParameters() {
    String notSelfDescribing = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/"
        + "jsonschema/1-0-0\",\"data\":{\"targetUrl\":\"https://example.com\"}}";
    String badEntity = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1\","
        + "\"data\":[" + WEB_PAGE_CONTEXT + ",{\"schema\":\"web_page\",\"data\":{}}]}";
    return Stream.of(
        Arguments.of("tv=js-3", "e: missing"),
        Arguments.of("e=xx", "e: \"xx\" is not an event type"),
        Arguments.of("e=ad", "e: \"ad\" is not an event type"),
        Arguments.of("e=ue", "needs a ue_px or ue_pr"),
        Arguments.of("e=pv&vid=1.5", "vid: \"1.5\" is not an integer"),
        Arguments.of("e=pv&dtm=2024-05-02T12:00:00Z", "dtm: \"2024-05-02T12:00:00Z\" is not a timestamp"),
        Arguments.of("e=pv&stm=abc", "stm: \"abc\""),
        Arguments.of("e=pv&ttm=1.7e12", "ttm: \"1.7e12\""),
        Arguments.of("e=pv&ttm=999999999999999", "ttm: 999999999999999 ms since epoch is outside"),
        Arguments.of("e=se&se_va=NaN", "se_va: \"NaN\" is not a number"),
        Arguments.of("e=se&se_va=12abc", "se_va: \"12abc\" is not a number"),
        Arguments.of("e=pv&res=1920*1080", "res: \"1920*1080\""),
        Arguments.of("e=pv&vp=x720", "vp: \"x720\""),
        Arguments.of("e=pv&vp=99999999999x720", "vp: \"99999999999x720\""),
        Arguments.of("e=ue&ue_px=eyJzY2hlbWEi!!", "ue_px: invalid base64: illegal character '!'"),
        Arguments.of("e=ue&ue_px=eyJzY", "ue_px: invalid base64: truncated"),
        Arguments.of("e=pv&cx=%25%25", "cx: invalid base64"),
        Arguments.of("e=ue&ue_px=" + b64url("not json"), "ue_px: not valid JSON after base64"),
        Arguments.of("e=ue&ue_pr=" + enc("{\"schema\":"), "ue_pr: not valid JSON"),
        Arguments.of("e=pv&co=" + enc("[1,2]"), "co: not a self-describing JSON"),
        Arguments.of("e=pv&co=" + enc("{\"schema\":\"iglu:com.snowplowanalytics.snowplow/"
            + "unstruct_event/jsonschema/1-0-0\",\"data\":[]}"), "co: schema \"iglu:com.snowplowanalytics"
            + ".snowplow/unstruct_event/jsonschema/1-0-0\" is not iglu:com.snowplowanalytics.snowplow/"
            + "contexts/jsonschema/1-0-*"),
        Arguments.of("e=pv&co=" + enc("{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/"
            + "jsonschema/1-0-0\",\"data\":{}}"), "co: data is not an array"),
        Arguments.of("e=pv&cx=" + b64url(badEntity), "cx: data[1] is not a self-describing entity"),
        Arguments.of("e=ue&ue_pr=" + enc(CONTEXTS_JSON), "ue_pr: schema"),
        Arguments.of("e=ue&ue_pr=" + enc(notSelfDescribing), "ue_pr: data is not a self-describing event"));
  }

  @ParameterizedTest
  @MethodSource("brokenParameters")
  void brokenParametersDropTheEvent(String query, String expected) {
    Failure f = onlyFailure(get("/i", query));
    assertThat(f.type()).isEqualTo(BadRowType.TRACKER_PROTOCOL_VIOLATION);
    assertThat(f.message()).contains(expected);
  }

  @Test
  void plainJsonParametersAndLegacyNames() {
    EnrichedEvent ev = single(get("/i", "e=ue&ue_pr=" + enc(LINK_CLICK) + "&co=" + enc(CONTEXTS_JSON)));
    assertThat(ev.string(EVENT_SCHEMA)).endsWith("/link_click/jsonschema/1-0-1");
    assertThat(ev.json(CONTEXTS)).hasSize(2);

    EnrichedEvent legacy = single(get("/i", "e=ev&ev_ca=c&ev_ac=a&ev_va=3&se_ac=new"));
    assertThat(legacy.string(EVENT_TYPE)).isEqualTo("struct");
    assertThat(legacy.string(SE_CATEGORY)).isEqualTo("c");
    assertThat(legacy.string(SE_ACTION)).isEqualTo("new");
    assertThat(legacy.get(SE_VALUE)).isEqualTo(3.0);
  }

  @Test
  void emptyValuesCountAsAbsentAndTransactionParametersAreIgnored() {
    EnrichedEvent ev = single(get("/i", "e=tr&vid=&dtm=&uid=&tr_id=order-1&tr_tt=9.99&tr_cu=EUR"
        + "&ti_sk=sku&ti_qu=two"));
    assertThat(ev.string(EVENT_TYPE)).isEqualTo("transaction");
    assertThat(ev.string(EVENT_NAME)).isEqualTo("transaction");
    assertThat(ev.has(DOMAIN_SESSIONIDX)).isFalse();
    assertThat(ev.has(USER_ID)).isFalse();
    assertThat(ev.timestamp(EVENT_TIME)).isEqualTo(RECEIVED);
    assertThat(single(get("/i", "e=ti&ti_sk=sku")).string(EVENT_TYPE)).isEqualTo("transaction_item");
  }

  // ---- Identity, addresses, time --------------------------------------------------------------

  @Test
  void derivedEventIdsAreDeterministic() {
    RawRecord raw = tp2("{\"e\":\"pv\"}", "{\"e\":\"pv\"}", "{\"e\":\"pv\",\"eid\":\"  \"}");
    List<String> first = adapter.adapt(raw).events().stream().map(EnrichedEvent::eventId).toList();
    List<String> again = adapter.adapt(raw).events().stream().map(EnrichedEvent::eventId).toList();
    assertThat(first).isEqualTo(again).doesNotHaveDuplicates().containsExactly(
        UUID.nameUUIDFromBytes("raw-2/0".getBytes(UTF_8)).toString(),
        UUID.nameUUIDFromBytes("raw-2/1".getBytes(UTF_8)).toString(),
        UUID.nameUUIDFromBytes("raw-2/2".getBytes(UTF_8)).toString());
    assertThat(single(get("/i", "e=pv")).eventId())
        .isEqualTo(UUID.nameUUIDFromBytes("raw-1/0".getBytes(UTF_8)).toString());
  }

  @Test
  void anonymousTrackingWithoutIpCookieOrRefererWorks() {
    RawRecord raw = new RawRecord("raw-anon", "web", "snowplow", TP2, RECEIVED, null, CHROME_UA,
        "application/json", ("{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":\"pv\",\"tv\":"
            + "\"js-3.23.0\",\"p\":\"web\",\"url\":\"https://www.example.com/\"}]}").getBytes(UTF_8),
        null, Map.of(), null, null);
    EnrichedEvent ev = single(raw);
    assertThat(ev.has(IP)).isFalse();
    assertThat(ev.has(NETWORK_USERID)).isFalse();
    assertThat(ev.string(PAGE_URL)).isEqualTo("https://www.example.com/");
    assertThat(ev.string(USER_AGENT)).isEqualTo(CHROME_UA);
    assertThat(ev.timestamp(EVENT_TIME)).isEqualTo(RECEIVED);
  }

  @Test
  void trackerParametersOverrideWhatTheCollectorSaw() {
    EnrichedEvent ev = single(get("/i", "e=pv&ip=" + enc("198.51.100.7, 10.0.0.1")
        + "&ua=" + enc("MyApp/1.0 (iPhone)") + "&nuid=nuid-1&tnuid=tnuid-1"));
    assertThat(ev.string(IP)).isEqualTo("198.51.100.7");
    assertThat(ev.string(USER_AGENT)).isEqualTo("MyApp/1.0 (iPhone)");
    assertThat(ev.string(NETWORK_USERID)).isEqualTo("tnuid-1");
    assertThat(single(get("/i", "e=pv&nuid=nuid-1")).string(NETWORK_USERID)).isEqualTo("nuid-1");
  }

  @Test
  void refererHeaderIsThePageUrlWhenTheTrackerSentNoneAndNeverTheReferrer() {
    EnrichedEvent pixel = single(get("/i", "e=pv"));
    assertThat(pixel.string(PAGE_URL)).isEqualTo("https://www.example.com/blog");
    assertThat(pixel.has(PAGE_REFERRER)).isFalse();
    assertThat(single(get("/i", "e=pv&url=https%3A%2F%2Fa.example%2F")).string(PAGE_URL))
        .isEqualTo("https://a.example/");
  }

  @Test
  void eventTimeFollowsTrueThenSkewCorrectedThenCreatedThenReceived() {
    long dtm = RECEIVED.toEpochMilli() - 3_600_000; // device clock one hour behind
    String both = "e=pv&dtm=" + dtm + "&stm=" + (dtm + 2_000);
    assertThat(single(get("/i", both)).timestamp(EVENT_TIME)).isEqualTo(RECEIVED.minusSeconds(2));
    assertThat(single(get("/i", both + "&ttm=1714000000000")).timestamp(EVENT_TIME))
        .isEqualTo(Instant.ofEpochMilli(1714000000000L));
    assertThat(single(get("/i", "e=pv&dtm=" + dtm)).timestamp(EVENT_TIME))
        .isEqualTo(Instant.ofEpochMilli(dtm));
    assertThat(single(get("/i", "e=pv&stm=" + dtm)).timestamp(EVENT_TIME)).isEqualTo(RECEIVED);
  }

  // ---- Iglu webhook ---------------------------------------------------------------------------

  private static final String SCHEMA = "iglu:com.acme/order_shipped/jsonschema/1-0-0";

  @Test
  void igluWebhookByGet() {
    EnrichedEvent ev = single(get(IGLU, "schema=" + enc(SCHEMA)
        + "&orderId=o-17&carrier=UPS+Ground&aid=shop&nuid=n-9&p=srv"));
    assertThat(ev.string(EVENT_TYPE)).isEqualTo("unstruct");
    assertThat(ev.string(EVENT_SCHEMA)).isEqualTo(SCHEMA);
    assertThat(ev.string(EVENT_NAME)).isEqualTo("order_shipped");
    assertThat(ev.json(UNSTRUCT_EVENT).toString()).isEqualTo("{\"schema\":\"" + SCHEMA
        + "\",\"data\":{\"orderId\":\"o-17\",\"carrier\":\"UPS Ground\"}}");
    assertThat(ev.string(APP_ID)).isEqualTo("shop");
    assertThat(ev.string(NETWORK_USERID)).isEqualTo("n-9");
    assertThat(ev.string(PLATFORM)).isEqualTo("srv");
    assertThat(ev.string(TRACKER)).isEqualTo("com.snowplowanalytics.iglu-v1");
    assertThat(ev.eventId()).isEqualTo(UUID.nameUUIDFromBytes("raw-1/0".getBytes(UTF_8)).toString());
  }

  @Test
  void igluWebhookByPostWithJsonObjectArrayFormOrSelfDescribingBody() {
    EnrichedEvent json = single(post(IGLU, "schema=" + enc(SCHEMA) + "&eid=e-1", "application/json",
        "{\"orderId\":\"o-17\",\"items\":[{\"sku\":\"a\",\"qty\":2}]}"));
    assertThat(json.json(UNSTRUCT_EVENT).at("/data/items/0/qty").asInt()).isEqualTo(2);
    assertThat(json.string(PLATFORM)).isEqualTo("app");
    assertThat(json.eventId()).isEqualTo("e-1");

    AdapterResult array = adapter.adapt(post(IGLU, "schema=" + enc(SCHEMA), "application/json",
        "[{\"orderId\":\"o-1\"},{\"orderId\":\"o-2\"}]"));
    assertThat(array.failures()).isEmpty();
    assertThat(array.events()).extracting(e -> e.json(UNSTRUCT_EVENT).at("/data/orderId").asText())
        .containsExactly("o-1", "o-2");
    assertThat(array.events()).extracting(EnrichedEvent::eventId).doesNotHaveDuplicates();

    EnrichedEvent form = single(post(IGLU, "schema=" + enc(SCHEMA),
        "application/x-www-form-urlencoded; charset=UTF-8", "orderId=o-17&note=caf%C3%A9+au+lait"));
    assertThat(form.json(UNSTRUCT_EVENT).get("data").toString())
        .isEqualTo("{\"orderId\":\"o-17\",\"note\":\"café au lait\"}");
    assertThat(form.string(PLATFORM)).isEqualTo("srv");

    EnrichedEvent selfDescribing = single(post(IGLU, null, "application/json",
        "{\"schema\":\"" + SCHEMA + "\",\"data\":{\"orderId\":\"o-3\"}}"));
    assertThat(selfDescribing.string(EVENT_SCHEMA)).isEqualTo(SCHEMA);
    assertThat(selfDescribing.json(UNSTRUCT_EVENT).at("/data/orderId").asText()).isEqualTo("o-3");
  }

  static Stream<Arguments> brokenWebhooks() {
    return Stream.of(
        Arguments.of(get(IGLU, "orderId=o-17"), "missing schema parameter"),
        Arguments.of(get(IGLU, "schema=com.acme%2Forder&orderId=o-17"), "not an Iglu URI"),
        Arguments.of(get(IGLU, "schema=" + enc("iglu:com.acme/order/jsonschema/1-0")), "not an Iglu URI"),
        Arguments.of(post(IGLU, "schema=" + enc(SCHEMA), "application/json", "{oops"),
            "body is not valid JSON"),
        Arguments.of(post(IGLU, "schema=" + enc(SCHEMA), "application/json", "{}"),
            "at least one field"),
        Arguments.of(post(IGLU, null, "application/json", "{\"orderId\":\"o-3\"}"),
            "missing schema parameter, and the body is not a self-describing JSON"),
        Arguments.of(post(IGLU, null, "application/json", "<xml/>"),
            "missing schema parameter, and the body is not valid JSON"));
  }

  @ParameterizedTest
  @MethodSource("brokenWebhooks")
  void brokenWebhooksAreAdapterFailures(RawRecord raw, String expected) {
    Failure f = onlyFailure(raw);
    assertThat(f.type()).isEqualTo(BadRowType.ADAPTER_FAILURE);
    assertThat(f.message()).contains(expected);
  }

  @Test
  void otherVendorsHaveNoAdapter() {
    Failure f = onlyFailure(post("/com.mailchimp/v1", null, "application/json", "{}"));
    assertThat(f.type()).isEqualTo(BadRowType.ADAPTER_FAILURE);
    assertThat(f.message()).isEqualTo("no adapter for vendor com.mailchimp version v1");
    assertThat(onlyFailure(get("/r/tp2", "u=https%3A%2F%2Fexample.com")).message())
        .isEqualTo("no adapter for vendor r version tp2");
    assertThat(onlyFailure(get("/favicon.ico", null)).message()).startsWith("no adapter for path");
  }

  @Test
  void theInputRecordIsNotChangedAndResultsAreImmutable() {
    RawRecord raw = get("/i", jsPageViewQuery());
    Map<String, String> headers = new HashMap<>(raw.headers());
    AdapterResult result = adapter.adapt(raw);
    assertThat(raw.headers()).isEqualTo(headers);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> result.events().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
