package io.tributary.enrich;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlainJsonTreeTest {
  /** As {@code SnowplowAdapter.JSON}. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String[] SCALARS = {"0", "-0", "1", "-1", "7", "42", "01", "-01", "00", "1.",
      ".5", "-", "+1", "1.5", "-0.0", "0.0", "19.99", "1e5", "1E+2", "1e-7", "2.5E-3", "1e", "1e+",
      "1.e3", "2147483647", "2147483648", "-2147483648", "-2147483649", "9999999999",
      "999999999999999999", "-999999999999999999", "1234567890123456789", "9223372036854775807",
      "-9223372036854775808", "99999999999999999999999", "1e400", "-1e400", "4.9e-325",
      "0.1000000000000000055511151231257827", "123456789012345678901234567890.5", "NaN",
      "Infinity", "-Infinity", "true", "false", "null", "tru", "nul", "falsey", "True", "\"\"",
      "\"a\"", "\"MWS-1017\"", "\"iglu:com.acme/x/jsonschema/1-0-0\"", "\"caf\u00e9\"",
      "\"\\u00e9\"", "\"a\\\"b\"", "\"a\\\\b\"", "\"tab\there\"", "\"\u0001\"", "\"\u007f\"",
      "\"\ud83d\ude00\"", "\"x", "'x'"};
  private static final String[] NAMES = {"schema", "data", "sku", "id", "a", "", "quantity",
      "unitPrice", "in stock", "\u00e9", "a\\\"b", "x\\u0041"};
  private static final String[] SPACES = {"", "", "", " ", "\n", "\t", "\r\n  ", "\u000b", "\u00a0"};

  @Test
  void readsSelfDescribingJsonAsTrackersSendIt() throws IOException {
    String ue = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
        + "\"data\":{\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\",\"data\":{\"sku\":"
        + "\"MWS-1017\",\"quantity\":2,\"unitPrice\":19.99,\"inStock\":true,\"category\":null,"
        + "\"tags\":[],\"dims\":{}}}}";
    JsonNode plain = PlainJsonTree.read(ue.getBytes(UTF_8), JSON.getNodeFactory());

    assertThat(plain).isNotNull();
    assertSameTree(plain, JSON.readTree(ue.getBytes(UTF_8)), ue);
  }

  @Test
  void leavesEverythingElseToJackson() {
    for (String json : List.of("", " ", "1", "\"a\"", "null", "{", "{}}", "{} {}", "{},", "[1,]",
        "{\"a\":1,}", "{\"a\":1,\"a\":2}", "{\"a\" 1}", "{a:1}", "['a']", "[01]", "[1.]", "[-]",
        "[NaN]", "[1e400]", "[12345678901234567890]", "[truex]", "[1x]", "[\"\\n\"]", "[\"\u00e9\"]",
        "\ufeff{}", "{}\u0000", "[" + "[".repeat(PlainJsonTree.MAX_DEPTH) + "]".repeat(PlainJsonTree.MAX_DEPTH) + "]")) {
      assertThat(PlainJsonTree.read(json.getBytes(UTF_8), JSON.getNodeFactory())).as(json).isNull();
    }
  }

  /**
   * Generated documents, many of them broken: wherever the plain reader reads one, Jackson's
   * readTree reads it too, to a tree of the same node classes, values and key orders.
   */
  @Test
  void readsGeneratedDocumentsAsJacksonDoes() {
    Random random = new Random(23);
    int plainCount = 0;
    int jacksonCount = 0;
    for (int n = 0; n < 30_000; n++) {
      String json = value(random, 0, true);
      if (random.nextInt(3) == 0) {
        json = mutate(random, json);
      }
      byte[] bytes = json.getBytes(UTF_8);
      JsonNode plain = PlainJsonTree.read(bytes, JSON.getNodeFactory());
      JsonNode jackson;
      try {
        jackson = JSON.readTree(bytes);
        jacksonCount++;
      } catch (IOException e) {
        assertThat(plain).as(json).isNull();
        continue;
      }
      if (plain != null) {
        plainCount++;
        assertSameTree(plain, jackson, json);
      }
    }
    assertThat(plainCount).isBetween(3_000, jacksonCount - 1_000);
  }

  private static void assertSameTree(JsonNode plain, JsonNode jackson, String json) {
    assertThat(plain.getClass()).as(json).isEqualTo(jackson.getClass());
    assertThat(plain.toString()).as(json).isEqualTo(jackson.toString());
    assertThat(plain).as(json).isEqualTo(jackson);
    if (plain.isObject()) {
      assertThat(names(plain)).as(json).isEqualTo(names(jackson));
    }
    for (int k = 0; k < plain.size(); k++) {
      assertSameTree(plain.isObject() ? plain.get(names(plain).get(k)) : plain.get(k),
          jackson.isObject() ? jackson.get(names(jackson).get(k)) : jackson.get(k), json);
    }
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String value(Random random, int depth, boolean root) {
    int kind = root ? 6 + random.nextInt(2) : random.nextInt(depth > 6 ? 6 : 8);
    if (random.nextInt(200) == 0) {
      kind = 8; // deep nesting around the limit
    }
    return switch (kind) {
      case 0, 1, 2, 3, 4, 5 -> space(random) + SCALARS[random.nextInt(SCALARS.length)] + space(random);
      case 6 -> {
        StringBuilder s = new StringBuilder(space(random)).append('{');
        for (int k = random.nextInt(5); k > 0; k--) {
          s.append(space(random)).append('"').append(NAMES[random.nextInt(NAMES.length)])
              .append('"').append(space(random)).append(':').append(value(random, depth + 1, false))
              .append(k > 1 ? "," : "");
        }
        yield s.append(space(random)).append('}').append(space(random)).toString();
      }
      case 7 -> {
        StringBuilder s = new StringBuilder(space(random)).append('[');
        for (int k = random.nextInt(5); k > 0; k--) {
          s.append(value(random, depth + 1, false)).append(k > 1 ? "," : "");
        }
        yield s.append(']').append(space(random)).toString();
      }
      default -> {
        int levels = PlainJsonTree.MAX_DEPTH - 2 + random.nextInt(4);
        yield "[".repeat(levels) + "1" + "]".repeat(levels);
      }
    };
  }

  private static String space(Random random) {
    return random.nextInt(4) == 0 ? SPACES[random.nextInt(SPACES.length)] : "";
  }

  private static String mutate(Random random, String json) {
    if (json.isEmpty()) {
      return json;
    }
    String pieces = "{}[],:\" 0-.e1atn\\";
    int at = random.nextInt(json.length());
    return switch (random.nextInt(3)) {
      case 0 -> json.substring(0, at) + json.substring(at + 1);
      case 1 -> json.substring(0, at) + pieces.charAt(random.nextInt(pieces.length())) + json.substring(at);
      default -> json.substring(0, at) + pieces.charAt(random.nextInt(pieces.length()))
          + json.substring(at + 1);
    };
  }
}
