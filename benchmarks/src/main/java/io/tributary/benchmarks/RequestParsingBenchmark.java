package io.tributary.benchmarks;

import io.tributary.core.RawRecord;
import io.tributary.core.SegmentLimits;
import io.tributary.core.SegmentRequestChecker;
import io.tributary.enrich.AdapterResult;
import io.tributary.enrich.SnowplowAdapter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the collector does before acknowledging a Segment batch (one streaming pass of
 * SegmentRequestChecker), and the Snowplow tp2 adapter of the enrich stage. Scores are events/s.
 */
public class RequestParsingBenchmark extends ThroughputBenchmark {
  static final int SEGMENT_EVENTS = 100;
  static final int SNOWPLOW_EVENTS = 10;

  private final SegmentRequestChecker checker = new SegmentRequestChecker(SegmentLimits.DEFAULT);
  private final SnowplowAdapter adapter = new SnowplowAdapter();
  private byte[] segmentBatch;
  private RawRecord snowplowRecord;

  @Setup
  public void setUp() {
    segmentBatch = Fixtures.segmentBatchLikeLua(SEGMENT_EVENTS);
    snowplowRecord = Fixtures.snowplowRecord("raw-sp-0", Fixtures.snowplowTp2(SNOWPLOW_EVENTS, 0),
        Fixtures.USER_AGENTS.get(0));
    if (checker.check(segmentBatch, null).events() != SEGMENT_EVENTS) {
      throw new IllegalStateException("segment fixture not accepted");
    }
    AdapterResult r = adapter.adapt(snowplowRecord);
    if (r.events().size() != SNOWPLOW_EVENTS || !r.failures().isEmpty()) {
      throw new IllegalStateException("snowplow fixture not adapted: " + r.failures());
    }
  }

  /** A 100-event /v1/batch body (~65 KB) checked by the collector. */
  @Benchmark
  @OperationsPerInvocation(SEGMENT_EVENTS)
  public SegmentRequestChecker.Result segmentBatchCheck() {
    return checker.check(segmentBatch, null);
  }

  /** A 10-event tp2 body (ue_px + cx base64) turned into enriched events. */
  @Benchmark
  @OperationsPerInvocation(SNOWPLOW_EVENTS)
  public AdapterResult snowplowTp2Adapt() {
    return adapter.adapt(snowplowRecord);
  }
}
