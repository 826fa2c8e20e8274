package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadRowCodecTest {
  private static final Instant FAILED = Instant.parse("2026-11-22T12:00:01Z");

  private static BadRow bad(byte[] raw) {
    return new BadRow("bad-1", BadRowType.ADAPTER_FAILURE, "test", FAILED, List.of("m"), null, null,
        null, raw, null);
  }

  @Test
  void aRawLineThatIsJsonIsEmbedded() {
    byte[] raw = "{\"id\":\"raw-1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] line = BadRowCodec.encode(bad(raw));

    assertThat(new String(line, StandardCharsets.UTF_8)).endsWith(",\"raw\":{\"id\":\"raw-1\"}}");
    assertThat(BadRowCodec.decode(line).raw()).isEqualTo(raw);
    assertThat(BadRowCodec.rawAsJson(bad(raw))).isEqualTo("{\"id\":\"raw-1\"}");
  }

  @Test
  void aRawLineThatIsNotJsonGoesAsBase64AndReadsBackByteExact() {
    // found by EventProcessorFuzzTest: the empty (or any non-JSON) raw line made an unreadable bad row
    byte[] invalidUtf8InAString = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
    for (byte[] raw : new byte[][] {{}, {'{'}, {(byte) 0xff, 0, '\n'}, invalidUtf8InAString,
        "a\"b".getBytes(StandardCharsets.UTF_8)}) {
      byte[] line = BadRowCodec.encode(bad(raw));

      assertThat(Json.parseOrNull(new String(line, StandardCharsets.UTF_8)).has("raw_base64")).isTrue();
      assertThat(BadRowCodec.decode(line).raw()).isEqualTo(raw);
    }
    assertThat(BadRowCodec.rawAsJson(bad("a\"b".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("\"a\\\"b\"");
  }
}
