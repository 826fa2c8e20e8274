package io.tributary.benchmarks;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.enrich.AdapterResult;
import io.tributary.enrich.Enrichment;
import io.tributary.enrich.SnowplowAdapter;
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
 * The steps of EnrichmentBenchmark.snowplowRecord one by one, per event, on the same inputs (10
 * events per tp2 record, 50 records/user agents): where the time of the enrich stage goes.
 */
public class EnrichmentStagesBenchmark extends ThroughputBenchmark {
  static final int EVENTS = EnrichmentBenchmark.SNOWPLOW_EVENTS;
  static final int RECORDS = EnrichmentBenchmark.SNOWPLOW_RECORDS;

  private Path schemas;
  private Fixtures.Enrich enrich;
  private final SnowplowAdapter adapter = new SnowplowAdapter();
  private byte[][] lines;
  private RawRecord[] records;
  private EnrichedEvent[][] events;
  private Enrichment urlParsing;
  private Enrichment campaign;
  private Enrichment referer;
  private Enrichment userAgent;
  private Enrichment fingerprint;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    schemas = Fixtures.schemaDirectory();
    enrich = new Fixtures.Enrich(schemas);
    lines = new byte[RECORDS][];
    records = new RawRecord[RECORDS];
    events = new EnrichedEvent[RECORDS][];
    for (int r = 0; r < RECORDS; r++) {
      records[r] = Fixtures.snowplowRecord("raw-sp-" + r,
          Fixtures.snowplowTp2(EVENTS, r * EVENTS), Fixtures.USER_AGENTS.get(r));
      lines[r] = RawRecordCodec.encode(records[r]);
      // Fully enriched events: what the fingerprint (run last) sees.
      events[r] = enrich.processAllGood(lines[r], EVENTS).good().toArray(new EnrichedEvent[0]);
    }
    List<Enrichment> e = new ArrayList<>(enrich.pipeline.enrichments());
    urlParsing = e.get(0);
    campaign = e.get(1);
    referer = e.get(2);
    userAgent = e.get(3);
    fingerprint = e.get(4);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Fixtures.deleteRecursively(schemas);
  }

  private int nextRecord() {
    int r = next;
    next = r + 1 == RECORDS ? 0 : r + 1;
    return r;
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public RawRecord s1_decodeRawLine() {
    return RawRecordCodec.decode(lines[nextRecord()]);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public AdapterResult s2_adaptTp2() {
    return adapter.adapt(records[nextRecord()]);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void s3_validateSelfDescribing(Blackhole bh) {
    for (EnrichedEvent e : events[nextRecord()]) {
      bh.consume(enrich.validator.validate(e));
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void s4_urlParsing() {
    enrichAll(urlParsing);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void s5_campaignAttribution() {
    enrichAll(campaign);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void s6_refererClassification() {
    enrichAll(referer);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void s7_userAgent() {
    enrichAll(userAgent);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void s8_fingerprint() {
    enrichAll(fingerprint);
  }

  // The enrichments write into the event, so their work is not dead code.
  private void enrichAll(Enrichment enrichment) {
    for (EnrichedEvent e : events[nextRecord()]) {
      enrichment.enrich(e);
    }
  }
}
