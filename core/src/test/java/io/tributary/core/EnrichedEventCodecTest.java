package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnrichedEventCodecTest {

  private static EnrichedEvent event() {
    ObjectNode props = JsonNodeFactory.instance.objectNode();
    props.put("total", 19.5).put("n", 3).put("text", "a \"quoted\" é\n").putNull("none");
    props.putObject("nested").putArray("list").add(1).add("x").add(true);
    return new EnrichedEvent()
        .set(EventField.EVENT_ID, "e-1")
        .set(EventField.SOURCE, "web")
        .set(EventField.PROTOCOL, "segment")
        .set(EventField.EVENT_TYPE, "track")
        .set(EventField.RECEIVED_AT, Instant.parse("2030-01-02T03:04:05.123456Z"))
        .set(EventField.EVENT_TIME, Instant.parse("2030-01-02T03:04:05Z"))
        .set(EventField.PROPERTIES, props)
        .set(EventField.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) \u2028 \uD83D\uDE00")
        .set(EventField.PAGE_URL, "https://shop.example/p?q=1&r=<2>")
        .set(EventField.PAGE_URLPORT, 443)
        .set(EventField.SE_VALUE, 1.25e-7)
        .set(EventField.IS_BOT, false);
  }

  @Test
  void streamedBytesEqualTheTreeEncoding() {
    EnrichedEvent e = event();
    assertThat(new String(EnrichedEventCodec.encode(e), StandardCharsets.UTF_8))
        .isEqualTo(new String(EnrichedEventCodec.encodeViaTree(e), StandardCharsets.UTF_8));
  }

  @Test
  void decodeReadsBackWhatEncodeWrote() {
    EnrichedEvent e = event();
    EnrichedEvent back = EnrichedEventCodec.decode(EnrichedEventCodec.encode(e));
    assertThat(back.values()).isEqualTo(e.values());
  }
}
