package io.tributary.app;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the connections report while the load runs. Recording is wait-free and may be called from any
 * thread; {@link #interval()} is called by one reporting thread at a time.
 */
final class LoadGeneratorStats {
  /** A copy of the counters at one instant. */
  record Snapshot(long requests, long okRequests, long ackedEvents, long errors, long bytesSent) {}

  private static final int MAX_MESSAGE = 200;

  private final LongAdder requests = new LongAdder();
  private final LongAdder okRequests = new LongAdder();
  private final LongAdder ackedEvents = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byException = new ConcurrentHashMap<>();
  /** The first answer or message seen for each error, to say why it failed. */
  private final Map<String, String> firstMessages = new ConcurrentHashMap<>();
  private final Recorder latencyMicros = new Recorder(3);
  private final Histogram total = new Histogram(3);

  /** An HTTP answer, 2xx or not, with its latency from the intended start. */
  void response(int status, int events, int bytes, long latencyNanos, String body) {
    requests.increment();
    bytesSent.add(bytes);
    latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
    if (status >= 200 && status < 300) {
      okRequests.increment();
      ackedEvents.add(events);
    } else {
      errors.increment();
      byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
      firstMessages.putIfAbsent("HTTP " + status, cut(body));
    }
  }

  /** A request that got no HTTP answer (refused, reset, timed out...). */
  void failure(Throwable error) {
    requests.increment();
    errors.increment();
    String type = error.getClass().getSimpleName();
    byException.computeIfAbsent(type, t -> new LongAdder()).increment();
    firstMessages.putIfAbsent(type, cut(message(error)));
  }

  /** The first message in the cause chain: java.net.http often throws without one of its own. */
  private static String message(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t == error ? t.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return "";
  }

  Snapshot snapshot() {
    return new Snapshot(requests.sum(), okRequests.sum(), ackedEvents.sum(), errors.sum(),
        bytesSent.sum());
  }

  /** The latencies (µs) recorded since the last call; they are also added to {@link #total()}. */
  synchronized Histogram interval() {
    Histogram h = latencyMicros.getIntervalHistogram();
    total.add(h);
    return h;
  }

  /** All latencies (µs) taken by {@link #interval()} so far. */
  synchronized Histogram total() {
    return total.copy();
  }

  Map<Integer, Long> errorsByStatus() {
    Map<Integer, Long> m = new TreeMap<>();
    byStatus.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  Map<String, Long> errorsByException() {
    Map<String, Long> m = new TreeMap<>();
    byException.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  Map<String, String> firstMessages() {
    return new TreeMap<>(firstMessages);
  }

  private static String cut(String s) {
    return s == null ? "" : s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
