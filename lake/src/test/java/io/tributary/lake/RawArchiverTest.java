package io.tributary.lake;

import io.tributary.core.ManualClock;
import static io.tributary.lake.LakeRecords.lines;
import static io.tributary.lake.LakeRecords.record;
import static io.tributary.lake.LakeRecords.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.RetriableException;
import io.tributary.core.SourcedRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The raw archiver over the local store; {@code RawArchiverOnS3Test} runs the same tests on S3. */
public class RawArchiverTest {
  private static final Pattern FILE = Pattern.compile(
      "raw/dt=(\\d{4}-\\d{2}-\\d{2})/hr=(\\d{2})/part-(\\d{5})-(\\d{20})-(\\d{20})\\.ndjson\\.gz");
  private static final Instant T = Instant.parse("2026-11-22T12:58:00Z");
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration MAX_AGE = Duration.ofMinutes(1);

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));

  private static ArchiverSettings settings(int maxRecords, long maxBytes) {
    return new ArchiverSettings("raw", maxRecords, maxBytes, MAX_AGE);
  }

  private static ArchiverSettings lenient() {
    return settings(1_000_000, Long.MAX_VALUE);
  }

  /**
   * The lake called {@code name}: each call is a new store object over the same storage, as after a
   * restart.
   */
  protected LakeStore newStore(String name) {
    return new LocalLakeStore(dir.resolve(name));
  }

  private LakeStore store() {
    return newStore("lake");
  }

  private static long bytesOf(List<SourcedRecord> records) {
    return records.stream().mapToLong(r -> r.value().length + 1).sum();
  }

  private static String name(String hourDir, int partition, long first, long last) {
    return String.format("raw/%s/part-%05d-%020d-%020d.ndjson.gz", hourDir, partition, first, last);
  }

  // ---------------------------------------------------------------- when files are published

  @Test
  void theRecordCountOfADataFileComesFromTheOffsetsInItsName() {
    assertThat(RawArchiver.recordsIn(
        "raw/dt=2026-11-22/hr=13/part-00003-00000000000000001200-00000000000000001899.ndjson.gz"))
        .isEqualTo(700);
    assertThat(RawArchiver.recordsIn("_checkpoints/raw/partition-00003.json")).isZero();
  }

  @Test
  void nothingIsPublishedBeforeMaxAgeThenEverythingIs() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    archiver.open(List.of(0));
    archiver.write(records(0, 0, 3, T, SECOND));

    assertThat(archiver.flush(false)).isEmpty();
    clock.advance(MAX_AGE.minusMillis(1));
    assertThat(archiver.flush(false)).isEmpty();
    assertThat(store.list("")).isEmpty();

    clock.advance(Duration.ofMillis(1));
    assertThat(archiver.flush(false)).containsExactly(Map.entry(0, 3L));
    assertThat(store.list("raw/")).containsExactly(name("dt=2026-11-22/hr=12", 0, 0, 2));
    assertThat(archiver.flush(false)).isEmpty();
    assertThat(archiver.flush(true)).isEmpty();
  }

  @Test
  void ageCountsFromTheFirstBufferedRecord() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    archiver.write(List.of(record(0, 0, T)));
    clock.advance(Duration.ofSeconds(40));
    archiver.write(List.of(record(0, 1, T)));
    assertThat(archiver.flush(false)).isEmpty();
    clock.advance(Duration.ofSeconds(20));
    assertThat(archiver.flush(false)).containsExactly(Map.entry(0, 2L));

    // the next file's age starts with its own first record
    clock.advance(Duration.ofSeconds(30));
    archiver.write(List.of(record(0, 2, T)));
    clock.advance(Duration.ofSeconds(59));
    assertThat(archiver.flush(false)).isEmpty();
    clock.advance(SECOND);
    assertThat(archiver.flush(false)).containsExactly(Map.entry(0, 3L));
    assertThat(store.list("raw/")).containsExactly(
        name("dt=2026-11-22/hr=12", 0, 0, 1), name("dt=2026-11-22/hr=12", 0, 2, 2));
  }

  @Test
  void publishesWhenMaxRecordsIsReached() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, settings(3, Long.MAX_VALUE), clock);
    archiver.write(records(0, 100, 2, T, SECOND));
    assertThat(archiver.flush(false)).isEmpty();
    archiver.write(records(0, 102, 1, T, SECOND));
    assertThat(archiver.flush(false)).containsExactly(Map.entry(0, 103L));
    assertThat(store.list("raw/")).containsExactly(name("dt=2026-11-22/hr=12", 0, 100, 102));
  }

  @Test
  void publishesWhenMaxBytesIsReached() {
    List<SourcedRecord> input = records(0, 0, 4, T, SECOND);
    LakeStore store = store();
    // due once the uncompressed size (lines plus newlines) of all four is buffered
    RawArchiver archiver = new RawArchiver(store, settings(1000, bytesOf(input)), clock);
    archiver.write(input.subList(0, 3));
    assertThat(archiver.flush(false)).isEmpty();
    archiver.write(input.subList(3, 4));
    assertThat(archiver.flush(false)).containsExactly(Map.entry(0, 4L));
    assertThat(store.list("raw/")).containsExactly(name("dt=2026-11-22/hr=12", 0, 0, 3));
  }

  @Test
  void maxBytesBoundsAllPartitionsTogetherAndTheFullestIsPublishedFirst() {
    List<SourcedRecord> p0 = records(0, 0, 3, T, SECOND);
    List<SourcedRecord> p1 = records(1, 0, 2, T, SECOND);
    List<SourcedRecord> p2 = records(2, 0, 1, T, SECOND);
    LakeStore store = store();
    // Each partition alone is below the bound; together they reach it.
    RawArchiver archiver = new RawArchiver(store,
        settings(1000, bytesOf(p0) + bytesOf(p1) + bytesOf(p2)), clock);
    archiver.open(List.of(0, 1, 2));
    archiver.write(p0);
    archiver.write(p1);
    assertThat(archiver.flush(false)).isEmpty();
    archiver.write(p2);
    // Publishing the fullest (partition 0) brings the rest under the bound.
    assertThat(archiver.flush(false)).containsExactly(Map.entry(0, 3L));
    assertThat(store.list("raw/")).containsExactly(name("dt=2026-11-22/hr=12", 0, 0, 2));
    assertThat(archiver.flush(true)).containsOnly(Map.entry(1, 2L), Map.entry(2, 1L));
  }

  @Test
  void forcePublishesEverythingBuffered() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    assertThat(archiver.flush(true)).isEmpty();
    archiver.write(records(0, 7, 2, T, SECOND));
    assertThat(archiver.flush(true)).containsExactly(Map.entry(0, 9L));
    assertThat(store.list("raw/")).containsExactly(name("dt=2026-11-22/hr=12", 0, 7, 8));
  }

  @Test
  void flushReturnsNextOffsetsOfThePartitionsThatWereDue() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, settings(3, Long.MAX_VALUE), clock);
    archiver.open(List.of(0, 1, 2));
    List<SourcedRecord> batch = new ArrayList<>();
    batch.addAll(records(0, 10, 3, T, SECOND));
    batch.addAll(records(1, 500, 2, T, SECOND));
    batch.addAll(records(2, 0, 4, T, SECOND));
    archiver.write(batch);

    assertThat(archiver.flush(false)).containsOnly(Map.entry(0, 13L), Map.entry(2, 4L));
    assertThat(archiver.flush(true)).containsOnly(Map.entry(1, 502L));
    assertThat(store.list("raw/")).containsExactly(
        name("dt=2026-11-22/hr=12", 0, 10, 12),
        name("dt=2026-11-22/hr=12", 1, 500, 501),
        name("dt=2026-11-22/hr=12", 2, 0, 3));
  }

  @Test
  void closedPartitionsAreDroppedOthersKept() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    archiver.open(List.of(0, 1));
    archiver.write(List.of(record(0, 0, T), record(1, 0, T)));
    archiver.closePartitions(List.of(1));
    assertThat(archiver.flush(true)).containsExactly(Map.entry(0, 1L));
    assertThat(store.list("raw/")).containsExactly(name("dt=2026-11-22/hr=12", 0, 0, 0));
  }

  // ---------------------------------------------------------------- layout and content

  @Test
  void fileNameHasDateHourPartitionAndZeroPaddedOffsets() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    Instant t = Instant.parse("2026-11-22T13:05:00Z");
    archiver.write(records(3, 1200, 700, t, Duration.ofMillis(100)));
    archiver.flush(true);
    assertThat(store.list("")).containsExactly(
        "_checkpoints/raw/partition-00003.json",
        "raw/dt=2026-11-22/hr=13/part-00003-00000000000000001200-00000000000000001899.ndjson.gz");
  }

  @Test
  void aBatchSpanningHoursIsSplitByTheRecordTimestampInUtc() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    Instant t = Instant.parse("2026-11-22T23:59:58Z");
    // 23:59:58, 23:59:59 | 00:00:00 ... 00:00:03 (next day)
    List<SourcedRecord> input = records(5, 40, 6, t, SECOND);
    archiver.write(input);
    assertThat(archiver.flush(true)).containsExactly(Map.entry(5, 46L));

    assertThat(store.list("raw/")).containsExactly(
        name("dt=2026-11-22/hr=23", 5, 40, 41),
        name("dt=2026-11-23/hr=00", 5, 42, 45));
    assertThat(lines(store.get(name("dt=2026-11-22/hr=23", 5, 40, 41)).orElseThrow()))
        .containsExactly(input.get(0).value(), input.get(1).value());
    assertThat(lines(store.get(name("dt=2026-11-23/hr=00", 5, 42, 45)).orElseThrow()))
        .containsExactly(input.get(2).value(), input.get(3).value(), input.get(4).value(),
            input.get(5).value());
  }

  @Test
  void outOfOrderTimestampsAroundAnHourKeepEachRecordOnceInItsHour() {
    // concurrent collector threads can append a 12:59:59.999 request after a 13:00:00.001 one
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    List<SourcedRecord> input = List.of(
        record(0, 0, Instant.parse("2026-11-22T12:59:59.900Z")),
        record(0, 1, Instant.parse("2026-11-22T13:00:00.001Z")),
        record(0, 2, Instant.parse("2026-11-22T12:59:59.999Z")),
        record(0, 3, Instant.parse("2026-11-22T13:00:00.002Z")));
    archiver.write(input);
    assertThat(archiver.flush(true)).containsExactly(Map.entry(0, 4L));

    // file names carry the first and last offset of their content, so their ranges interleave
    assertThat(store.list("raw/")).containsExactly(
        name("dt=2026-11-22/hr=12", 0, 0, 2), name("dt=2026-11-22/hr=13", 0, 1, 3));
    assertThat(lines(store.get(name("dt=2026-11-22/hr=12", 0, 0, 2)).orElseThrow()))
        .containsExactly(input.get(0).value(), input.get(2).value());
    assertThat(lines(store.get(name("dt=2026-11-22/hr=13", 0, 1, 3)).orElseThrow()))
        .containsExactly(input.get(1).value(), input.get(3).value());
  }

  @Test
  void hourIsTakenFromTheRecordTimestampNotFromTheClock() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    archiver.write(List.of(record(0, 0, Instant.parse("2025-02-03T04:05:06.999Z"))));
    archiver.flush(true);
    assertThat(store.list("raw/")).containsExactly(name("dt=2025-02-03/hr=04", 0, 0, 0));
  }

  @Test
  void fileHoldsOneLinePerRecordByteIdenticalInOffsetOrder() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    List<SourcedRecord> input = records(0, 0, 50, T, Duration.ofMillis(10));
    // including a non-JSON body, which the codec keeps as base64
    input.add(new SourcedRecord(0, 50, T.toEpochMilli(), io.tributary.core.RawRecordCodec.encode(
        new io.tributary.core.RawRecord("bin", "web", "segment", "/v1/batch", T, null, null, null,
            new byte[] {0, (byte) 0xff, '\n', '\r'}), false)));
    for (int i = 0; i < input.size(); i += 7) {
      archiver.write(input.subList(i, Math.min(i + 7, input.size())));
    }
    archiver.flush(true);

    List<String> files = store.list("raw/");
    assertThat(files).containsExactly(name("dt=2026-11-22/hr=12", 0, 0, 50));
    List<byte[]> lines = lines(store.get(files.get(0)).orElseThrow());
    assertThat(lines).hasSize(input.size());
    for (int i = 0; i < input.size(); i++) {
      assertThat(lines.get(i)).as("line %d", i).isEqualTo(input.get(i).value());
    }
  }

  // ---------------------------------------------------------------- checkpoints

  @Test
  void openWithoutCheckpointReturnsNothing() {
    RawArchiver archiver = new RawArchiver(store(), lenient(), clock);
    assertThat(archiver.open(List.of(0, 1, 2))).isEmpty();
  }

  @Test
  void checkpointAfterFlushIsWhatANewArchiverResumesFrom() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    archiver.open(List.of(0, 1));
    archiver.write(records(0, 0, 5, T, SECOND));
    archiver.write(records(1, 30, 2, T, SECOND));
    archiver.flush(true);
    archiver.close();

    assertThat(new String(store.get("_checkpoints/raw/partition-00000.json").orElseThrow(),
        StandardCharsets.UTF_8)).isEqualTo("{\"next_offset\":5,\"pending_end\":null}");

    RawArchiver next = new RawArchiver(store(), lenient(), clock);
    assertThat(next.open(List.of(0, 1, 2))).containsOnly(Map.entry(0, 5L), Map.entry(1, 32L));
    // and it continues where the first stopped
    next.write(records(0, 5, 1, T, SECOND));
    assertThat(next.flush(true)).containsExactly(Map.entry(0, 6L));
    assertThat(store.list("raw/")).containsExactly(
        name("dt=2026-11-22/hr=12", 0, 0, 4),
        name("dt=2026-11-22/hr=12", 0, 5, 5),
        name("dt=2026-11-22/hr=12", 1, 30, 31));
  }

  @Test
  void unreadableCheckpointFailsOpen() {
    LakeStore store = store();
    store.put("_checkpoints/raw/partition-00000.json", "garbage".getBytes(StandardCharsets.UTF_8));
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    assertThatThrownBy(() -> archiver.open(List.of(0))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("partition-00000.json");
  }

  // ---------------------------------------------------------------- crash idempotence

  /** A store that fails its Nth put (counted from 1) before writing anything. */
  private static final class CrashingStore implements LakeStore {
    private final LakeStore delegate;
    private final int failAt;
    private int puts;

    CrashingStore(LakeStore delegate, int failAt) {
      this.delegate = delegate;
      this.failAt = failAt;
    }

    @Override
    public void put(String path, byte[] data) {
      if (++puts == failAt) {
        throw new RetriableException("simulated crash writing " + path, null);
      }
      delegate.put(path, data);
    }

    @Override
    public Optional<byte[]> get(String path) {
      return delegate.get(path);
    }

    @Override
    public List<String> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public String location() {
      return delegate.location();
    }
  }

  /*
   * The scenario: partition 0, offsets 0..24, timestamps one per minute from 12:48 so that offsets
   * 0..11 fall in hour 12 and 12..24 in hour 13. An uninterrupted run publishes three flushes:
   * 0..7, 8..19 (two hour files) and 20..24. Puts are numbered over the run:
   *   flush 1: 1 pending checkpoint, 2 file, 3 checkpoint
   *   flush 2: 4 pending checkpoint, 5 file hr=12, 6 file hr=13, 7 checkpoint
   * A crash at put 5 happens after the pending checkpoint, 6 after one of the two hour files,
   * 7 before the final checkpoint.
   */
  private static final Instant CRASH_START = Instant.parse("2026-11-22T12:48:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static List<SourcedRecord> crashInput() {
    return records(0, 0, 25, CRASH_START, MINUTE);
  }

  private static final List<String> UNINTERRUPTED = List.of(
      name("dt=2026-11-22/hr=12", 0, 0, 7),
      name("dt=2026-11-22/hr=12", 0, 8, 11),
      name("dt=2026-11-22/hr=13", 0, 12, 19),
      name("dt=2026-11-22/hr=13", 0, 20, 24));

  @Test
  void uninterruptedRunProducesTheReferenceFiles() {
    LakeStore store = store();
    RawArchiver archiver = new RawArchiver(store, lenient(), clock);
    archiver.open(List.of(0));
    List<SourcedRecord> in = crashInput();
    archiver.write(in.subList(0, 8));
    assertThat(archiver.flush(true)).containsExactly(Map.entry(0, 8L));
    archiver.write(in.subList(8, 20));
    assertThat(archiver.flush(true)).containsExactly(Map.entry(0, 20L));
    archiver.write(in.subList(20, 25));
    assertThat(archiver.flush(true)).containsExactly(Map.entry(0, 25L));

    assertThat(store.list("raw/")).containsExactlyElementsOf(UNINTERRUPTED);
    assertLakeHoldsEachRecordOnce(store, in);
  }

  /** Runs the interrupted part: flush 1 succeeds, flush 2 crashes at put {@code failAt}. */
  private void crashDuringSecondFlush(RawArchiver archiver) {
    List<SourcedRecord> in = crashInput();
    assertThat(archiver.open(List.of(0))).isEmpty();
    archiver.write(in.subList(0, 8));
    assertThat(archiver.flush(true)).containsExactly(Map.entry(0, 8L));
    archiver.write(in.subList(8, 20));
    assertThatThrownBy(() -> archiver.flush(true)).isInstanceOf(RetriableException.class)
        .hasMessageContaining("simulated crash");
  }

  /** Feeds the records from {@code from} in uneven chunks, everything due, flushing after each. */
  private void refeed(RawArchiver archiver, long from, int... chunks) {
    List<SourcedRecord> in = crashInput();
    int i = (int) from;
    for (int chunk : chunks) {
      archiver.write(in.subList(i, Math.min(i + chunk, in.size())));
      i = Math.min(i + chunk, in.size());
      clock.advance(MAX_AGE.multipliedBy(2));
      archiver.flush(false);
    }
    assertThat(i).isEqualTo(in.size());
    clock.advance(MAX_AGE.multipliedBy(2));
    archiver.flush(false);
    archiver.flush(true);
  }

  @ParameterizedTest(name = "crash at put {0}")
  @ValueSource(ints = {5, 6, 7})
  void aNewArchiverAfterACrashRewritesExactlyTheSameFiles(int failAt) {
    crashDuringSecondFlush(new RawArchiver(new CrashingStore(store(), failAt), lenient(), clock));
    // 5: no file of the second flush yet, 6: its first hour file, 7: both hour files
    assertThat(store().list("raw/")).containsExactlyElementsOf(UNINTERRUPTED.subList(0, failAt - 4));
    assertThat(new String(store().get("_checkpoints/raw/partition-00000.json").orElseThrow(),
        StandardCharsets.UTF_8)).isEqualTo("{\"next_offset\":8,\"pending_end\":19}");

    RawArchiver recovered = new RawArchiver(store(), lenient(), clock);
    Map<Integer, Long> resume = recovered.open(List.of(0));
    assertThat(resume).containsExactly(Map.entry(0, 8L));
    // a different chunking than the first run, and always due: the pending range is still redone
    refeed(recovered, resume.get(0), 3, 5, 2, 7);

    assertThat(store().list("raw/")).containsExactlyElementsOf(UNINTERRUPTED);
    assertLakeHoldsEachRecordOnce(store(), crashInput());
    assertThat(new String(store().get("_checkpoints/raw/partition-00000.json").orElseThrow(),
        StandardCharsets.UTF_8)).isEqualTo("{\"next_offset\":25,\"pending_end\":null}");
  }

  @ParameterizedTest(name = "crash at put {0}")
  @ValueSource(ints = {5, 6, 7})
  void redoingThePendingRangeReturnsItsEndAndHoldsLaterRecordsBack(int failAt) {
    crashDuringSecondFlush(new RawArchiver(new CrashingStore(store(), failAt), lenient(), clock));

    RawArchiver recovered = new RawArchiver(store(), lenient(), clock);
    recovered.open(List.of(0));
    List<SourcedRecord> in = crashInput();
    clock.advance(Duration.ofHours(1));
    recovered.write(in.subList(8, 15));
    assertThat(recovered.flush(true)).as("pending range not complete yet").isEmpty();
    recovered.write(in.subList(15, 25));
    assertThat(recovered.flush(false)).containsExactly(Map.entry(0, 20L));
    assertThat(recovered.flush(false)).as("rest is young again").isEmpty();
    assertThat(recovered.flush(true)).containsExactly(Map.entry(0, 25L));
    assertThat(store().list("raw/")).containsExactlyElementsOf(UNINTERRUPTED);
  }

  @ParameterizedTest(name = "crash at put {0}")
  @ValueSource(ints = {5, 6, 7})
  void theSameArchiverRecoversLikeTheRunnerDrivesIt(int failAt) {
    // KafkaStageRunner: on failure it closes the partitions, re-opens them and seeks
    RawArchiver archiver = new RawArchiver(new CrashingStore(store(), failAt), lenient(), clock);
    crashDuringSecondFlush(archiver);
    archiver.closePartitions(List.of(0));
    Map<Integer, Long> resume = archiver.open(List.of(0));
    assertThat(resume).containsExactly(Map.entry(0, 8L));
    refeed(archiver, resume.get(0), 17);

    assertThat(store().list("raw/")).containsExactlyElementsOf(UNINTERRUPTED);
    assertLakeHoldsEachRecordOnce(store(), crashInput());
  }

  @Test
  void crashBeforeThePendingCheckpointLeavesNoTraceAndRecoveryIsConsistent() {
    crashDuringSecondFlush(new RawArchiver(new CrashingStore(store(), 4), lenient(), clock));
    assertThat(store().list("raw/")).containsExactly(UNINTERRUPTED.get(0));

    RawArchiver recovered = new RawArchiver(store(), lenient(), clock);
    Map<Integer, Long> resume = recovered.open(List.of(0));
    assertThat(resume).containsExactly(Map.entry(0, 8L));
    // file boundaries are free here (nothing of that flush was published), but the lake stays exact
    refeed(recovered, resume.get(0), 3, 5, 2, 7);
    assertLakeHoldsEachRecordOnce(store(), crashInput());
  }

  @Test
  void twoPartitionsCrashAndRecoverIndependently() {
    List<SourcedRecord> p0 = records(0, 0, 6, Instant.parse("2026-11-22T12:57:00Z"), MINUTE);
    List<SourcedRecord> p1 = records(1, 100, 6, Instant.parse("2026-11-22T12:57:00Z"), MINUTE);
    List<SourcedRecord> both = new ArrayList<>(p0);
    both.addAll(p1);

    // the reference run
    LakeStore ref = newStore("reference");
    RawArchiver reference = new RawArchiver(ref, lenient(), clock);
    reference.write(both);
    reference.flush(true);
    List<String> expected = ref.list("raw/");
    assertThat(expected).hasSize(4);

    // one flush, two partitions of two hour files each: 2 x (pending, file, file, checkpoint);
    // whichever partition comes second crashes after its first hour file
    RawArchiver crashing = new RawArchiver(new CrashingStore(store(), 7), lenient(), clock);
    crashing.write(both);
    assertThatThrownBy(() -> crashing.flush(true)).isInstanceOf(RetriableException.class);

    RawArchiver recovered = new RawArchiver(store(), lenient(), clock);
    Map<Integer, Long> resume = recovered.open(List.of(0, 1));
    assertThat(resume).hasSize(2);
    List<SourcedRecord> again = new ArrayList<>();
    again.addAll(p0.subList((int) (resume.get(0) - 0), p0.size()));
    again.addAll(p1.subList((int) (resume.get(1) - 100), p1.size()));
    for (SourcedRecord r : again) {
      recovered.write(List.of(r));
      clock.advance(MAX_AGE);
      recovered.flush(false);
    }
    recovered.flush(true);

    assertThat(store().list("raw/")).containsExactlyElementsOf(expected);
    assertLakeHoldsEachRecordOnce(store(), both);
  }

  /**
   * Every record of {@code all} is in exactly one file, files of a partition have disjoint,
   * contiguous offset ranges, and each file holds its range's records in offset order.
   */
  private static void assertLakeHoldsEachRecordOnce(LakeStore store, List<SourcedRecord> all) {
    Map<Integer, TreeMap<Long, SourcedRecord>> expected = new HashMap<>();
    for (SourcedRecord r : all) {
      expected.computeIfAbsent(r.partition(), p -> new TreeMap<>()).put(r.offset(), r);
    }
    Map<Integer, TreeMap<Long, Long>> ranges = new HashMap<>();
    for (String path : store.list("raw/")) {
      Matcher m = FILE.matcher(path);
      assertThat(m.matches()).as("file name %s", path).isTrue();
      int partition = Integer.parseInt(m.group(3));
      long first = Long.parseLong(m.group(4));
      long last = Long.parseLong(m.group(5));
      assertThat(ranges.computeIfAbsent(partition, p -> new TreeMap<>()).put(first, last))
          .as("two files start at %d", first).isNull();
      List<byte[]> lines = lines(store.get(path).orElseThrow());
      List<byte[]> want = expected.get(partition).subMap(first, true, last, true).values().stream()
          .map(SourcedRecord::value).toList();
      assertThat(lines).as("content of %s", path).containsExactlyElementsOf(want);
    }
    for (var e : expected.entrySet()) {
      long next = e.getValue().firstKey();
      for (var range : ranges.getOrDefault(e.getKey(), new TreeMap<>()).entrySet()) {
        assertThat(range.getKey()).as("partition %d: gap or overlap", e.getKey()).isEqualTo(next);
        next = range.getValue() + 1;
      }
      assertThat(next).as("partition %d covered up to", e.getKey()).isEqualTo(e.getValue().lastKey() + 1);
    }
  }
}
