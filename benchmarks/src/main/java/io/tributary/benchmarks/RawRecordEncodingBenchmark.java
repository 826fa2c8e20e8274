package io.tributary.benchmarks;

import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * The raw topic / raw lake line of a 100-event Segment batch: encoded by the collector, decoded by
 * enrich (and the lake). Scores are events/s; divide by 100 for records/s.
 */
public class RawRecordEncodingBenchmark extends ThroughputBenchmark {
  static final int EVENTS = 100;

  private RawRecord record;
  private byte[] line;

  @Setup
  public void setUp() {
    record = Fixtures.segmentRecord("raw-seg-0", Fixtures.segmentBatchLikeLua(EVENTS));
    line = RawRecordCodec.encode(record);
    if (RawRecordCodec.decode(line).body().length != record.body().length) {
      throw new IllegalStateException("raw record does not round-trip");
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public byte[] encodeSegmentBatch() {
    return RawRecordCodec.encode(record);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public RawRecord decodeSegmentBatch() {
    return RawRecordCodec.decode(line);
  }
}
