package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * Fuzzes the timestamp readers every tracker time goes through.
 *
 * <p>Contract: {@link Timestamps#parseOrNull} and {@link Timestamps#fromEpoch} never throw and return
 * null or an instant within years 1 to 9999; {@link EventTimes#derive} of such instants never throws
 * and stays within years 1 to 9999 for a receive time in that range. {@link Timestamps#parseOrNull}'s
 * fast path for the common ISO shape reads what the general formatter reads.
 */
class TimestampsFuzzTest {
  private static final Instant RECEIVED = Instant.parse("2024-05-01T10:00:00Z");

  @FuzzTest
  void parse(FuzzedDataProvider data) {
    Instant epoch = Timestamps.fromEpoch(data.consumeDouble());
    String sentText = data.consumeString(40);
    String createdText = data.consumeRemainingAsString();
    Instant sent = Timestamps.parseOrNull(sentText);
    Instant created = Timestamps.parseOrNull(createdText);
    for (String text : new String[] {sentText, createdText}) {
      String stripped = text.strip();
      assertThat(Timestamps.parseOrNull(text))
          .isEqualTo(stripped.isEmpty() ? null : Timestamps.parseGeneral(stripped));
    }
    for (Instant t : new Instant[] {epoch, sent, created}) {
      if (t != null) {
        assertThat(t).isBetween(Timestamps.MIN, Timestamps.MAX);
      }
    }
    assertThat(EventTimes.derive(RECEIVED, sent, created, null))
        .isBetween(Timestamps.MIN, Timestamps.MAX);
    assertThat(EventTimes.derive(RECEIVED, epoch, created, null))
        .isBetween(Timestamps.MIN, Timestamps.MAX);
  }
}
