package io.tributary.app;

import io.tributary.core.ConfigException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The options of {@code tributary bench}, and the command itself once they are resolved. */
final class BenchOptions {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  @Option(names = "--url", description = "server URL (default from the config: http://bind:port)")
  String url;

  @Option(names = "--write-key", description = "write key (default: the first source's, from the "
      + "config or the data dir)")
  String writeKey;

  @Option(names = "--token", description = "admin token for the freshness queries (default from the "
      + "config or the data dir)")
  String token;

  @Option(names = "--mode", description = "segment-batch, segment-single or snowplow (default "
      + "segment-batch)")
  String mode = "segment-batch";

  @Option(names = "--batch", description = "events per request (default 100; segment-single sends 1)")
  int batch = 100;

  @Option(names = "--connections", description = "concurrent requests in flight (default 16)")
  int connections = 16;

  @Option(names = "--rate", description = "requests/s across all connections; 0 = flat out (default 0)")
  double rate = 0;

  @Option(names = "--duration", description = "stop sending after this long, e.g. 30s, 2m, 500ms "
      + "(default 30s unless --count is given)")
  String duration;

  @Option(names = "--warmup", description = "first send at the same rate for this long, e.g. 60s,"
      + " and leave it out of every figure: a server that has just started is still compiling its"
      + " code and catching up (default none)")
  String warmup;

  @Option(names = "--count", description = "stop after this many requests")
  Long count;

  @Option(names = "--event-bytes", description = "approximate size of one event (default 650)")
  int eventBytes = 650;

  @Option(names = "--timeout", description = "time limit of one request (default 30s)")
  String timeout = "30s";

  @Option(names = "--report", description = "also write the figures and options to this JSON file")
  Path report;

  @Option(names = "--freshness-samples", description = "events whose arrival in `events` is timed "
      + "(default 20; 0 = none)")
  int freshnessSamples = 20;

  /** Runs the load and prints the summary; 1 when no request at all was acknowledged. */
  int run(TributaryConfig config, PrintStream out) {
    LoadGeneratorSettings settings = settings(config);
    LoadGeneratorResult result = new LoadGenerator(settings, out).run();
    out.println();
    out.print(BenchReport.summary(result));
    if (report != null) {
      BenchReport.write(result, report);
      out.println("Report     : " + report.toAbsolutePath().normalize());
    }
    return result.okRequests() > 0 ? 0 : 1;
  }

  LoadGeneratorSettings settings(TributaryConfig config) {
    BenchMode benchMode = BenchMode.parse(mode);
    Duration runFor = duration != null ? parseDuration("--duration", duration)
        : count == null ? Duration.ofSeconds(30) : null;
    return new LoadGeneratorSettings(URI.create(url != null ? url : QueryClient.defaultUrl(config)),
        writeKey != null ? writeKey : Credentials.firstWriteKey(config),
        token != null ? token : Credentials.adminToken(config),
        benchMode, batch, connections, rate, runFor, count == null ? 0 : count, eventBytes,
        parseDuration("--timeout", timeout), freshnessSamples,
        warmup == null ? Duration.ZERO : parseDuration("--warmup", warmup));
  }

  /** {@code 30s}, {@code 2m}, {@code 1h}, {@code 500ms}, {@code 1.5s}; a bare number is seconds. */
  static Duration parseDuration(String option, String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(option + " must be a duration like 30s, 2m or 500ms, not '" + text + "'");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = switch (unit) {
      case "ms" -> value;
      case "m" -> value * 60_000;
      case "h" -> value * 3_600_000;
      default -> value * 1000;
    };
    return Duration.ofMillis(Math.round(millis));
  }
}
