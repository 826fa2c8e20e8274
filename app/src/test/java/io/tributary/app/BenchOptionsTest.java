package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchOptionsTest {
  @TempDir Path dir;

  private TributaryConfig config(String yaml) throws Exception {
    Path file = dir.resolve("tributary.yaml");
    Files.writeString(file, "data_dir: '" + dir.resolve("data") + "'\n" + yaml);
    return ConfigLoader.load(file, Map.of(), Map.of());
  }

  @Test
  void defaultsArePinned() throws Exception {
    TributaryConfig config = config("""
        admin_token: tok-0123456789abcdef
        sources:
          - name: web
            write_key: wk-first
          - name: app
            write_key: wk-second
        """);
    LoadGeneratorSettings s = new BenchOptions().settings(config);
    assertThat(s.baseUrl()).hasToString("http://127.0.0.1:8080");
    assertThat(s.target()).hasToString("http://127.0.0.1:8080/v1/batch");
    assertThat(s.queryUrl()).hasToString("http://127.0.0.1:8080/api/query");
    assertThat(s.writeKey()).isEqualTo("wk-first");
    assertThat(s.token()).isEqualTo("tok-0123456789abcdef");
    assertThat(s.mode()).isEqualTo(BenchMode.SEGMENT_BATCH);
    assertThat(s.batch()).isEqualTo(100);
    assertThat(s.connections()).isEqualTo(16);
    assertThat(s.rate()).isZero();
    assertThat(s.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.count()).isZero();
    assertThat(s.eventBytes()).isEqualTo(650);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.freshnessSamples()).isEqualTo(20);
    assertThat(s.warmup()).isZero();
  }

  @Test
  void credentialsComeFromTheDataDirWhenTheConfigHasNone() throws Exception {
    TributaryConfig config = config("http:\n  bind: 0.0.0.0\n  port: 9999\n");
    Credentials created = Credentials.resolve(config,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    LoadGeneratorSettings s = new BenchOptions().settings(config);
    assertThat(s.baseUrl()).hasToString("http://127.0.0.1:9999");
    assertThat(s.writeKey()).isEqualTo(created.sources().get(0).writeKey()).startsWith("twk_");
    assertThat(s.token()).isEqualTo(created.adminToken()).startsWith("tat_");
  }

  @Test
  void theCommandLineReachesTheSettings() throws Exception {
    Main.Bench bench = new Main.Bench();
    new CommandLine(bench).parseArgs("--url", "http://127.0.0.1:1/", "--write-key", "wk", "--token", "t",
        "--mode", "snowplow", "--batch", "7", "--connections", "3", "--rate", "250.5", "--count", "40",
        "--event-bytes", "900", "--timeout", "2s", "--freshness-samples", "0", "--report", "r.json",
        "--warmup", "1m");
    LoadGeneratorSettings s = bench.bench.settings(config(""));
    assertThat(s.target()).hasToString("http://127.0.0.1:1/com.snowplowanalytics.snowplow/tp2");
    assertThat(s.writeKey()).isEqualTo("wk");
    assertThat(s.token()).isEqualTo("t");
    assertThat(s.eventsPerRequest()).isEqualTo(7);
    assertThat(s.connections()).isEqualTo(3);
    assertThat(s.rate()).isEqualTo(250.5);
    assertThat(s.count()).isEqualTo(40);
    assertThat(s.duration()).as("--count alone sets no time limit").isNull();
    assertThat(s.eventBytes()).isEqualTo(900);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.freshnessSamples()).isZero();
    assertThat(s.warmup()).isEqualTo(Duration.ofMinutes(1));
    assertThat(bench.bench.report).isEqualTo(Path.of("r.json"));
    assertThat(new CommandLine(new Main()).getSubcommands()).containsKey("bench");
  }

  @Test
  void countAndDurationTogetherStopAtWhicheverComesFirst() throws Exception {
    BenchOptions o = new BenchOptions();
    o.count = 10L;
    o.duration = "5s";
    o.mode = "segment-single";
    LoadGeneratorSettings s = o.settings(config("sources: [{name: web, write_key: wk-12345678}]\n"));
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.eventsPerRequest()).isEqualTo(1);
  }

  @Test
  void durationsAreReadWithTheirUnit() {
    assertThat(BenchOptions.parseDuration("--duration", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(BenchOptions.parseDuration("--duration", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(BenchOptions.parseDuration("--duration", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(BenchOptions.parseDuration("--duration", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(BenchOptions.parseDuration("--duration", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(BenchOptions.parseDuration("--duration", "10")).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> BenchOptions.parseDuration("--duration", "soon"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--duration").hasMessageContaining("'soon'");
  }

  @Test
  void badValuesAreNamed() throws Exception {
    TributaryConfig config = config("sources: [{name: web, write_key: wk-12345678}]\n");
    assertThatThrownBy(() -> with(o -> o.connections = 0).settings(config))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--connections").hasMessageContaining("0");
    assertThatThrownBy(() -> with(o -> o.batch = 0).settings(config)).hasMessageContaining("--batch");
    assertThatThrownBy(() -> with(o -> o.rate = -1).settings(config)).hasMessageContaining("--rate");
    assertThatThrownBy(() -> with(o -> o.duration = "0s").settings(config)).hasMessageContaining("--duration");
    assertThatThrownBy(() -> with(o -> o.warmup = "soon").settings(config)).hasMessageContaining("--warmup");
    assertThatThrownBy(() -> with(o -> o.mode = "wrk").settings(config))
        .hasMessageContaining("--mode").hasMessageContaining("segment-batch, segment-single, snowplow");
    assertThatThrownBy(() -> new BenchOptions().settings(config("")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no write key");
    assertThat(with(o -> o.mode = "snowplow").settings(config("")).writeKey())
        .as("Snowplow needs no write key").isNull();
  }

  private static BenchOptions with(java.util.function.Consumer<BenchOptions> change) {
    BenchOptions o = new BenchOptions();
    change.accept(o);
    return o;
  }
}
