package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static TributaryConfig load(Path file) {
    return ConfigLoader.load(file, Map.of(), Map.of());
  }

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("tributary.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static void assertRejected(Runnable load, String... messageParts) {
    assertThatThrownBy(load::run)
        .isInstanceOf(ConfigException.class)
        .message()
        .contains(messageParts);
  }

  // ---------------------------------------------------------------- defaults

  @Test
  void defaultsWithNoFileNoEnvNoOverrides() {
    TributaryConfig c = load(null);

    assertThat(c.dataDir()).isEqualTo("./data");
    assertThat(c.dataPath()).isEqualTo(Path.of("./data"));
    assertThat(c.adminToken()).isNull();
    assertThat(c.sources()).isEmpty();

    TributaryConfig.Http h = c.http();
    assertThat(h.bind()).isEqualTo("127.0.0.1");
    assertThat(h.port()).isEqualTo(8080);
    assertThat(h.maxRequestBytes()).isEqualTo(512_000);
    assertThat(h.maxEventBytes()).isEqualTo(32_768);
    assertThat(h.maxBatchEvents()).isEqualTo(2500);
    assertThat(h.trustedProxies()).isEmpty();
    assertThat(h.idleTimeoutSeconds()).isEqualTo(60);
    assertThat(h.requestTimeoutSeconds()).isEqualTo(30);
    assertThat(h.maxConnections()).isEqualTo(10_000);
    assertThat(h.maxBufferedBytes()).isEqualTo(268_435_456L);

    TributaryConfig.Kafka k = c.kafka();
    assertThat(k.bootstrap()).isNull();
    assertThat(k.topicPrefix()).isEqualTo("tributary.");
    assertThat(k.partitions()).isEqualTo(4);
    assertThat(k.replicationFactor()).isEqualTo((short) 1);
    assertThat(k.minInsyncReplicas()).isEqualTo(1);
    assertThat(k.retentionHours()).isEqualTo(168);
    assertThat(k.fsync()).isEqualTo("os");
    assertThat(k.properties()).isEmpty();
    assertThat(k.rawTopic()).isEqualTo("tributary.raw");

    TributaryConfig.Lake l = c.lake();
    assertThat(l.dir()).isNull();
    assertThat(c.lakePath()).isEqualTo(Path.of("./data").resolve("lake"));
    assertThat(c.lakePath().normalize()).isEqualTo(Path.of("data", "lake"));
    assertThat(l.flushSeconds()).isEqualTo(60);
    assertThat(l.flushRecords()).isEqualTo(100_000);
    assertThat(l.flushBytes()).isEqualTo(134_217_728L);
    assertThat(l.store()).isEqualTo("local");
    assertThat(l.s3()).isEqualTo(new TributaryConfig.S3(null, "lake", null, null, false, null, null));
    assertThat(l.iceberg().enabled()).isTrue();
    assertThat(l.iceberg().commitSeconds()).isEqualTo(60);
    assertThat(l.iceberg().commitRecords()).isEqualTo(100_000);
    assertThat(l.iceberg().catalog()).isEmpty();

    TributaryConfig.Warehouse w = c.warehouse();
    assertThat(w.path()).isNull();
    assertThat(c.warehousePath()).isEqualTo(Path.of("./data").resolve("warehouse.duckdb"));
    assertThat(c.warehousePath().normalize()).isEqualTo(Path.of("data", "warehouse.duckdb"));
    assertThat(w.batchMaxEvents()).isEqualTo(50_000);
    assertThat(w.batchMaxMillis()).isEqualTo(500);
    assertThat(w.dedupeIndex()).isTrue();

    assertThat(c.query().maxRows()).isEqualTo(10_000);
  }

  @Test
  void emptyFileGivesDefaults() throws IOException {
    assertThat(load(yaml(""))).isEqualTo(load(null));
  }

  @Test
  void partialSectionKeepsOtherDefaultsInThatSection() throws IOException {
    TributaryConfig c = load(yaml("http:\n  port: 9000\n"));
    assertThat(c.http().port()).isEqualTo(9000);
    assertThat(c.http().bind()).isEqualTo("127.0.0.1");
    assertThat(c.http().maxRequestBytes()).isEqualTo(512_000);
  }

  @Test
  void blankEnvironmentValuesAreIgnored() {
    TributaryConfig c = ConfigLoader.load(null,
        Map.of("TRIBUTARY_HTTP_PORT", "  ", "TRIBUTARY_DATA_DIR", ""), Map.of());
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo("./data");
  }

  @Test
  void unrelatedEnvironmentVariablesAreIgnored() {
    TributaryConfig c = ConfigLoader.load(null,
        Map.of("TRIBUTARY_NOPE", "x", "PATH", "/bin"), Map.of());
    assertThat(c).isEqualTo(load(null));
  }

  // ---------------------------------------------------------------- full file

  private static final String FULL = """
      data_dir: /var/lib/tributary
      admin_token: admin-token-0123456789
      http:
        bind: 0.0.0.0
        port: 9090
        max_request_bytes: 1000000
        max_event_bytes: 65536
        max_batch_events: 100
        trusted_proxies: [10.0.0.1, 10.0.0.2]
        idle_timeout_seconds: 30
        request_timeout_seconds: 12
        max_connections: 500
        max_buffered_bytes: 50000000
      kafka:
        bootstrap: broker1:9092,broker2:9092
        topic_prefix: acme.
        partitions: 12
        replication_factor: 3
        retention_hours: 24
        fsync: always
        properties:
          compression.type: zstd
          linger.ms: "5"
      lake:
        dir: /lake
        flush_seconds: 10
        flush_records: 500
        flush_bytes: 10000000000
      warehouse:
        path: /wh/events.duckdb
        batch_max_events: 1000
        batch_max_millis: 250
        checkpoint_mb: 64
        memory_limit: 4GB
        threads: 4
        dedupe_index: false
      query:
        max_rows: 42
      sources:
        - name: web
          write_key: web-key-12345
        - name: ios
          write_key: ios-key-12345
      """;

  @Test
  void fullFileIsReadCorrectly() throws IOException {
    TributaryConfig c = load(yaml(FULL));

    assertThat(c.dataDir()).isEqualTo("/var/lib/tributary");
    assertThat(c.adminToken()).isEqualTo("admin-token-0123456789");

    assertThat(c.http()).isEqualTo(new TributaryConfig.Http(
        "0.0.0.0", 9090, 1_000_000, 65_536, 100, java.util.List.of("10.0.0.1", "10.0.0.2"), 30,
        12, 500, 50_000_000L));

    TributaryConfig.Kafka k = c.kafka();
    assertThat(k.bootstrap()).isEqualTo("broker1:9092,broker2:9092");
    assertThat(k.topicPrefix()).isEqualTo("acme.");
    assertThat(k.rawTopic()).isEqualTo("acme.raw");
    assertThat(k.partitions()).isEqualTo(12);
    assertThat(k.replicationFactor()).isEqualTo((short) 3);
    assertThat(k.minInsyncReplicas()).as("one of three replicas may fail").isEqualTo(2);
    assertThat(k.retentionHours()).isEqualTo(24);
    assertThat(k.fsync()).isEqualTo("always");
    assertThat(k.properties()).containsExactlyInAnyOrderEntriesOf(
        Map.of("compression.type", "zstd", "linger.ms", "5"));

    assertThat(c.lake()).isEqualTo(new TributaryConfig.Lake("local", "/lake",
        new TributaryConfig.S3(null, "lake", null, null, false, null, null), 10, 500, 10_000_000_000L,
        new TributaryConfig.Iceberg(null, null, null, null)));
    assertThat(c.lakePath()).isEqualTo(Path.of("/lake"));
    assertThat(c.warehouse()).isEqualTo(new TributaryConfig.Warehouse("/wh/events.duckdb", 1000, 250, 24, 300, true, true, List.of(), 64, "4GB", 4, false));
    assertThat(c.warehousePath()).isEqualTo(Path.of("/wh/events.duckdb"));
    assertThat(c.query().maxRows()).isEqualTo(42);
    assertThat(c.sources()).containsExactly(
        new TributaryConfig.Source("web", "web-key-12345"),
        new TributaryConfig.Source("ios", "ios-key-12345"));
  }

  @Test
  void derivedPathsFollowDataDir() {
    TributaryConfig c = ConfigLoader.load(null, Map.of(), Map.of("data_dir", "/srv/t"));
    assertThat(c.lakePath()).isEqualTo(Path.of("/srv/t/lake"));
    assertThat(c.warehousePath()).isEqualTo(Path.of("/srv/t/warehouse.duckdb"));
  }

  // ---------------------------------------------------------------- lake on S3

  @Test
  void lakeOnS3IsReadFromTheFileAndTheSecretFromTheEnvironment() throws IOException {
    Path file = yaml("""
        lake:
          store: s3
          s3:
            bucket: acme-events
            prefix: tributary/lake
            endpoint: http://minio.internal:9000
            region: eu-central-1
            path_style: true
            access_key_id: AKIAEXAMPLE
        """);
    TributaryConfig c = ConfigLoader.load(file,
        Map.of("TRIBUTARY_LAKE_S3_SECRET_ACCESS_KEY", "very-secret-value"), Map.of());
    assertThat(c.lake().store()).isEqualTo("s3");
    assertThat(c.lake().s3()).isEqualTo(new TributaryConfig.S3("acme-events", "tributary/lake",
        "http://minio.internal:9000", "eu-central-1", true, "AKIAEXAMPLE", "very-secret-value"));
    assertThat(c.toString()).doesNotContain("very-secret-value").contains("AKIAEXAMPLE");
  }

  @Test
  void lakeOnS3WithoutKeysUsesTheDefaultChainAndNeedsOnlyABucket() {
    TributaryConfig c = ConfigLoader.load(null, Map.of(),
        Map.of("lake.store", "s3", "lake.s3.bucket", "events"));
    assertThat(c.lake().s3().accessKeyId()).isNull();
    assertThat(c.lake().s3().secretAccessKey()).isNull();
  }

  @Test
  void lakeStoreMustBeKnownAndS3NeedsAValidBucket() {
    assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("lake.store", "hdfs")),
        "lake.store", "hdfs", "local", "s3");
    assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("lake.store", "s3")),
        "lake.s3.bucket is required when lake.store is s3");
    assertRejected(() -> ConfigLoader.load(null, Map.of(),
        Map.of("lake.store", "s3", "lake.s3.bucket", "Bad_Bucket")), "lake.s3.bucket", "Bad_Bucket");
    // the s3 section is only checked when it is used
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("lake.s3.bucket", "Bad_Bucket")).lake().store())
        .isEqualTo("local");
  }

  @Test
  void lakeOnS3RejectsHalfCredentialsBadEndpointsAndPrefixes() {
    Map<String, String> s3 = Map.of("lake.store", "s3", "lake.s3.bucket", "events");
    java.util.function.Function<Map<String, String>, Runnable> with = extra -> () -> {
      Map<String, String> all = new java.util.HashMap<>(s3);
      all.putAll(extra);
      ConfigLoader.load(null, Map.of(), all);
    };
    assertRejected(with.apply(Map.of("lake.s3.access_key_id", "AKIA")), "lake.s3.access_key_id",
        "lake.s3.secret_access_key", "together");
    assertRejected(() -> ConfigLoader.load(null, Map.of("TRIBUTARY_LAKE_S3_SECRET_ACCESS_KEY", "s3cr3t"),
        s3), "together");
    assertRejected(with.apply(Map.of("lake.s3.endpoint", "minio:9000")), "lake.s3.endpoint", "minio:9000");
    assertRejected(with.apply(Map.of("lake.s3.prefix", "../other")), "lake.s3.prefix", "../other");
    assertRejected(with.apply(Map.of("lake.s3.prefix", "a//b")), "lake.s3.prefix");
    assertRejected(with.apply(Map.of("lake.s3.colour", "red")), "unknown config key 'lake.s3.colour'");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("lake.store", "s3", "lake.s3.bucket", "events",
        "lake.s3.prefix", "", "lake.s3.endpoint", "https://s3.example.com:9000/")).lake().s3().prefix())
        .isEmpty();
  }

  @Test
  void halfCredentialsErrorDoesNotShowTheSecret() {
    try {
      ConfigLoader.load(null, Map.of("TRIBUTARY_LAKE_S3_SECRET_ACCESS_KEY", "s3cr3t-value"),
          Map.of("lake.store", "s3", "lake.s3.bucket", "events"));
      throw new AssertionError("not rejected");
    } catch (io.tributary.core.ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("s3cr3t-value");
    }
  }

  // ---------------------------------------------------------------- precedence

  private static final Map<String, String> ENV = Map.of(
      "TRIBUTARY_DATA_DIR", "/env/data",
      "TRIBUTARY_ADMIN_TOKEN", "env-admin-token-0123",
      "TRIBUTARY_HTTP_BIND", "10.1.1.1",
      "TRIBUTARY_HTTP_PORT", "7001",
      "TRIBUTARY_KAFKA_BOOTSTRAP", "env-broker:9092");

  @Test
  void environmentOverridesFile() throws IOException {
    TributaryConfig c = ConfigLoader.load(yaml(FULL), ENV, Map.of());
    assertThat(c.dataDir()).isEqualTo("/env/data");
    assertThat(c.adminToken()).isEqualTo("env-admin-token-0123");
    assertThat(c.http().bind()).isEqualTo("10.1.1.1");
    assertThat(c.http().port()).isEqualTo(7001);
    assertThat(c.kafka().bootstrap()).isEqualTo("env-broker:9092");
    // keys the environment does not touch still come from the file
    assertThat(c.http().maxRequestBytes()).isEqualTo(1_000_000);
    assertThat(c.kafka().partitions()).isEqualTo(12);
    assertThat(c.sources()).hasSize(2);
  }

  @Test
  void connectionLimitsFromTheEnvironment() {
    TributaryConfig c = ConfigLoader.load(null, Map.of(
        "TRIBUTARY_HTTP_REQUEST_TIMEOUT_SECONDS", "5",
        "TRIBUTARY_HTTP_MAX_CONNECTIONS", "64",
        "TRIBUTARY_HTTP_MAX_BUFFERED_BYTES", "8388608"), Map.of());
    assertThat(c.http().requestTimeoutSeconds()).isEqualTo(5);
    assertThat(c.http().maxConnections()).isEqualTo(64);
    assertThat(c.http().maxBufferedBytes()).isEqualTo(8_388_608L);
  }

  @Test
  void bufferedBytesMustHoldTheLargestBody() {
    assertRejected(() -> ConfigLoader.load(null, Map.of(),
        Map.of("http.max_buffered_bytes", "600000")), "http.max_buffered_bytes", "1048576");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("http.max_buffered_bytes", "600000",
        "snowplow.enabled", "false")).http().maxBufferedBytes()).isEqualTo(600_000L);
  }

  @Test
  void environmentWithoutFile() {
    TributaryConfig c = ConfigLoader.load(null, ENV, Map.of());
    assertThat(c.dataDir()).isEqualTo("/env/data");
    assertThat(c.http().port()).isEqualTo(7001);
    assertThat(c.http().maxRequestBytes()).isEqualTo(512_000);
    assertThat(c.kafka().bootstrap()).isEqualTo("env-broker:9092");
    assertThat(c.kafka().topicPrefix()).isEqualTo("tributary.");
  }

  @Test
  void overridesBeatEnvironmentAndFile() throws IOException {
    Map<String, String> overrides = new HashMap<>();
    overrides.put("data_dir", "/flag/data");
    overrides.put("admin_token", "flag-admin-token-0123");
    overrides.put("http.bind", "192.168.0.1");
    overrides.put("http.port", "7002");
    overrides.put("kafka.bootstrap", "flag-broker:9092");
    overrides.put("query.max_rows", "7");
    TributaryConfig c = ConfigLoader.load(yaml(FULL), ENV, overrides);
    assertThat(c.dataDir()).isEqualTo("/flag/data");
    assertThat(c.adminToken()).isEqualTo("flag-admin-token-0123");
    assertThat(c.http().bind()).isEqualTo("192.168.0.1");
    assertThat(c.http().port()).isEqualTo(7002);
    assertThat(c.kafka().bootstrap()).isEqualTo("flag-broker:9092");
    assertThat(c.query().maxRows()).isEqualTo(7);
    assertThat(c.http().idleTimeoutSeconds()).isEqualTo(30); // from the file
  }

  @Test
  void nullOverrideValuesAreIgnored() throws IOException {
    Map<String, String> overrides = new HashMap<>();
    overrides.put("http.port", null);
    overrides.put("data_dir", null);
    overrides.put("admin_token", null);
    TributaryConfig c = ConfigLoader.load(yaml(FULL), ENV, overrides);
    assertThat(c.http().port()).isEqualTo(7001);
    assertThat(c.dataDir()).isEqualTo("/env/data");
    assertThat(c.adminToken()).isEqualTo("env-admin-token-0123");

    TributaryConfig noEnv = ConfigLoader.load(null, Map.of(), overrides);
    assertThat(noEnv).isEqualTo(load(null));
  }

  @Test
  void overrideCreatesMissingSection() {
    TributaryConfig c = ConfigLoader.load(null, Map.of(),
        Map.of("warehouse.batch_max_millis", "123", "lake.dir", "/l"));
    assertThat(c.warehouse().batchMaxMillis()).isEqualTo(123);
    assertThat(c.warehouse().batchMaxEvents()).isEqualTo(50_000);
    assertThat(c.lakePath()).isEqualTo(Path.of("/l"));
  }

  // ---------------------------------------------------------------- declared tables

  @Test
  void declaredTablesAreReadAndChecked() throws IOException {
    Path file = yaml("""
        warehouse:
          tables:
            - name: checkouts
              filter: {event: Order Completed, type: [track]}
              columns:
                - {name: order_id, path: "$.properties.order_id", type: varchar}
                - {name: revenue, path: "$.properties.revenue", type: double}
            - name: button_presses
              filter: {schema: "iglu:com.acme/button_press/jsonschema/1-*-*"}
              columns:
                - {name: label, path: "$.unstruct_event.data.label", type: varchar}
        """);
    TributaryConfig c = load(file);
    assertThat(c.warehouse().tables()).hasSize(2);
    assertThat(c.warehouse().tables().get(0).filter().event()).containsExactly("Order Completed");
    assertThat(c.declaredTables()).extracting(t -> t.name())
        .containsExactly("checkouts", "button_presses");
    assertThat(c.declaredTables().get(0).declared()).containsOnlyKeys("order_id", "revenue");
    assertThat(load(null).warehouse().tables()).isEmpty();
  }

  @Test
  void declaredTablesWithBadNamesTypesPathsOrCollisionsAreRejected() throws IOException {
    String column = "\n      columns: [{name: total, path: \"$.properties.total\", type: double}]\n";
    Map<String, String> cases = Map.of(
        "    - name: Order-Totals" + column, "warehouse.tables[0] 'Order-Totals': table name"
            + " 'Order-Totals' must be snake_case",
        "    - name: tracks" + column, "warehouse.tables[0] 'tracks': 'tracks' is the name of a"
            + " built-in table",
        "    - name: t\n      columns: [{name: total, path: \"$.properties.total\", type: money}]\n",
        "warehouse.tables[0] 't': column 'total': type must be one of",
        "    - name: t\n      columns: [{name: total, path: \"properties.total\", type: double}]\n",
        "warehouse.tables[0] 't': column 'total': path 'properties.total' at 0: must start with",
        "    - name: t" + column + "    - name: t" + column,
        "warehouse.tables[1] 't': a table of this name is declared twice",
        "    - name: t\n      filter: {event_name: x}" + column, "warehouse.tables[0].filter.event_name",
        "    - name: t\n      filter: {schema: \"iglu:com.acme/x\"}" + column,
        "warehouse.tables[0] 't': 'iglu:com.acme/x' is not a schema pattern");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      Path file = yaml("warehouse:\n  tables:\n" + e.getKey());
      assertRejected(() -> load(file), e.getValue());
    }
  }

  // ---------------------------------------------------------------- failures

  @Test
  void unknownTopLevelKey() throws IOException {
    Path file = yaml("data_dir: ./d\nbogus_key: 1\n");
    assertRejected(() -> load(file), "bogus_key");
  }

  @Test
  void unknownNestedKey() throws IOException {
    Path file = yaml("http:\n  prot: 8081\n");
    assertRejected(() -> load(file), "http.prot");
  }

  @Test
  void unknownNestedKeyFromOverride() {
    assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("kafka.partitons", "3")),
        "kafka.partitons");
  }

  @Test
  void javaStyleNameIsNotAccepted() throws IOException {
    Path file = yaml("dataDir: ./d\n");
    assertRejected(() -> load(file), "dataDir");
  }

  @Test
  void wrongTypeInFile() throws IOException {
    Path file = yaml("http:\n  port: abc\n");
    assertRejected(() -> load(file), "port");
  }

  @Test
  void wrongTypeFromEnvironment() {
    assertRejected(() -> ConfigLoader.load(null, Map.of("TRIBUTARY_HTTP_PORT", "abc"), Map.of()),
        "port");
  }

  @Test
  void wrongTypeFromOverride() {
    assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("http.port", "abc")), "port");
  }

  @Test
  void sectionThatIsNotAMapping() throws IOException {
    Path file = yaml("http: 8080\n");
    assertRejected(() -> load(file), "http");
  }

  @Test
  void portOutOfRange() throws IOException {
    Path file = yaml("http:\n  port: 70000\n");
    assertRejected(() -> load(file), "http.port", "70000");
    assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("http.port", "-1")), "http.port");
  }

  @Test
  void portBoundariesAccepted() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("http.port", "0")).http().port()).isZero();
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("http.port", "65535")).http().port())
        .isEqualTo(65535);
  }

  @Test
  void badFsync() throws IOException {
    Path file = yaml("kafka:\n  fsync: sometimes\n");
    assertRejected(() -> load(file), "kafka.fsync", "sometimes");
  }

  @Test
  void nonPositiveNumbers() {
    Map<String, String> bad = Map.ofEntries(
        Map.entry("http.max_request_bytes", "http.max_request_bytes"),
        Map.entry("http.max_batch_events", "http.max_batch_events"),
        Map.entry("http.idle_timeout_seconds", "http.idle_timeout_seconds"),
        Map.entry("http.request_timeout_seconds", "http.request_timeout_seconds"),
        Map.entry("http.max_connections", "http.max_connections"),
        Map.entry("http.max_buffered_bytes", "http.max_buffered_bytes"),
        Map.entry("kafka.partitions", "kafka.partitions"),
        Map.entry("kafka.replication_factor", "kafka.replication_factor"),
        Map.entry("kafka.retention_hours", "kafka.retention_hours"),
        Map.entry("lake.flush_seconds", "lake.flush_seconds"),
        Map.entry("lake.flush_records", "lake.flush_records"),
        Map.entry("lake.flush_bytes", "lake.flush_bytes"),
        Map.entry("warehouse.batch_max_events", "warehouse.batch_max_events"),
        Map.entry("warehouse.batch_max_millis", "warehouse.batch_max_millis"),
        Map.entry("warehouse.checkpoint_mb", "warehouse.checkpoint_mb"),
        Map.entry("warehouse.threads", "warehouse.threads must be at least 1, not 0"),
        Map.entry("query.max_rows", "query.max_rows"));
    bad.forEach((key, expected) ->
        assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of(key, "0")), expected));
  }

  @Test
  void stagesRunBelowTheCollectorsPriorityUnlessToldOtherwise() {
    TributaryConfig.Stages unset = ConfigLoader.load(null, Map.of(), Map.of()).stages();
    assertThat(unset.niceFor(true)).isEqualTo(5);
    assertThat(unset.niceFor(false)).isZero();
    TributaryConfig.Stages off = ConfigLoader.load(null, Map.of(), Map.of("stages.nice", "0"))
        .stages();
    assertThat(off.niceFor(true)).isZero();
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("stages.nice", "12")).stages()
        .niceFor(false)).isEqualTo(12);
    assertThat(TributaryConfig.Stages.archiverNice(0)).isZero();
    assertThat(TributaryConfig.Stages.archiverNice(5)).isEqualTo(10);
    assertThat(TributaryConfig.Stages.archiverNice(17)).isEqualTo(19);
    for (String bad : List.of("-1", "20")) {
      assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("stages.nice", bad)),
          "stages.nice must be 0..19, not " + bad);
    }
  }

  @Test
  void warehouseMemoryLimitIsASize() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).warehouse().memoryLimit()).isNull();
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("warehouse.memory_limit", "512MiB"))
        .warehouse().memoryLimit()).isEqualTo("512MiB");
    for (String bad : List.of("lots", "4", "4 GB; DROP TABLE events", "-1GB", "4XB")) {
      assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("warehouse.memory_limit", bad)),
          "warehouse.memory_limit must be a size such as 4GB or 512MiB, not '" + bad + "'");
    }
  }

  @Test
  void minInsyncReplicasWithinTheReplicationFactor() {
    assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("kafka.min_insync_replicas", "0")),
        "kafka.min_insync_replicas must be 1..1");
    assertRejected(() -> ConfigLoader.load(null, Map.of(), Map.of("kafka.replication_factor", "3",
        "kafka.min_insync_replicas", "4")), "kafka.min_insync_replicas must be 1..3");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("kafka.replication_factor", "3",
        "kafka.min_insync_replicas", "3")).kafka().minInsyncReplicas()).isEqualTo(3);
  }

  @Test
  void duplicateSourceNames() throws IOException {
    Path file = yaml("""
        sources:
          - name: web
            write_key: key-one-12345
          - name: web
            write_key: key-two-12345
        """);
    assertRejected(() -> load(file), "'web'", "twice");
  }

  @Test
  void duplicateWriteKeys() throws IOException {
    Path file = yaml("""
        sources:
          - name: web
            write_key: same-key-12345
          - name: ios
            write_key: same-key-12345
        """);
    assertRejected(() -> load(file), "write_key");
  }

  @Test
  void shortWriteKey() throws IOException {
    Path file = yaml("sources:\n  - name: web\n    write_key: short\n");
    assertRejected(() -> load(file), "write_key", "web");
  }

  @Test
  void missingWriteKeyAndName() throws IOException {
    Path noKey = yaml("sources:\n  - name: web\n");
    assertRejected(() -> load(noKey), "write_key");
    Path noName = yaml("sources:\n  - write_key: abcdefgh123\n");
    assertRejected(() -> load(noName), "name");
  }

  @Test
  void writeKeyOfExactlyEightCharactersAccepted() throws IOException {
    TributaryConfig c = load(yaml("sources:\n  - name: web\n    write_key: abcdefgh\n"));
    assertThat(c.sources()).containsExactly(new TributaryConfig.Source("web", "abcdefgh"));
  }

  @Test
  void unknownSourceKey() throws IOException {
    Path file = yaml("sources:\n  - name: web\n    writekey: abcdefgh123\n");
    assertRejected(() -> load(file), "writekey");
  }

  @Test
  void shortAdminToken() {
    assertRejected(() -> ConfigLoader.load(null, Map.of("TRIBUTARY_ADMIN_TOKEN", "too-short"), Map.of()),
        "admin_token");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("admin_token", "0123456789abcdef")).adminToken())
        .isEqualTo("0123456789abcdef");
  }

  @Test
  void maxEventBytesAboveMaxRequestBytes() throws IOException {
    Path file = yaml("http:\n  max_request_bytes: 1000\n  max_event_bytes: 1001\n");
    assertRejected(() -> load(file), "max_event_bytes", "max_request_bytes");
  }

  @Test
  void maxEventBytesEqualToMaxRequestBytesAccepted() throws IOException {
    TributaryConfig c = load(yaml("http:\n  max_request_bytes: 1000\n  max_event_bytes: 1000\n"));
    assertThat(c.http().maxEventBytes()).isEqualTo(1000);
  }

  @Test
  void yamlListIsRejected() throws IOException {
    Path file = yaml("- a\n- b\n");
    assertRejected(() -> load(file), file.toString(), "mapping");
  }

  @Test
  void yamlScalarIsRejected() throws IOException {
    Path file = yaml("just a string\n");
    assertRejected(() -> load(file), "mapping");
  }

  @Test
  void malformedYamlIsRejected() throws IOException {
    Path file = yaml("http: [unclosed\n");
    assertRejected(() -> load(file), file.toString());
  }

  @Test
  void unreadableFile() {
    Path missing = dir.resolve("does-not-exist.yaml");
    assertRejected(() -> load(missing), "cannot read", missing.toString());
    // a directory is not a readable file either
    assertRejected(() -> load(dir), "cannot read", dir.toString());
  }
}
