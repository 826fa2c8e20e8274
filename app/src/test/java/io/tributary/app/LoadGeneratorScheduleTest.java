package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The schedule is driven with explicit times: nothing here sleeps or measures. */
class LoadGeneratorScheduleTest {
  private static final long START = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  @Test
  void flatOutHandsOutCountSlotsIntendedWhenClaimed() {
    LoadGeneratorSchedule schedule = new LoadGeneratorSchedule(START, 0, 3, null);
    assertThat(schedule.claim(START + 5)).isEqualTo(new LoadGeneratorSchedule.Slot(0, START + 5));
    assertThat(schedule.claim(START + 7)).isEqualTo(new LoadGeneratorSchedule.Slot(1, START + 7));
    assertThat(schedule.claim(START + 9)).isEqualTo(new LoadGeneratorSchedule.Slot(2, START + 9));
    assertThat(schedule.claim(START + 11)).isNull();
  }

  @Test
  void atAFixedRateEachSlotKeepsItsIntendedStartEvenWhenClaimedLate() {
    LoadGeneratorSchedule schedule = new LoadGeneratorSchedule(START, 10, 0, Duration.ofSeconds(1));
    assertThat(schedule.claim(START)).isEqualTo(new LoadGeneratorSchedule.Slot(0, START));
    assertThat(schedule.claim(START)).isEqualTo(new LoadGeneratorSchedule.Slot(1, START + 100 * MS));
    // A connection that was stuck claims slot 2 late: it is still due at 200 ms, so its latency
    // includes the time it waited (no coordinated omission).
    assertThat(schedule.claim(START + 700 * MS)).isEqualTo(new LoadGeneratorSchedule.Slot(2, START + 200 * MS));
    for (int i = 3; i < 10; i++) {
      assertThat(schedule.claim(START + 800 * MS).intendedNanos()).isEqualTo(START + i * 100 * MS);
    }
    assertThat(schedule.claim(START + 800 * MS)).as("slot 10 would start at the deadline").isNull();
  }

  @Test
  void theDeadlineEndsTheRunWhicheverComesFirst() {
    LoadGeneratorSchedule schedule = new LoadGeneratorSchedule(START, 0, 1000, Duration.ofSeconds(2));
    assertThat(schedule.claim(START + 1999 * MS)).isNotNull();
    assertThat(schedule.claim(START + 2000 * MS)).isNull();
  }

  @Test
  void stopEndsTheRun() {
    LoadGeneratorSchedule schedule = new LoadGeneratorSchedule(START, 0, 0, Duration.ofHours(1));
    assertThat(schedule.claim(START)).isNotNull();
    schedule.stop();
    assertThat(schedule.claim(START)).isNull();
  }
}
