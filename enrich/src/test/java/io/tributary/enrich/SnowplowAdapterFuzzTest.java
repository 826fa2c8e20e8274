package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Fuzzes {@link SnowplowAdapter} on Snowplow requests: tp2 bodies, tp1/pixel querystrings, Iglu webhook
 * bodies and forms, with base64 {@code ue_px}/{@code cx} and percent-encoding inside.
 *
 * <p>Contract: adapt never throws; each event it makes carries an id, the snowplow protocol, its raw
 * id, a type and an event time, and survives the enriched topic's codec; each failure has a message.
 *
 * <p>Input: byte 0 picks the path, byte 1 the content type, then the querystring up to the first
 * newline, then the body. Seeds: {@code SnowplowAdapterFuzzTestInputs/adapt/}.
 */
class SnowplowAdapterFuzzTest {
  static final String[] PATHS = {SnowplowAdapter.TP2_PATH, SnowplowAdapter.TP1_PATH, "/i",
      SnowplowAdapter.IGLU_PATH, "/com.acme/v1", "/x"};
  static final String[] CONTENT_TYPES =
      {null, "application/json", "application/x-www-form-urlencoded; charset=UTF-8", "text/plain"};
  private static final SnowplowAdapter ADAPTER = new SnowplowAdapter();

  @FuzzTest
  void adapt(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int newline = 2;
    while (newline < input.length && input[newline] != '\n') {
      newline++;
    }
    String query = new String(input, 2, newline - 2, StandardCharsets.ISO_8859_1);
    byte[] body = newline < input.length
        ? Arrays.copyOfRange(input, newline + 1, input.length) : new byte[0];
    RawRecord raw = new RawRecord("raw-1", "web", "snowplow", PATHS[(input[0] & 0xff) % PATHS.length],
        Instant.parse("2024-05-01T10:00:00Z"), "203.0.113.9", "ua",
        CONTENT_TYPES[(input[1] & 0xff) % CONTENT_TYPES.length], body, query.isEmpty() ? null : query,
        Map.of("referer", "https://acme.com/"), "nuid-1", null);

    AdapterResult result = ADAPTER.adapt(raw);

    for (EnrichedEvent e : result.events()) {
      assertThat(e.eventId()).isNotBlank();
      assertThat(e.string(EventField.PROTOCOL)).isEqualTo("snowplow");
      assertThat(e.string(EventField.RAW_ID)).isEqualTo("raw-1");
      assertThat(e.string(EventField.EVENT_TYPE)).isNotNull();
      assertThat(e.timestamp(EventField.EVENT_TIME)).isNotNull();
      assertThat(EnrichedEventCodec.decode(EnrichedEventCodec.encode(e)).values()).isEqualTo(e.values());
    }
    for (Failure f : result.failures()) {
      assertThat(f.message()).isNotBlank();
    }
  }
}
