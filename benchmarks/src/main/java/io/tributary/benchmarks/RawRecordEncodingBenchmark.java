package io.tributary.benchmarks;

import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw topic / raw lake line of a 100-event Segment batch: encoded by the collector, decoded by
 * enrich (and the lake). Scores are events/s; divide by 100 for records/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RawRecordEncodingBenchmark {
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
