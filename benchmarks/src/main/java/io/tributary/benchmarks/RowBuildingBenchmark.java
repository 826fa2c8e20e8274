package io.tributary.benchmarks;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The enriched topic's format: encode (enrich's output) and decode (the loader's input path, before
 * it builds a row) of one fully enriched Snowplow event. Scores are events/s.
 */
public class RowBuildingBenchmark extends ThroughputBenchmark {
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
