package io.tributary.enrich;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.BadRow;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.ManualClock;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.RetriableException;
import io.tributary.core.SourcedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrichStageTest {
  static final Duration MAX_DELAY = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00Z"));
  private final RecordingEventOutput output = new RecordingEventOutput();
  private final ReplayProgress replays = new ReplayProgress();
  private final EnrichStage stage = new EnrichStage(
      new EventProcessor(new SnowplowAdapter(), List.of(), clock), output, MAX_DELAY, clock, replays);

  // ---- Fixtures --------------------------------------------------------------------------------

  /** A Segment batch record with {@code messages} good track events. */
  static RawRecord segment(String id, int messages) {
    return EventProcessorTest.segmentBatch(id,
        java.util.stream.IntStream.range(0, messages).mapToObj(i -> "Event " + i)
            .toArray(String[]::new));
  }

  /** A record the processor turns into exactly one bad row and no event. */
  static RawRecord oversized(String id) {
    return new RawRecord(id, "sp", "snowplow", SnowplowAdapter.TP2_PATH,
        EventProcessorTest.RECEIVED, null, null, null, new byte[0], null,
        Map.of(RawRecord.SIZE_VIOLATION_HEADER, "too big"), null, null);
  }

  static SourcedRecord at(int partition, long offset, RawRecord raw) {
    return new SourcedRecord(partition, offset, 0L, RawRecordCodec.encode(raw));
  }

  static SourcedRecord at(int partition, long offset, byte[] value) {
    return new SourcedRecord(partition, offset, 0L, value);
  }

  // ---- Writing ---------------------------------------------------------------------------------

  @Test
  void writeSendsGoodEventsAndBadRowsToTheOutput() {
    stage.write(List.of(
        at(0, 0, segment("raw-1", 2)),
        at(0, 1, oversized("raw-2")),
        at(1, 7, "garbage".getBytes(UTF_8))));

    assertThat(output.good).extracting(EnrichedEvent::eventId)
        .containsExactly("raw-1-m0", "raw-1-m1");
    assertThat(output.bad).extracting(BadRow::type)
        .containsExactly(BadRowType.SIZE_VIOLATION, BadRowType.ADAPTER_FAILURE);
    assertThat(output.bad).extracting(BadRow::rawId).containsExactly("raw-2", null);
    assertThat(stage.goodEvents()).isEqualTo(2);
    assertThat(stage.badRows()).isEqualTo(2);
    assertThat(stage.health().ready()).isTrue();
    assertThat(stage.health().detail()).isEqualTo("2 good events, 2 bad rows");
    assertThat(output.flushes()).isZero();
  }

  @Test
  void opensWithoutStoredOffsetsAndClosesTheOutput() {
    assertThat(stage.open(List.of(0, 1))).isEmpty();
    assertThat(stage.name()).isEqualTo("enrichment");

    stage.close();

    assertThat(output.closed()).isTrue();
  }

  // ---- Flushing --------------------------------------------------------------------------------

  @Test
  void flushWaitsForMaxDelayThenReturnsTheNextOffsetPerPartition() {
    stage.write(List.of(at(0, 10, segment("a", 1)), at(1, 3, segment("b", 1)),
        at(0, 11, segment("c", 1))));

    assertThat(stage.flush(false)).isEmpty();
    clock.advance(MAX_DELAY.minusMillis(1));
    assertThat(stage.flush(false)).isEmpty();
    assertThat(output.flushes()).isZero();

    clock.advance(Duration.ofMillis(1));

    assertThat(stage.flush(false)).isEqualTo(Map.of(0, 12L, 1, 4L));
    assertThat(output.flushes()).isEqualTo(1);
    // Everything was released: nothing more to flush.
    clock.advance(MAX_DELAY);
    assertThat(stage.flush(false)).isEmpty();
    assertThat(stage.flush(true)).isEmpty();
    assertThat(output.flushes()).isEqualTo(1);
  }

  @Test
  void maxDelayCountsFromTheOldestPendingRecord() {
    stage.write(List.of(at(0, 0, segment("a", 1))));
    clock.advance(Duration.ofSeconds(3));
    stage.write(List.of(at(0, 1, segment("b", 1))));
    clock.advance(Duration.ofSeconds(2));

    assertThat(stage.flush(false)).isEqualTo(Map.of(0, 2L));

    // The next batch starts a new delay.
    stage.write(List.of(at(0, 2, segment("c", 1))));
    clock.advance(Duration.ofSeconds(4));
    assertThat(stage.flush(false)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(stage.flush(false)).isEqualTo(Map.of(0, 3L));
    assertThat(output.flushes()).isEqualTo(2);
  }

  @Test
  void forcedFlushFlushesAnythingPendingAtOnce() {
    stage.write(List.of(at(2, 41, oversized("x"))));

    assertThat(stage.flush(true)).isEqualTo(Map.of(2, 42L));
    assertThat(output.flushes()).isEqualTo(1);
  }

  @Test
  void nothingPendingMeansNoOutputFlush() {
    assertThat(stage.flush(true)).isEmpty();
    clock.advance(MAX_DELAY.multipliedBy(10));
    assertThat(stage.flush(false)).isEmpty();

    stage.write(List.of());
    clock.advance(MAX_DELAY);
    assertThat(stage.flush(false)).isEmpty();
    assertThat(stage.flush(true)).isEmpty();

    assertThat(output.flushes()).isZero();
    assertThat(output.failedFlushes()).isZero();
  }

  @Test
  void failedFlushPropagatesAndTheRewrittenRecordsAreReleasedNextTime() {
    List<SourcedRecord> batch = List.of(at(0, 5, segment("a", 2)), at(1, 9, oversized("b")));
    output.failNextFlush();
    stage.write(batch);

    assertThatThrownBy(() -> stage.flush(true)).isInstanceOf(RetriableException.class);
    assertThat(output.failedFlushes()).isEqualTo(1);

    // The runner gives the partitions up and re-reads from the last durable offsets.
    stage.closePartitions(List.of(0, 1));
    assertThat(stage.flush(true)).isEmpty();
    stage.write(batch);

    assertThat(stage.flush(true)).isEqualTo(Map.of(0, 6L, 1, 10L));
    assertThat(output.flushes()).isEqualTo(1);
    // Sent twice with the same ids: the repeats are removed downstream by id.
    assertThat(output.good).extracting(EnrichedEvent::eventId)
        .containsExactly("a-m0", "a-m1", "a-m0", "a-m1");
    assertThat(output.bad).hasSize(2);
    assertThat(output.bad.get(1).id()).isEqualTo(output.bad.get(0).id());
  }

  @Test
  void failedTimedFlushKeepsTheOffsetsPendingUntilReleased() {
    output.failNextFlush();
    stage.write(List.of(at(0, 0, segment("a", 1))));
    clock.advance(MAX_DELAY);

    assertThatThrownBy(() -> stage.flush(false)).isInstanceOf(RetriableException.class);

    stage.closePartitions(List.of(0));
    stage.write(List.of(at(0, 0, segment("a", 1))));
    // A new delay starts with the re-written records.
    assertThat(stage.flush(false)).isEmpty();
    clock.advance(MAX_DELAY);
    assertThat(stage.flush(false)).isEqualTo(Map.of(0, 1L));
  }

  @Test
  void closePartitionsDropsOnlyTheirPendingOffsets() {
    stage.write(List.of(at(0, 1, segment("a", 1)), at(1, 2, segment("b", 1)),
        at(2, 3, segment("c", 1))));

    stage.closePartitions(List.of(1));

    assertThat(stage.flush(true)).isEqualTo(Map.of(0, 2L, 2, 4L));
  }

  @Test
  void closingEveryPendingPartitionLeavesNothingToFlush() {
    stage.write(List.of(at(0, 1, segment("a", 1)), at(1, 2, segment("b", 1))));

    stage.closePartitions(List.of(0, 1, 5));

    assertThat(stage.flush(true)).isEmpty();
    assertThat(output.flushes()).isZero();
  }

  // ---- Replays ---------------------------------------------------------------------------------

  @Test
  void replayedRecordsCountAsRecoveredOrStillBad() {
    stage.write(List.of(
        at(0, 0, segment("a", 2).withReplayId("r1")),
        at(0, 1, segment("b", 1).withReplayId("r1")),
        at(0, 2, oversized("c").withReplayId("r1")),
        at(0, 3, EventProcessorTest.snowplowWithOneBadVid("d").withReplayId("r1")),
        at(0, 4, segment("e", 1).withReplayId("r2")),
        at(0, 5, segment("f", 1)),
        at(0, 6, oversized("g"))));

    ReplayProgress.Counts r1 = replays.counts("r1");
    assertThat(r1.recovered()).isEqualTo(2);
    assertThat(r1.stillBad()).isEqualTo(2); // a record with good and bad events is still bad
    assertThat(r1.processed()).isEqualTo(4);
    assertThat(replays.counts("r2")).isEqualTo(new ReplayProgress.Counts(1, 0));
    assertThat(replays.counts("unknown")).isEqualTo(new ReplayProgress.Counts(0, 0));
    assertThat(replays.counts("unknown").processed()).isZero();
    assertThat(output.bad).filteredOn(b -> "r1".equals(b.replayId())).hasSize(2);
  }

  @Test
  void recordsProcessedAgainAfterAFailedFlushAreCountedOnce() {
    List<io.tributary.core.SourcedRecord> batch = List.of(
        at(0, 0, segment("a", 1).withReplayId("r1")),
        at(0, 1, oversized("b").withReplayId("r1")));
    output.failNextFlush();
    stage.write(batch);
    assertThatThrownBy(() -> stage.flush(true)).isInstanceOf(io.tributary.core.RetriableException.class);
    stage.closePartitions(List.of(0));
    stage.write(batch); // the runner re-reads from the last durable offset
    stage.flush(true);
    assertThat(replays.counts("r1")).isEqualTo(new ReplayProgress.Counts(1, 1));
  }
}
