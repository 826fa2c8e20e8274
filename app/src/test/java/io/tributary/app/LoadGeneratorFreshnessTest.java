package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadGeneratorFreshnessTest {
  private static final long MS = 1_000_000L;

  /** A hand-written probe: answers from a set the test fills, or with a given failure. */
  static final class FakeProbe implements LoadGeneratorFreshness.Probe {
    final Set<String> visible = new HashSet<>();
    final List<Collection<String>> asked = new ArrayList<>();
    final List<Long> oldestAges = new ArrayList<>();
    RuntimeException refusal;
    IOException outage;

    @Override
    public Set<String> visible(Collection<String> eventIds, long oldestAckMillisAgo)
        throws IOException {
      asked.add(List.copyOf(eventIds));
      oldestAges.add(oldestAckMillisAgo);
      if (refusal != null) {
        throw refusal;
      }
      if (outage != null) {
        throw outage;
      }
      Set<String> seen = new HashSet<>(eventIds);
      seen.retainAll(visible);
      return seen;
    }
  }

  /** A clock the test sets. */
  static final class FakeClock {
    long nanos;

    long nanoTime() {
      return nanos;
    }
  }

  @Test
  void samplesAreSpreadOverThePlannedCount() {
    LoadGeneratorFreshness f = new LoadGeneratorFreshness(4, 100, null, new FakeProbe(), () -> 0);
    List<Long> sampled = new ArrayList<>();
    for (long i = 0; i < 100; i++) {
      if (f.claim(i, 0)) {
        sampled.add(i);
      }
    }
    assertThat(sampled).containsExactly(0L, 25L, 50L, 75L);
  }

  @Test
  void samplesAreSpreadOverThePlannedDurationWhenItComesFirst() {
    LoadGeneratorFreshness f =
        new LoadGeneratorFreshness(2, 1_000_000, Duration.ofSeconds(10), new FakeProbe(), () -> 0);
    assertThat(f.claim(0, 0)).isTrue();
    assertThat(f.claim(1, 1000 * MS)).isFalse();
    assertThat(f.claim(2, 5000 * MS)).isTrue();
    assertThat(f.claim(3, 9000 * MS)).as("all samples taken").isFalse();
  }

  @Test
  void aFailedSampleIsTakenByTheNextRequest() {
    LoadGeneratorFreshness f = new LoadGeneratorFreshness(1, 100, null, new FakeProbe(), () -> 0);
    assertThat(f.claim(0, 0)).isTrue();
    assertThat(f.claim(1, 0)).isFalse();
    f.failed();
    assertThat(f.claim(2, 0)).isTrue();
    assertThat(f.claim(3, 0)).isFalse();
  }

  @Test
  void freshnessIsFromTheAckToTheQueryThatSawTheEvent() {
    FakeProbe probe = new FakeProbe();
    FakeClock clock = new FakeClock();
    LoadGeneratorFreshness f = new LoadGeneratorFreshness(3, 3, null, probe, clock::nanoTime);
    f.acked("a", 1000 * MS);
    f.acked("b", 1100 * MS);
    f.acked("c", 1200 * MS);
    clock.nanos = 1300 * MS;
    assertThat(f.pollOnce()).isTrue();
    probe.visible.add("a");
    clock.nanos = 1400 * MS;
    assertThat(f.pollOnce()).isTrue();
    probe.visible.add("b");
    clock.nanos = 1700 * MS;
    assertThat(f.pollOnce()).isTrue();
    assertThat(probe.asked.get(2)).as("only what is still pending").containsExactlyInAnyOrder("b", "c");
    assertThat(probe.oldestAges).as("how long ago the oldest pending was acked")
        .containsExactly(300L, 400L, 600L);
    assertThat(f.done()).isFalse();

    LoadGeneratorFreshness.Result r = f.result();
    assertThat(r.planned()).isEqualTo(3);
    assertThat(r.acked()).isEqualTo(3);
    assertThat(r.visibleMillis()).containsExactly(400L, 600L);
    assertThat(r.neverAppeared()).isEqualTo(1);
    assertThat(r.error()).isNull();
  }

  @Test
  void pollsGrowSparserAsTheOldestPendingSampleAgesAtMostOncePerSecond() {
    FakeProbe probe = new FakeProbe();
    FakeClock clock = new FakeClock();
    LoadGeneratorFreshness f = new LoadGeneratorFreshness(2, 2, null, probe, clock::nanoTime);
    assertThat(f.nextPollNanos()).as("nothing pending").isEqualTo(100 * MS);
    f.acked("old", 0);
    f.acked("new", 9_000 * MS);
    clock.nanos = 1_000 * MS;
    assertThat(f.nextPollNanos()).as("1 s old").isEqualTo(100 * MS);
    clock.nanos = 10_000 * MS;
    assertThat(f.nextPollNanos()).as("10 s old: 1/20 of it").isEqualTo(500 * MS);
    clock.nanos = 60_000 * MS;
    assertThat(f.nextPollNanos()).as("a minute old").isEqualTo(1_000 * MS);
    probe.visible.add("old");
    f.pollOnce();
    assertThat(f.nextPollNanos()).as("the oldest left is 51 s old").isEqualTo(1_000 * MS);
    clock.nanos = 10_000 * MS;
    assertThat(f.nextPollNanos()).as("the oldest left is 1 s old").isEqualTo(100 * MS);
  }

  @Test
  void anOutageIsRetriedButARefusalStopsPolling() {
    FakeProbe probe = new FakeProbe();
    LoadGeneratorFreshness f = new LoadGeneratorFreshness(1, 1, null, probe, () -> 0);
    f.acked("a", 0);
    probe.outage = new IOException("connection reset");
    assertThat(f.pollOnce()).isTrue();
    probe.refusal = new IllegalStateException("401: invalid admin token");
    assertThat(f.pollOnce()).isFalse();
    assertThat(f.done()).isTrue();
    assertThat(f.result().error()).isEqualTo("401: invalid admin token");
  }

  @Test
  void nothingIsAskedWhileNoSampleIsPending() {
    FakeProbe probe = new FakeProbe();
    LoadGeneratorFreshness f = new LoadGeneratorFreshness(1, 1, null, probe, () -> 0);
    assertThat(f.pollOnce()).isTrue();
    assertThat(probe.asked).isEmpty();
    assertThat(f.done()).isTrue();
  }
}
