package io.tributary.benchmarks;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.RawRecordCodec;
import io.tributary.enrich.EventCheck;
import io.tributary.enrich.EventProcessor;
import io.tributary.enrich.Failure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The enrich stage's logic on one thread, per event: "validate + UA + campaign + fingerprint" (the
 * target of issue 3/5). The checks are the app's wiring: SelfDescribingValidator (schemas from a
 * temporary DirectoryRegistry, cached by SchemaResolver) then EnrichmentPipeline.standard(defaults):
 * URL parsing, campaign, referer, user agent (Caffeine-cached uap-java), SHA-256 fingerprint.
 *
 * <ul>
 *   <li>{@code snowplowRecord}: EventProcessor.process of a raw line of a tp2 request of 10
 *       self-describing events (ue_px + 2 cx entities, validated); 50 such records, each from another
 *       browser (50 distinct user agents), processed in turn.
 *   <li>{@code segmentBatchRecord}: the same for 100-event Segment batches (SegmentNormalizer →
 *       toEnriched → checks); user agents cycle through the 50 per event. Segment events carry no
 *       self-describing JSON, so validation finds nothing to do.
 *   <li>{@code *ChecksOnly}: the checks alone (validate + pipeline) on events adapted in setup,
 *       i.e. without raw-line decoding and protocol adaptation.
 * </ul>
 */
public class EnrichmentBenchmark extends ThroughputBenchmark {
  static final int SNOWPLOW_EVENTS = 10;
  static final int SNOWPLOW_RECORDS = 50;
  static final int SEGMENT_EVENTS = 100;
  static final int SEGMENT_RECORDS = 4;

  private Path schemas;
  private Fixtures.Enrich enrich;
  private byte[][] snowplowLines;
  private byte[][] segmentLines;
  private EnrichedEvent[] snowplowEvents;
  private EnrichedEvent[] segmentEvents;
  private EventCheck[] checks;
  private int nextSnowplow;
  private int nextSegment;
  private int nextSnowplowEvent;
  private int nextSegmentEvent;

  @Setup(Level.Trial)
  public void setUp() {
    schemas = Fixtures.schemaDirectory();
    enrich = new Fixtures.Enrich(schemas);
    checks = enrich.checks.toArray(new EventCheck[0]);
    snowplowLines = new byte[SNOWPLOW_RECORDS][];
    List<EnrichedEvent> sp = new ArrayList<>();
    for (int r = 0; r < SNOWPLOW_RECORDS; r++) {
      snowplowLines[r] = RawRecordCodec.encode(Fixtures.snowplowRecord("raw-sp-" + r,
          Fixtures.snowplowTp2(SNOWPLOW_EVENTS, r * SNOWPLOW_EVENTS), Fixtures.USER_AGENTS.get(r)));
      // Also warms the schema and user-agent caches, as a running stage has them.
      sp.addAll(enrich.processAllGood(snowplowLines[r], SNOWPLOW_EVENTS).good());
    }
    segmentLines = new byte[SEGMENT_RECORDS][];
    List<EnrichedEvent> seg = new ArrayList<>();
    for (int r = 0; r < SEGMENT_RECORDS; r++) {
      segmentLines[r] = RawRecordCodec.encode(Fixtures.segmentRecord("raw-seg-" + r,
          Fixtures.segmentBatch(SEGMENT_EVENTS, r * 137, true)));
      seg.addAll(enrich.processAllGood(segmentLines[r], SEGMENT_EVENTS).good());
    }
    snowplowEvents = sp.toArray(new EnrichedEvent[0]);
    segmentEvents = seg.toArray(new EnrichedEvent[0]);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Fixtures.deleteRecursively(schemas);
  }

  @Benchmark
  @OperationsPerInvocation(SNOWPLOW_EVENTS)
  public EventProcessor.Output snowplowRecord() {
    byte[] line = snowplowLines[nextSnowplow];
    nextSnowplow = (nextSnowplow + 1) % SNOWPLOW_RECORDS;
    return enrich.processor.process(line);
  }

  @Benchmark
  @OperationsPerInvocation(SEGMENT_EVENTS)
  public EventProcessor.Output segmentBatchRecord() {
    byte[] line = segmentLines[nextSegment];
    nextSegment = (nextSegment + 1) % SEGMENT_RECORDS;
    return enrich.processor.process(line);
  }

  @Benchmark
  @OperationsPerInvocation(SNOWPLOW_EVENTS)
  public void snowplowChecksOnly(Blackhole bh) {
    nextSnowplowEvent = runChecks(snowplowEvents, nextSnowplowEvent, SNOWPLOW_EVENTS, bh);
  }

  @Benchmark
  @OperationsPerInvocation(SNOWPLOW_EVENTS)
  public void segmentChecksOnly(Blackhole bh) {
    nextSegmentEvent = runChecks(segmentEvents, nextSegmentEvent, SNOWPLOW_EVENTS, bh);
  }

  // Re-running the checks on an already enriched event costs what the first run did: every
  // enrichment recomputes and overwrites its fields (the fingerprint excludes itself).
  private int runChecks(EnrichedEvent[] events, int from, int count, Blackhole bh) {
    int i = from;
    for (int n = 0; n < count; n++) {
      EnrichedEvent e = events[i];
      for (EventCheck check : checks) {
        List<Failure> failures = check.check(e);
        bh.consume(failures);
      }
      i = i + 1 == events.length ? 0 : i + 1;
    }
    return i;
  }
}
