package io.tributary.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@link CpuTimeProbe}'s measure of {@code snowplowRecord} for two builds in one JVM, for telling
 * small changes apart on a shared machine: each benchmarks jar in its own class loader (its own
 * copy of every class and static cache), rounds of 50k events alternated between them, so both see
 * the same load. Prints each build's median CPU-us per event and the median of the paired
 * differences (B - A). Not JMH.
 * {@code java -cp benchmarks/target/benchmarks.jar io.tributary.benchmarks.PairedCpuTimeProbe A.jar B.jar [rounds]}
 */
public class PairedCpuTimeProbe {
  static Object sink;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Object[] benchmarks = new Object[2];
    Method[] record = new Method[2];
    for (int k = 0; k < 2; k++) {
      URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[k]).toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> type = loader.loadClass(EnrichmentBenchmark.class.getName());
      benchmarks[k] = type.getConstructor().newInstance();
      type.getMethod("setUp").invoke(benchmarks[k]);
      record[k] = type.getMethod("snowplowRecord");
    }
    int calls = 50_000 / EnrichmentBenchmark.SNOWPLOW_EVENTS;
    double[][] us = new double[2][rounds];
    for (int round = -3; round < rounds; round++) { // the first three warm up
      for (int j = 0; j < 2; j++) {
        int k = (round & 1) == 0 ? j : 1 - j; // A first, then B first
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
          sink = record[k].invoke(benchmarks[k]);
        }
        if (round >= 0) {
          us[k][round] = (mx.getCurrentThreadCpuTime() - t0) / 1e3 / (calls * 10.0);
        }
      }
    }
    double[] difference = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      difference[round] = us[1][round] - us[0][round];
    }
    for (int k = 0; k < 2; k++) {
      System.out.printf("%s: median %.2f CPU-us/event (rounds %s)%n", k == 0 ? "A" : "B",
          median(us[k]), Arrays.toString(Arrays.stream(us[k]).map(u -> Math.round(u * 100) / 100.0).toArray()));
    }
    System.out.printf("B - A: median of the paired differences %.2f CPU-us/event%n", median(difference));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
