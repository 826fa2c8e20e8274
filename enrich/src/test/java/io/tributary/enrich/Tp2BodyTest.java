package io.tributary.enrich;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.RawRecord;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Tp2BodyTest {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String PAYLOAD_DATA =
      "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";
  private static final String UE = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/"
      + "jsonschema/1-0-0\",\"data\":{\"schema\":\"iglu:com.acme/x/jsonschema/1-0-0\",\"data\":{\"a\":1}}}";
  private static final String CX = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/"
      + "jsonschema/1-0-0\",\"data\":[{\"schema\":\"iglu:com.acme/c/jsonschema/1-0-0\",\"data\":{}}]}";
  private static final String[] NAMES = {"e", "eid", "tv", "aid", "p", "uid", "duid", "sid", "vid",
      "dtm", "stm", "url", "refr", "page", "res", "vp", "lang", "se_ca", "se_ac", "se_va", "ev_ca",
      "ue_pr", "ue_px", "co", "cx", "ip", "ua", "tna", "zz"};
  private static final String[] VALUES = {"", "pv", "ue", "se", "xx", "1", "-3", "1.5e3", "NaN",
      "1714651200123", "99999999999999999", "1920x1080", "0x", "https://a.example/p?utm_source=s#f",
      "caf\u00e9 \u2603 \ud83d\ude00", "tab\there", "quote\"back\\slash", "\u0001", UE, CX,
      Base64.getUrlEncoder().withoutPadding().encodeToString(UE.getBytes(UTF_8)),
      Base64.getEncoder().encodeToString(CX.getBytes(UTF_8)), "!!notbase64", "6ba7b810-9dad-11d1"};

  @Test
  void readsTheUsualShapeIntoParameterMaps() {
    byte[] body = ("{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":\"pv\",\"url\":\"u\"},"
        + "{\"e\":\"se\",\"e\":\"pp\",\"aid\":\"\"}]}").getBytes(UTF_8);

    List<Map<String, String>> elements = Tp2Body.read(JSON, body);

    assertThat(elements).containsExactly(Map.of("e", "pv", "url", "u"), Map.of("e", "pp", "aid", ""));
    assertThat(elements.get(1).keySet()).containsExactly("e", "aid");
  }

  @Test
  void leavesEverythingElseToTheTree() {
    for (String body : List.of("", "[]", "{}", "{\"schema\":\"" + PAYLOAD_DATA + "\"}",
        "{\"data\":[{\"e\":\"pv\"}]}",
        "{\"schema\":\"iglu:com.acme/x/jsonschema/1-0-0\",\"data\":[{\"e\":\"pv\"}]}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[]}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":1}]}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":null}]}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"co\":{}}]}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[\"e\"]}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":\"pv\"}],\"x\":1}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{}]}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":\"pv\"}]} {}",
        "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[{\"e\":\"pv\"}]")) {
      assertThat(Tp2Body.read(JSON, body.getBytes(UTF_8))).as(body).isNull();
    }
  }

  /**
   * Generated tp2 bodies, most of the usual shape, many broken: the adapter gives what the tree did,
   * and where the plain reader reads a body, Jackson's streaming reader gives the same maps.
   */
  @Test
  void adaptsGeneratedBodiesAsTheTreeDid() {
    Random random = new Random(11);
    SnowplowAdapter adapter = new SnowplowAdapter();
    int streamed = 0;
    int plainCount = 0;
    for (int n = 0; n < 10_000; n++) {
      String body = mutate(random, body(random));
      String query = random.nextInt(5) == 0 ? "aid=from-query&e=pv" : null;
      RawRecord raw = new RawRecord("raw-" + n, "web", "snowplow", SnowplowAdapter.TP2_PATH,
          Instant.parse("2024-05-02T12:00:05Z"), "203.0.113.9", "ua", "application/json",
          body.getBytes(UTF_8), query, Map.of(), null, null);
      List<Map<String, String>> jackson = Tp2Body.streamed(JSON, raw.body());
      List<Map<String, String>> plain = PlainTp2Body.read(raw.body());
      if (jackson != null) {
        streamed++;
      }
      if (plain != null) {
        plainCount++;
        assertThat(plain).as(body).isEqualTo(jackson);
        assertThat(keyOrders(plain)).as(body).isEqualTo(keyOrders(jackson));
      }
      AdapterResult result = adapter.adapt(raw);
      AdapterResult tree = SnowplowAdapter.tp2Tree(raw, SnowplowAdapter.Params.parse(query));
      assertThat(values(result)).as(body).isEqualTo(values(tree));
      assertThat(result.failures()).as(body).isEqualTo(tree.failures());
    }
    assertThat(streamed).isBetween(2_000, 8_000);
    assertThat(plainCount).isBetween(300, streamed - 300);
  }

  private static List<List<String>> keyOrders(List<Map<String, String>> elements) {
    return elements.stream().map(m -> List.copyOf(m.keySet())).toList();
  }

  private static List<Map<?, ?>> values(AdapterResult result) {
    return result.events().stream().<Map<?, ?>>map(EnrichedEvent::values).toList();
  }

  private static String body(Random random) {
    StringBuilder body = new StringBuilder("{");
    String schema = "\"schema\":" + quote(random.nextInt(20) == 0 ? "iglu:x/y/jsonschema/1-0-0" : PAYLOAD_DATA);
    StringBuilder data = new StringBuilder("\"data\":[");
    for (int i = random.nextInt(4); i >= 0; i--) {
      data.append('{');
      for (int k = random.nextInt(12); k >= 0; k--) {
        data.append(quote(NAMES[random.nextInt(NAMES.length)])).append(':').append(value(random));
        data.append(k > 0 ? "," : "");
      }
      data.append('}').append(i > 0 ? "," : "");
    }
    data.append(']');
    body.append(random.nextBoolean() ? schema + "," + data : data + "," + schema);
    return body.append('}').toString();
  }

  private static String value(Random random) {
    return switch (random.nextInt(200)) {
      case 0 -> "null";
      case 1 -> "12";
      case 2 -> "1.50";
      case 3 -> "true";
      case 4 -> "{\"a\":\"b\"}";
      case 5 -> "[]";
      default -> quote(VALUES[random.nextInt(VALUES.length)]);
    };
  }

  private static String mutate(Random random, String body) {
    return switch (random.nextInt(12)) {
      case 0 -> body.substring(0, random.nextInt(body.length()));
      case 1 -> body + (random.nextBoolean() ? " " : " x");
      case 2 -> " \n" + body.replace(",", " , ");
      case 3 -> body.replace("\"data\":[", "\"extra\":1,\"data\":[");
      case 4 -> body.replaceFirst("\\{\"", "{\"e\":\"pv\",\"");
      default -> body;
    };
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }
}
