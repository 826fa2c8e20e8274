package io.tributary.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonExtentTest {
  private static final JsonFactory JACKSON = new JsonFactory();
  private static final String PREFIX = "{\"v\":1,\"body\":";

  @Test
  void findsTheEndOfAnObjectOrArray() {
    assertThat(end("{}")).isEqualTo(2);
    assertThat(end("[ ]  ")).isEqualTo(3);
    assertThat(end("{\"a\":[1,-0.5e+3,\"x\\u00e9\\n\",true,false,null,{}]} ,\"b\":2}")).isEqualTo(48);
    assertThat(end("[\"caf\u00e9 \ud83d\ude00\"]")).isEqualTo(14);
  }

  @Test
  void answersMinusOneForWhatJacksonRejectsOrWhatItLeavesToJackson() {
    for (String json : List.of("", "1", "\"a\"", "{", "[1,]", "{\"a\":1,}", "{a:1}", "[01]", "[1.]",
        "[.5]", "[1e]", "[-]", "[tru]", "[truex]", "[nul]", "[\"\\x\"]", "[\"\\u12g4\"]", "[\"\t\"]",
        "['a']", "[1 2]", "{\"a\" 1}", "[NaN]", "[1]]".substring(0, 2), "[" + "[".repeat(70) + "]".repeat(71),
        "[" + "1".repeat(101) + "]", "{\"" + "n".repeat(1001) + "\":1}", "[/* c */]")) {
      assertThat(end(json)).as(json).isEqualTo(-1);
    }
    byte[] invalidUtf8 = {'[', '"', (byte) 0xC0, (byte) 0x80, '"', ']'};
    assertThat(JsonExtent.end(invalidUtf8, 0)).isEqualTo(-1);
  }

  /**
   * Generated values, valid and then broken in many ways: wherever it finds an end, Jackson's
   * skipChildren (the raw-line decoder's way) accepts the value and ends at the same byte.
   */
  @Test
  void agreesWithJacksonOnGeneratedValues() throws Exception {
    Random random = new Random(5);
    int valid = 0;
    int found = 0;
    for (int n = 0; n < 30_000; n++) {
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      boolean plainNames = container(random, value, 0);
      byte[] bytes = value.toByteArray();
      boolean mutated = random.nextInt(3) > 0;
      if (mutated) {
        bytes = mutate(random, bytes);
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      line.writeBytes(PREFIX.getBytes(UTF_8));
      line.writeBytes(bytes);
      line.writeBytes(random.nextBoolean() ? "}".getBytes(UTF_8) : " ,\"x\":[2]}".getBytes(UTF_8));
      byte[] b = line.toByteArray();
      int ours = JsonExtent.end(b, PREFIX.length());
      int jackson = jacksonEnd(b);
      if (!mutated) {
        assertThat(jackson).as(new String(b, UTF_8)).isPositive();
      }
      if (!mutated && plainNames) {
        valid++;
        assertThat(ours).as(new String(b, UTF_8)).isEqualTo(jackson);
      }
      if (ours >= 0) {
        found++;
        assertThat(jackson).as(new String(b, UTF_8)).isEqualTo(ours);
      }
    }
    assertThat(valid).isGreaterThan(8_000);
    assertThat(found - valid).as("mutated but still valid").isGreaterThan(1_000);
  }

  private static int end(String json) {
    return JsonExtent.end(json.getBytes(UTF_8), 0);
  }

  /** Where the decoder's Jackson parser ends the body value, or -1 when it throws. */
  private static int jacksonEnd(byte[] line) {
    try (JsonParser p = JACKSON.createParser(line)) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken();
      p.nextFieldName();
      if (!p.nextToken().isStructStart()) {
        return -1;
      }
      p.skipChildren();
      return (int) p.currentLocation().getByteOffset();
    } catch (Exception e) {
      return -1;
    }
  }

  private static final String[] STRINGS = {"", "a", "sku", "\\\"", "\\\\", "\\/", "\\n\\t\\b\\f\\r",
      "\\u00e9", "\\uD83D\\uDE00", "caf\u00e9", "\u2603", "\ud83d\ude00", "\u007f", "aGVsbG8gd29ybGQ_-",
      "x".repeat(300)};
  private static final String[] NAMES = {"", "e", "sku", "ue_px", "received_at", "a b", "~!#$%&'()*"};
  private static final String[] NUMBERS = {"0", "-0", "7", "-12", "1.5", "-0.25", "1e9", "2E-3",
      "3.0e+10", "12345678901234567890", "0.0"};
  private static final String[] WHITESPACE = {"", "", "", " ", "\n", "\r\n", "\t", "  "};

  /** Writes a random object or array; whether all its names are printable ASCII without escapes. */
  private static boolean container(Random random, ByteArrayOutputStream out, int depth) {
    boolean plainNames = true;
    boolean object = random.nextBoolean();
    write(out, object ? "{" : "[");
    int count = depth > 4 ? 0 : random.nextInt(5);
    for (int i = 0; i < count; i++) {
      write(out, WHITESPACE[random.nextInt(WHITESPACE.length)]);
      if (i > 0) {
        write(out, ",");
        write(out, WHITESPACE[random.nextInt(WHITESPACE.length)]);
      }
      if (object) {
        boolean plain = random.nextInt(10) > 0;
        plainNames &= plain;
        write(out, "\"" + (plain ? NAMES[random.nextInt(NAMES.length)]
            : STRINGS[random.nextInt(STRINGS.length)]) + "\"");
        write(out, WHITESPACE[random.nextInt(WHITESPACE.length)] + ":");
        write(out, WHITESPACE[random.nextInt(WHITESPACE.length)]);
      }
      switch (random.nextInt(8)) {
        case 0, 1 -> plainNames &= container(random, out, depth + 1);
        case 2 -> write(out, NUMBERS[random.nextInt(NUMBERS.length)]);
        case 3 -> write(out, List.of("true", "false", "null").get(random.nextInt(3)));
        default -> write(out, "\"" + STRINGS[random.nextInt(STRINGS.length)] + "\"");
      }
    }
    write(out, WHITESPACE[random.nextInt(WHITESPACE.length)] + (object ? "}" : "]"));
    return plainNames;
  }

  private static final byte[] NOISE = "{}[],:\"\\ 0-1.eE+tfnux\t\n\u0001/*".getBytes(UTF_8);

  private static byte[] mutate(Random random, byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
    byte inserted = random.nextInt(4) == 0 ? (byte) (0x80 + random.nextInt(128))
        : NOISE[random.nextInt(NOISE.length)];
    switch (random.nextInt(4)) {
      case 0 -> out.write(bytes, 0, at); // truncated
      case 1 -> { // one byte replaced
        out.write(bytes, 0, at);
        out.write(inserted);
        out.write(bytes, at + 1, bytes.length - at - 1);
      }
      case 2 -> { // one byte inserted
        out.write(bytes, 0, at);
        out.write(inserted);
        out.write(bytes, at, bytes.length - at);
      }
      default -> { // one byte removed
        out.write(bytes, 0, at);
        out.write(bytes, at + 1, bytes.length - at - 1);
      }
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(UTF_8));
  }
}
