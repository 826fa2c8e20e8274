package io.tributary.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Thread CPU time per event of three hot paths, for a shared machine where JMH's wall-clock scores
 * are noise: 6 rounds of 100k events, the first dropped (warm-up), median of the rest. Not JMH.
 * {@code java -cp benchmarks/target/benchmarks.jar io.tributary.benchmarks.CpuTimeProbe}
 */
public class CpuTimeProbe {
  static Object sink;

  public static void main(String[] args) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    EnrichmentBenchmark enrich = new EnrichmentBenchmark();
    enrich.setUp();
    RowBuildingBenchmark rows = new RowBuildingBenchmark();
    rows.setUp();
    for (String what : new String[] {"segmentBatchRecord", "snowplowRecord", "encode"}) {
      int perCall = what.equals("segmentBatchRecord") ? 100 : what.equals("snowplowRecord") ? 10 : 1;
      int calls = 100_000 / perCall;
      double[] us = new double[6];
      for (int round = 0; round < us.length; round++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
          sink = switch (what) {
            case "segmentBatchRecord" -> enrich.segmentBatchRecord();
            case "snowplowRecord" -> enrich.snowplowRecord();
            default -> rows.encode();
          };
        }
        us[round] = (mx.getCurrentThreadCpuTime() - t0) / 1e3 / (calls * (double) perCall);
      }
      double[] timed = Arrays.copyOfRange(us, 1, us.length); // round 0 is warm-up
      Arrays.sort(timed);
      System.out.printf("%s: median %.2f CPU-us/event (rounds %s)%n", what, timed[timed.length / 2],
          Arrays.toString(Arrays.stream(us).map(u -> Math.round(u * 100) / 100.0).toArray()));
    }
    enrich.tearDown();
  }
}
