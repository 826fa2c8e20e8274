package io.tributary.app;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the load of one run: one thread per connection, each with at most one request in flight over
 * a shared HTTP/1.1 client (which keeps one keep-alive connection per concurrent request), a progress
 * line every second, and freshness polling alongside. Bounded: sending stops at the count or the
 * deadline, each request has a time limit, and freshness polling a time limit after the run.
 */
final class LoadGenerator {
  static final Duration FRESHNESS_WAIT = Duration.ofSeconds(30);
  private static final String USER_AGENT = "tributary-bench/0.1";
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final LoadGeneratorSettings settings;
  private final PrintStream out;

  LoadGenerator(LoadGeneratorSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  LoadGeneratorResult run() {
    Instant startedAt = Instant.now();
    long runId = new SecureRandom().nextLong();
    List<LoadGeneratorBodies> bodies = new ArrayList<>();
    for (int c = 0; c < settings.connections(); c++) {
      bodies.add(LoadGeneratorBodies.create(settings.mode(), settings.batch(), settings.eventBytes(),
          runId, c, startedAt));
    }
    int requestBytes = bodies.get(0).templateBytes();
    out.println(header(requestBytes, bodies.get(0).eventBytes()));
    if (!settings.warmup().isZero()) {
      out.printf(Locale.ROOT, "Warming up for %.1f s (not counted)%n",
          settings.warmup().toMillis() / 1000.0);
      sendAll(bodies, new LoadGeneratorStats(), new LoadGeneratorSchedule(System.nanoTime(),
          settings.rate(), 0, settings.warmup()), null);
      out.println("Warm-up over; the run proper starts");
    }

    LoadGeneratorStats stats = new LoadGeneratorStats();
    long start = System.nanoTime();
    LoadGeneratorFreshness freshness = settings.token() == null || settings.freshnessSamples() == 0
        ? null
        : new LoadGeneratorFreshness(settings.freshnessSamples(), settings.count(), settings.duration(),
            new BenchQueryProbe(settings.queryUrl(), settings.token()), System::nanoTime);
    FreshnessPoller poller = freshness == null ? null : new FreshnessPoller(freshness);
    long cpuBefore = processCpuNanos();
    sendAll(bodies, stats, new LoadGeneratorSchedule(start, settings.rate(), settings.count(),
        settings.duration()), freshness);
    long elapsed = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpuBefore;

    LoadGeneratorFreshness.Result fresh = poller == null ? null : poller.finish(out);
    LoadGeneratorStats.Snapshot s = stats.snapshot();
    return new LoadGeneratorResult(settings, startedAt, elapsed, cpu, requestBytes, s.requests(),
        s.okRequests(), s.ackedEvents(), s.bytesSent(), stats.total(), stats.errorsByStatus(),
        stats.errorsByException(), stats.firstMessages(), fresh, freshnessNote());
  }

  /** Runs the connections until the schedule ends, printing progress every second. */
  private void sendAll(List<LoadGeneratorBodies> bodies, LoadGeneratorStats stats,
      LoadGeneratorSchedule schedule, LoadGeneratorFreshness freshness) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0
            ? settings.timeout() : MAX_CONNECT_TIMEOUT)
        .build();
    LoadGeneratorProgress progress = new LoadGeneratorProgress(stats, out, schedule.startNanos());
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bench-progress"));
    ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < settings.connections(); c++) {
      workers.add(daemon(new LoadGeneratorWorker(settings, http, bodies.get(c), schedule, stats,
          freshness, USER_AGENT), "bench-" + c));
    }
    workers.forEach(Thread::start);
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        schedule.stop();
        Thread.currentThread().interrupt();
        break;
      }
    }
    ticker.shutdownNow();
    progress.last();
  }

  private String freshnessNote() {
    return settings.freshnessSamples() == 0 ? "not measured (--freshness-samples 0)"
        : settings.token() == null ? "not measured: no admin token (pass --token, or run from the "
            + "directory whose data dir holds credentials.json)" : null;
  }

  private String header(int requestBytes, int eventBytes) {
    int events = settings.eventsPerRequest();
    return String.format(Locale.ROOT,
        "Sending %s to %s: %d connections, %d event%s/request (%d B/event, %,d B/request), %s, %s",
        settings.mode().cliName(), settings.target(), settings.connections(), events,
        events == 1 ? "" : "s", eventBytes, requestBytes,
        settings.rate() > 0 ? String.format(Locale.ROOT, "%.1f requests/s", settings.rate()) : "flat out",
        bounds());
  }

  private String bounds() {
    String d = settings.duration() == null ? null : settings.duration().toMillis() / 1000.0 + " s";
    String c = settings.count() > 0 ? settings.count() + " requests" : null;
    return d != null && c != null ? "for " + d + " or " + c + ", whichever comes first"
        : d != null ? "for " + d : "for " + c;
  }

  /** This process's CPU time, to show when the generator itself takes much of the machine. */
  private static long processCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Polls for the samples during the run, then until all appeared or {@link #FRESHNESS_WAIT}. */
  private static final class FreshnessPoller {
    private final LoadGeneratorFreshness freshness;
    private final Thread thread;
    private volatile boolean runOver;
    private volatile long giveUpAt;

    FreshnessPoller(LoadGeneratorFreshness freshness) {
      this.freshness = freshness;
      this.thread = daemon(this::poll, "bench-freshness");
      thread.start();
    }

    private void poll() {
      try {
        freshness.pollWhile(() -> !runOver || !freshness.done() && System.nanoTime() - giveUpAt < 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    LoadGeneratorFreshness.Result finish(PrintStream out) {
      giveUpAt = System.nanoTime() + FRESHNESS_WAIT.toNanos();
      runOver = true;
      if (!freshness.done()) {
        out.println("Waiting up to " + FRESHNESS_WAIT.toSeconds() + " s for the sampled events to "
            + "appear in `events`...");
      }
      try {
        thread.join(FRESHNESS_WAIT.toMillis() + 15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread.interrupt();
      return freshness.result();
    }
  }
}
