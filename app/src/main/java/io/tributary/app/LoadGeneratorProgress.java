package io.tributary.app;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The progress line printed every second: the last second's acked events/s, totals and errors. */
final class LoadGeneratorProgress {
  private static final long MIN_LAST_NANOS = 250_000_000L;

  private final LoadGeneratorStats stats;
  private final PrintStream out;
  private final long startNanos;
  private long lastNanos;
  private long lastAcked;
  private long lastRequests;

  LoadGeneratorProgress(LoadGeneratorStats stats, PrintStream out, long startNanos) {
    this.stats = stats;
    this.out = out;
    this.startNanos = startNanos;
    this.lastNanos = startNanos;
  }

  /** Prints one line for the time since the last one (called by one thread at a time). */
  synchronized void tick() {
    long now = System.nanoTime();
    LoadGeneratorStats.Snapshot s = stats.snapshot();
    Histogram interval = stats.interval();
    print(now, s, interval);
  }

  /** The last line, unless the previous one was just printed (a rate over a few ms means nothing). */
  synchronized void last() {
    long now = System.nanoTime();
    LoadGeneratorStats.Snapshot s = stats.snapshot();
    Histogram interval = stats.interval();
    if (now - lastNanos >= MIN_LAST_NANOS) {
      print(now, s, interval);
    }
  }

  private void print(long now, LoadGeneratorStats.Snapshot s, Histogram interval) {
    double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
    out.println(line((now - startNanos) / 1e9, (s.ackedEvents() - lastAcked) / seconds,
        (s.requests() - lastRequests) / seconds, s, interval));
    lastNanos = now;
    lastAcked = s.ackedEvents();
    lastRequests = s.requests();
  }

  static String line(double elapsedSeconds, double ackedPerSecond, double requestsPerSecond,
      LoadGeneratorStats.Snapshot s, Histogram interval) {
    String p99 = interval.getTotalCount() == 0 ? "-"
        : String.format(Locale.ROOT, "%.1f ms", interval.getValueAtPercentile(99) / 1000.0);
    return String.format(Locale.ROOT,
        "[%5.1fs] acked %,9.0f events/s %,7.0f req/s | total %,d events, %,d requests | errors %,d | p99 %s",
        elapsedSeconds, ackedPerSecond, requestsPerSecond, s.ackedEvents(), s.requests(), s.errors(), p99);
  }
}
