package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnrichedRowTest {
  @ParameterizedTest
  @ValueSource(strings = {"2026-11-22T14:53:00Z", "2026-11-22T14:53:00.1Z", "2026-11-22T14:53:00.12Z",
      "2026-11-22T14:53:00.123Z", "2026-11-22T14:53:00.123456Z", "2026-11-22T14:53:00.123456789Z",
      "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
      "+12026-01-01T00:00:00Z", "2026-11-22T14:53:00+01:00"})
  void timestampsReadLikeInstantParse(String text) {
    Instant expected = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    assertThat(EnrichedRow.utc(text)).isEqualTo(LocalDateTime.ofInstant(expected, ZoneOffset.UTC));
  }

  @Test
  void invalidDatesAreRejected() {
    assertThatThrownBy(() -> EnrichedRow.utc("2026-13-01T00:00:00Z")).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> EnrichedRow.utc("2026-1x-01T00:00:00Z")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void jsonColumnsStayAsTheirTextAndOtherTypesAreTyped() {
    EnrichedEvent e = new EnrichedEvent()
        .set(EventField.EVENT_ID, "e1")
        .set(EventField.PROPERTIES, Json.parseOrNull("{\"a\":[1,{\"b\":\"é\\n\"}],\"c\":null}"))
        .set(EventField.CONTEXTS, Json.parseOrNull("[{\"schema\":\"s\",\"data\":{}}]"))
        .set(EventField.RECEIVED_AT, Instant.parse("2026-11-22T14:53:00.5Z"))
        .set(EventField.DOMAIN_SESSIONIDX, 7)
        .set(EventField.SE_VALUE, 2.5)
        .set(EventField.IS_BOT, true);
    Object[] row = EnrichedRow.decode(EnrichedEventCodec.encode(e));
    assertThat(Json.parseOrNull((String) row[EventField.PROPERTIES.ordinal()]))
        .isEqualTo(e.json(EventField.PROPERTIES));
    assertThat(row[EventField.CONTEXTS.ordinal()]).isEqualTo("[{\"schema\":\"s\",\"data\":{}}]");
    assertThat(row[EventField.RECEIVED_AT.ordinal()])
        .isEqualTo(LocalDateTime.parse("2026-11-22T14:53:00.5"));
    assertThat(row[EventField.DOMAIN_SESSIONIDX.ordinal()]).isEqualTo(7);
    assertThat(row[EventField.SE_VALUE.ordinal()]).isEqualTo(2.5);
    assertThat(row[EventField.IS_BOT.ordinal()]).isEqualTo(true);
    assertThat(row[EventField.USER_ID.ordinal()]).isNull();
  }

  @Test
  void unknownAndNullFieldsAreSkipped() {
    Object[] row = EnrichedRow.decode(
        "{\"event_id\":\"e\",\"future_column\":{\"x\":1},\"user_id\":null,\"page_title\":\"t\"}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(row[EventField.USER_ID.ordinal()]).isNull();
    assertThat(row[EventField.PAGE_TITLE.ordinal()]).isEqualTo("t");
  }

  @Test
  void unreadableLinesAreBadRequests() {
    for (String line : new String[] {"", "garbage", "[1]", "{\"event_id\":", "{\"user_id\":\"u\"}"}) {
      assertThatThrownBy(() -> EnrichedRow.decode(line.getBytes(StandardCharsets.UTF_8)))
          .as(line).isInstanceOf(BadRequestException.class);
    }
  }
}
