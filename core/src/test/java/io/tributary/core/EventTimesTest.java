package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimesTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-22T12:00:10Z");
  private static final Instant SENT = Instant.parse("2026-11-22T11:00:05Z");
  private static final Instant CREATED = Instant.parse("2026-11-22T11:00:00Z");
  private static final Instant TRUE = Instant.parse("2026-11-22T11:59:00Z");

  @Test
  void trueTimestampWins() {
    assertThat(EventTimes.derive(RECEIVED, SENT, CREATED, TRUE)).isEqualTo(TRUE);
  }

  @Test
  void deviceClockSkewIsCorrected() {
    // created 5 s before sending, per the device: 5 s before the collector received it
    assertThat(EventTimes.derive(RECEIVED, SENT, CREATED, null))
        .isEqualTo(Instant.parse("2026-11-22T12:00:05Z"));
  }

  @Test
  void withoutSentTimeTheCreationTimeIsKept() {
    assertThat(EventTimes.derive(RECEIVED, null, CREATED, null)).isEqualTo(CREATED);
  }

  @Test
  void withoutDeviceTimesTheReceiveTimeIsUsed() {
    assertThat(EventTimes.derive(RECEIVED, SENT, null, null)).isEqualTo(RECEIVED);
  }

  @Test
  void aDeviceClaimingToSendBeforeCreatingIsNotTrusted() {
    assertThat(EventTimes.derive(RECEIVED, CREATED, SENT, null)).isEqualTo(RECEIVED);
  }

  @Test
  void aSkewReachingBeforeYearOneIsNotTrusted() {
    // found by SegmentRequestFuzzTest: created in year 1, sent in 9999 gave an event time of -7974
    Instant created = Instant.parse("0001-01-01T00:00:00Z");
    Instant sent = Instant.parse("9999-01-01T00:00:00Z");
    assertThat(EventTimes.derive(RECEIVED, sent, created, null)).isEqualTo(RECEIVED);
    assertThat(EventTimes.derive(Instant.MIN, SENT, CREATED, null)).isEqualTo(Instant.MIN);
  }
}
