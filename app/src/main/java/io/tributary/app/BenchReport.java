package io.tributary.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of a run as a summary for people and as a JSON report. */
final class BenchReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchReport() {}

  static String summary(LoadGeneratorResult r) {
    StringBuilder sb = new StringBuilder();
    Duration warmup = r.settings().warmup();
    line(sb, "Duration", warmup.isZero() ? "%.1f s" : "%.1f s, after a %.1f s warm-up left out of"
        + " every figure", r.seconds(), warmup.toMillis() / 1000.0);
    line(sb, "Requests", "%,d sent, %,d acknowledged (2xx), %,.1f requests/s", r.requests(),
        r.okRequests(), r.requestsPerSecond());
    line(sb, "Events", "%,d acknowledged, %,.0f events/s", r.ackedEvents(), r.ackedEventsPerSecond());
    line(sb, "Sent", "%,.1f MB of request bodies, %,.1f MB/s", r.bytesSent() / 1e6,
        r.seconds() == 0 ? 0 : r.bytesSent() / 1e6 / r.seconds());
    line(sb, "Latency", r.latencyMicros().getTotalCount() == 0 ? "no answers"
        : String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms "
            + "(from the intended send time)", r.latencyMillis(50), r.latencyMillis(95),
            r.latencyMillis(99), r.maxLatencyMillis()));
    line(sb, "Errors", r.errors() == 0 ? "none" : String.format(Locale.ROOT, "%,d: %s", r.errors(),
        errors(r)));
    r.errorMessages().forEach((kind, message) -> sb.append("             ").append(kind).append(": ")
        .append(message.isBlank() ? "(no message)" : message.replace('\n', ' ')).append('\n'));
    line(sb, "Generator", "%.1f s CPU while sending (%.2f of %d cores)", r.cpuNanos() / 1e9,
        r.cpuNanos() / (double) Math.max(1, r.elapsedNanos()), Runtime.getRuntime().availableProcessors());
    line(sb, "Freshness", r.freshness() == null ? r.freshnessNote() : freshness(r.freshness()));
    return sb.toString();
  }

  private static String errors(LoadGeneratorResult r) {
    String byStatus = r.errorsByStatus().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> String.format(Locale.ROOT, "%,d × HTTP %d", e.getValue(), e.getKey()))
        .collect(Collectors.joining(", "));
    String byException = r.errorsByException().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> String.format(Locale.ROOT, "%,d × %s", e.getValue(), e.getKey()))
        .collect(Collectors.joining(", "));
    return byStatus.isEmpty() ? byException : byException.isEmpty() ? byStatus : byStatus + ", " + byException;
  }

  private static String freshness(LoadGeneratorFreshness.Result f) {
    List<Long> v = f.visibleMillis();
    String figures = v.isEmpty() ? "" : String.format(Locale.ROOT,
        "; ack → visible in `events`: p50 %,d ms, p95 %,d ms, max %,d ms",
        percentile(v, 50), percentile(v, 95), v.get(v.size() - 1));
    return String.format(Locale.ROOT, "%d samples acknowledged, %d visible, %d never appeared%s%s",
        f.acked(), v.size(), f.neverAppeared(), figures,
        f.error() == null ? "" : " (polling stopped: " + f.error() + ")");
  }

  /** Nearest-rank percentile of a sorted, non-empty list. */
  static long percentile(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static void line(StringBuilder sb, String label, String format, Object... args) {
    sb.append(String.format(Locale.ROOT, "%-11s: ", label))
        .append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
  }

  static ObjectNode json(LoadGeneratorResult r) {
    LoadGeneratorSettings s = r.settings();
    ObjectNode root = JSON.createObjectNode();
    ObjectNode options = root.putObject("options");
    options.put("url", s.baseUrl().toString()).put("target", s.target().toString())
        .put("mode", s.mode().cliName()).put("batch", s.batch())
        .put("events_per_request", s.eventsPerRequest()).put("connections", s.connections())
        .put("rate", s.rate()).put("event_bytes", s.eventBytes())
        .put("timeout_seconds", s.timeout().toMillis() / 1000.0)
        .put("freshness_samples", s.freshnessSamples())
        .put("warmup_seconds", s.warmup().toMillis() / 1000.0)
        .put("write_key_given", s.writeKey() != null).put("token_given", s.token() != null);
    if (s.duration() != null) {
      options.put("duration_seconds", s.duration().toMillis() / 1000.0);
    } else {
      options.putNull("duration_seconds");
    }
    if (s.count() > 0) {
      options.put("count", s.count());
    } else {
      options.putNull("count");
    }
    root.put("started_at", r.startedAt().toString()).put("elapsed_seconds", r.seconds())
        .put("generator_cpu_seconds", r.cpuNanos() / 1e9)
        .put("request_bytes", r.requestBytes());
    root.putObject("requests").put("sent", r.requests()).put("acknowledged", r.okRequests())
        .put("per_second", r.requestsPerSecond());
    root.putObject("events").put("acknowledged", r.ackedEvents())
        .put("acknowledged_per_second", r.ackedEventsPerSecond());
    root.put("bytes_sent", r.bytesSent());
    root.putObject("latency_ms").put("answers", r.latencyMicros().getTotalCount())
        .put("p50", r.latencyMillis(50)).put("p95", r.latencyMillis(95)).put("p99", r.latencyMillis(99))
        .put("max", r.maxLatencyMillis())
        .put("mean", r.latencyMicros().getTotalCount() == 0 ? 0 : r.latencyMicros().getMean() / 1000.0);
    ObjectNode errors = root.putObject("errors").put("total", r.errors());
    ObjectNode byStatus = errors.putObject("by_status");
    r.errorsByStatus().forEach((status, n) -> byStatus.put(String.valueOf(status), n));
    ObjectNode byException = errors.putObject("by_exception");
    r.errorsByException().forEach(byException::put);
    ObjectNode messages = errors.putObject("first_messages");
    r.errorMessages().forEach(messages::put);
    root.set("freshness", freshnessJson(r));
    return root;
  }

  private static ObjectNode freshnessJson(LoadGeneratorResult r) {
    ObjectNode f = JSON.createObjectNode();
    LoadGeneratorFreshness.Result fr = r.freshness();
    if (fr == null) {
      return f.put("measured", false).put("note", r.freshnessNote());
    }
    List<Long> v = fr.visibleMillis();
    f.put("measured", true).put("samples", fr.planned()).put("acknowledged", fr.acked())
        .put("visible", v.size()).put("never_appeared", fr.neverAppeared());
    if (v.isEmpty()) {
      f.putNull("p50_ms").putNull("p95_ms").putNull("max_ms");
    } else {
      f.put("p50_ms", percentile(v, 50)).put("p95_ms", percentile(v, 95)).put("max_ms", v.get(v.size() - 1));
    }
    return fr.error() == null ? f.putNull("error") : f.put("error", fr.error());
  }

  static void write(LoadGeneratorResult r, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json(r)));
    } catch (IOException e) {
      throw new ConfigException("cannot write the report " + file + ": " + e.getMessage(), e);
    }
  }
}
