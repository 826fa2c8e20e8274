package io.tributary.benchmarks;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The enriched topic's format: encode (enrich's output) and decode (the loader's input path, before
 * it builds a row) of one fully enriched Snowplow event. Scores are events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RowBuildingBenchmark {
  private EnrichedEvent event;
  private byte[] json;

  @Setup(Level.Trial)
  public void setUp() {
    Path schemas = Fixtures.schemaDirectory();
    try {
      Fixtures.Enrich enrich = new Fixtures.Enrich(schemas);
      byte[] line = io.tributary.core.RawRecordCodec.encode(Fixtures.snowplowRecord("raw-row-0",
          Fixtures.snowplowTp2(1, 1), Fixtures.USER_AGENTS.get(1)));
      event = enrich.processAllGood(line, 1).good().get(0);
    } finally {
      Fixtures.deleteRecursively(schemas);
    }
    json = EnrichedEventCodec.encode(event);
    int fields = event.values().size();
    if (fields < 40 || EnrichedEventCodec.decode(json).values().size() != fields) {
      throw new IllegalStateException("expected a round-tripping event of >= 40 fields, got " + fields);
    }
    System.out.println("enriched event: " + fields + " fields, " + json.length + " bytes of JSON");
  }

  @Benchmark
  public byte[] encode() {
    return EnrichedEventCodec.encode(event);
  }

  @Benchmark
  public EnrichedEvent decode() {
    return EnrichedEventCodec.decode(json);
  }
}
