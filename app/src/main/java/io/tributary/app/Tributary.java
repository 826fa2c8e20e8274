package io.tributary.app;

import io.tributary.collector.ApiHandler;
import io.tributary.collector.CollectorSettings;
import io.tributary.collector.HttpCollector;
import io.tributary.collector.SnowplowSettings;
import io.tributary.core.ConfigException;
import io.tributary.core.DiskSpaceGuard;
import io.tributary.core.GatedRawSink;
import io.tributary.core.PartitionedSink;
import io.tributary.core.RawSink;
import io.tributary.enrich.EnrichStage;
import io.tributary.enrich.ReplayProgress;
import io.tributary.enrich.SchemaResolver;
import io.tributary.kafka.KafkaEventOutput;
import io.tributary.warehouse.BadRowLoader;
import io.tributary.core.HealthCheck;
import io.tributary.core.SegmentLimits;
import io.tributary.kafka.EmbeddedKafka;
import io.tributary.kafka.KafkaRawSink;
import io.tributary.kafka.KafkaStageRunner;
import io.tributary.kafka.KafkaTopics;
import io.tributary.kafka.TopicSpec;
import io.tributary.lake.ArchiverSettings;
import io.tributary.lake.LakeStore;
import io.tributary.lake.LocalLakeStore;
import io.tributary.lake.s3.S3LakeSettings;
import io.tributary.lake.s3.S3LakeStore;
import io.tributary.lake.RawArchiver;
import io.tributary.lake.iceberg.EnrichedTable;
import io.tributary.lake.iceberg.IcebergArchiver;
import io.tributary.lake.iceberg.IcebergCatalogs;
import io.tributary.warehouse.DuckDbWarehouse;
import io.tributary.warehouse.EventLoader;
import io.tributary.warehouse.LoaderSettings;
import io.tributary.warehouse.QueryService;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole platform in one process: broker (unless external), collector, archiver and loader. */
public final class Tributary implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tributary.class);

  // Concurrent: a standby loader adds its parts when it takes over.
  private final Deque<AutoCloseable> resources = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final List<HealthCheck> healthChecks = new java.util.concurrent.CopyOnWriteArrayList<>();
  private HttpCollector collector;
  private volatile EventLoader loader;
  private final ReplayProgress replays = new ReplayProgress();
  private String bootstrapServers;
  private DiskSpaceGuard disk;
  /** Added to the stage threads' nice value (see {@link TributaryConfig.Stages}). */
  private int stageNice;
  private volatile DuckDbWarehouse warehouse;

  private Tributary() {}

  /** Logs (at DEBUG) how long each start step took: where start-to-ready goes. */
  private static final class Steps {
    private long last = System.nanoTime();

    void done(String step) {
      long now = System.nanoTime();
      LOG.debug("start: {} took {} ms", step, (now - last) / 1_000_000);
      last = now;
    }
  }

  public static Tributary start(TributaryConfig config, PrintStream out) {
    return start(config, EnumSet.allOf(Role.class), out);
  }

  /**
   * Starts the given roles. Fewer than all of them need {@code kafka.bootstrap}: the processes of a
   * split deployment meet only through a shared Kafka cluster.
   */
  public static Tributary start(TributaryConfig config, Set<Role> roles, PrintStream out) {
    if (roles.isEmpty()) {
      throw new ConfigException("--roles is empty: name at least one of collector, enricher, "
          + "loader, archiver");
    }
    if (!roles.containsAll(EnumSet.allOf(Role.class)) && config.kafka().bootstrap() == null) {
      throw new ConfigException("running only some roles (" + labels(roles) + ") needs "
          + "kafka.bootstrap: the processes of a split deployment share a Kafka cluster; without "
          + "one, run every role in one process (no --roles)");
    }
    if (!roles.containsAll(EnumSet.allOf(Role.class)) && roles.contains(Role.ARCHIVER)
        && config.lake().iceberg().enabled() && config.lake().iceberg().catalog().isEmpty()) {
      // Each process would keep its own SQLite catalog of the same table location.
      throw new ConfigException("the archiver of a split deployment needs a shared Iceberg catalog"
          + " for the enriched lake: set lake.iceberg.catalog (e.g. type: jdbc with a PostgreSQL"
          + " uri, or type: rest; see docs/lake.md), or lake.iceberg.enabled: false");
    }
    long started = System.nanoTime();
    Tributary t = new Tributary();
    try {
      t.startAll(config, roles, out);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    out.printf("Tributary ready on http://%s:%d in %d ms (data dir %s, roles %s)%n",
        config.http().bind(), t.collector.port(), (System.nanoTime() - started) / 1_000_000,
        config.dataPath().toAbsolutePath().normalize(), labels(roles));
    return t;
  }

  private static String labels(Set<Role> roles) {
    return roles.stream().map(Role::label).collect(Collectors.joining(","));
  }

  private void startAll(TributaryConfig config, Set<Role> roles, PrintStream out) {
    Clock clock = Clock.systemUTC();
    Steps steps = new Steps();
    try {
      Files.createDirectories(config.dataPath());
    } catch (java.io.IOException e) {
      throw new io.tributary.core.ConfigException("cannot create data dir " + config.dataPath() + ": " + e, e);
    }
    Credentials credentials = Credentials.resolve(config, out);
    stageNice = config.stages().niceFor(roles.contains(Role.COLLECTOR));
    disk = new DiskSpaceGuard(config.dataPath(), config.storage().minFreeMb() * 1024L * 1024L);
    healthChecks.add(disk);
    steps.done("data dir and credentials");
    TributaryConfig.Kafka k = config.kafka();
    bootstrapServers = k.bootstrap();
    if (bootstrapServers == null) {
      EmbeddedKafka broker = EmbeddedKafka.start(config.dataPath().resolve("kafka"),
          k.fsync().equals("always"), disk);
      resources.push(broker);
      healthChecks.add(broker);
      bootstrapServers = broker.bootstrapServers();
      steps.done("in-process broker");
    }
    Properties clientProps = new Properties();
    clientProps.putAll(k.properties());
    clientProps.put("bootstrap.servers", bootstrapServers);
    Duration retention = Duration.ofHours(k.retentionHours());
    KafkaTopics.ensure(clientProps, List.of(
        new TopicSpec(k.rawTopic(), k.partitions(), k.replicationFactor(),
            k.minInsyncReplicas(), retention),
        new TopicSpec(k.enrichedTopic(), k.partitions(), k.replicationFactor(),
            k.minInsyncReplicas(), retention),
        new TopicSpec(k.badTopic(), k.partitions(), k.replicationFactor(),
            k.minInsyncReplicas(), retention)));
    steps.done("topics");
    String instanceId = instanceId(config);

    Runnable forgetSchemas = () -> { };
    // One resolver for the enricher and the loader (which types the Snowplow tables from schemas),
    // so that forgetting cached schemas before a replay reaches both.
    SchemaResolver schemas = roles.contains(Role.ENRICHER) || roles.contains(Role.LOADER)
        ? EnrichWiring.resolver(config) : null;
    if (schemas != null) {
      forgetSchemas = schemas::invalidateAll;
    }
    if (roles.contains(Role.ENRICHER)) {
      EnrichWiring.Built logic = EnrichWiring.processor(config, schemas, clock);
      resources.push(logic.enrichments());
      // One consumer per thread: each takes some raw partitions, so order within a partition holds.
      int threads = config.enrich().threadsFor(Runtime.getRuntime().availableProcessors(),
          k.partitions());
      List<KafkaStageRunner> runners = new ArrayList<>();
      List<EnrichStage> stages = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        EnrichStage enrich = new EnrichStage(logic.processor(),
            new KafkaEventOutput(clientProps, k.enrichedTopic(), k.badTopic()),
            Duration.ofMillis(100), clock, replays);
        KafkaStageRunner runner = new KafkaStageRunner("enrich", clientProps,
            k.topicPrefix() + "enrich", k.rawTopic(), enrich,
            i == 0 ? instanceId : instanceId + "-t" + i, disk).lowerPriorityBy(stageNice).start();
        resources.push(runner);
        runners.add(runner);
        stages.add(enrich);
      }
      healthChecks.add(EnrichHealth.consumers(runners));
      healthChecks.add(EnrichHealth.counts(stages));
      steps.done("enricher");
    }
    if (roles.contains(Role.ARCHIVER)) {
      TributaryConfig.Lake lake = config.lake();
      LakeStore lakeStore = lakeStore(config);
      if (lakeStore instanceof AutoCloseable closeable) {
        resources.push(closeable);
      }
      LOG.info("lake at {}", lakeStore.location());
      for (String kind : List.of("raw", "bad")) {
        RawArchiver archiver = new RawArchiver(lakeStore, new ArchiverSettings(kind,
            lake.flushRecords(), lake.flushBytes(), Duration.ofSeconds(lake.flushSeconds())), clock);
        stage("archiver-" + kind, clientProps, k, kind.equals("raw") ? k.rawTopic() : k.badTopic(),
            archiver, instanceId, TributaryConfig.Stages.archiverNice(stageNice));
      }
      steps.done("raw and bad archivers");
      if (lake.iceberg().enabled()) {
        startIcebergArchiver(config, clientProps, instanceId, clock);
        steps.done("Iceberg archiver");
      }
    }

    RawSink gatedSink = null;
    if (roles.contains(Role.COLLECTOR) || roles.contains(Role.LOADER)) {
      // The collector writes here; replay (loader role) re-injects bad rows' raw records too.
      KafkaRawSink sink = new KafkaRawSink(clientProps, k.rawTopic());
      resources.push(sink);
      healthChecks.add(healthChecks.indexOf(disk) + 1, sink);
      gatedSink = new GatedRawSink(sink, disk);
      steps.done("raw topic producer");
    }
    Map<String, String> sources = credentials.sources().stream()
        .collect(Collectors.toMap(TributaryConfig.Source::writeKey, TributaryConfig.Source::name));
    TributaryConfig.Http h = config.http();
    CollectorSettings settings = new CollectorSettings(h.bind(), h.port(), h.maxRequestBytes(),
        new SegmentLimits(h.maxEventBytes(), h.maxBatchEvents()), h.trustedProxies(),
        Duration.ofSeconds(h.idleTimeoutSeconds()), Math.max(1, Runtime.getRuntime().availableProcessors()),
        Duration.ofSeconds(h.requestTimeoutSeconds()), h.maxConnections(), h.maxBufferedBytes());
    Map<String, ApiHandler> apiRoutes = Map.of();
    if (roles.contains(Role.LOADER)) {
      RawSink replaySink = gatedSink;
      Runnable forget = forgetSchemas;
      Function<DuckDbWarehouse, Map<String, ApiHandler>> activate = wh -> {
        startLoaders(wh, config, clientProps, instanceId, clock, schemas);
        return adminApi(wh, config, credentials, replaySink, clock, forget, schemas);
      };
      if (roles.containsAll(EnumSet.allOf(Role.class))) {
        apiRoutes = activate.apply(DuckDbWarehouse.open(config.warehousePath(),
            config.warehouse().duckDbOptions()));
      } else {
        // Split deployment: a second loader process waits for the file as a hot standby.
        LoaderStandby standby = LoaderStandby.start(config.warehousePath(),
            config.warehouse().duckDbOptions(), activate);
        resources.push(standby);
        healthChecks.add(standby);
        Map<String, ApiHandler> routes = new java.util.HashMap<>();
        for (String path : ADMIN_PATHS) {
          routes.put(path, standby.route(path));
        }
        apiRoutes = Map.copyOf(routes);
      }
      steps.done("warehouse and loaders");
    }
    TributaryConfig.Snowplow sp = config.snowplow();
    SnowplowSettings snowplow = new SnowplowSettings(sp.enabled(), sp.source(), sp.maxRequestBytes(),
        sp.cookie().name(), sp.cookie().domain(), sp.cookie().secure(),
        Duration.ofDays(sp.cookie().maxAgeDays()), sp.pathAliases());
    collector = HttpCollector.start(settings, snowplow,
        roles.contains(Role.COLLECTOR) ? gatedSink : null, sources::get, apiRoutes,
        () -> healthChecks, clock);
    resources.push(collector);
    steps.done("HTTP server");
  }

  private static final List<String> ADMIN_PATHS = List.of("/api/query", "/api/replay",
      "/api/replay/status", "/api/replay/lake", "/api/replay/lake/status");

  private Map<String, ApiHandler> adminApi(DuckDbWarehouse wh, TributaryConfig config,
      Credentials credentials, RawSink replaySink, Clock clock, Runnable forgetSchemas,
      SchemaResolver schemas) {
    QueryApi queryApi = new QueryApi(new QueryService(wh), credentials.adminToken(),
        config.query().maxRows());
    // Users replay after fixing schemas: forget cached ones (and cached misses) first.
    ReplayApi replayApi = new ReplayApi(wh, replaySink, replays, credentials.adminToken(),
        clock, forgetSchemas);
    // Rebuilding declared tables enriches the raw lake again, with the enrichment as configured.
    LakeReplayApi lakeReplay = new LakeReplayApi(config.declaredTables(), wh, loader,
        config.warehouse().maxColumnsPerTable(), () -> lakeStore(config), () -> {
          forgetSchemas.run();
          return EnrichWiring.processor(config, schemas, clock);
        }, credentials.adminToken(), clock, stageNice);
    resources.push(lakeReplay);
    return Map.of(ADMIN_PATHS.get(0), queryApi, ADMIN_PATHS.get(1), replayApi,
        ADMIN_PATHS.get(2), replayApi, ADMIN_PATHS.get(3), lakeReplay, ADMIN_PATHS.get(4), lakeReplay);
  }

  private void startLoaders(DuckDbWarehouse wh, TributaryConfig config, Properties clientProps,
      String instanceId, Clock clock, SchemaResolver schemas) {
    TributaryConfig.Kafka k = config.kafka();
    warehouse = wh;
    resources.push(warehouse);
    TributaryConfig.Warehouse w = config.warehouse();
    Duration loadDelay = Duration.ofMillis(w.batchMaxMillis());
    loader = new EventLoader(warehouse, new LoaderSettings("loader", k.enrichedTopic(),
        w.batchMaxEvents(), loadDelay, Duration.ofHours(w.dedupeWindowHours()),
        (long) w.checkpointMb() << 20), clock,
        EventLoader.ENRICHED, w.maxColumnsPerTable(), w.segmentTables(),
        w.snowplowTables() ? new ResolverColumnTypes(schemas) : null, config.declaredTables(),
        w.dedupeIndex());
    stage("loader", clientProps, k, k.enrichedTopic(), loader, instanceId, stageNice);
    BadRowLoader badLoader = new BadRowLoader(warehouse, new LoaderSettings("bad-loader",
        k.badTopic(), w.batchMaxEvents(), loadDelay), clock);
    stage("bad-loader", clientProps, k, k.badTopic(), badLoader, instanceId, stageNice);
    healthChecks.addAll(List.of(loader, badLoader));
  }

  private void startIcebergArchiver(TributaryConfig config, Properties clientProps, String instanceId,
      Clock clock) {
    org.apache.iceberg.catalog.Catalog catalog = IcebergWiring.catalog(config);
    if (catalog instanceof AutoCloseable closeable) {
      resources.push(closeable);
    }
    IcebergArchiver archiver = IcebergWiring.archiver(config, catalog, clock);
    LOG.info("enriched lake: Iceberg table {} in catalog {}", EnrichedTable.ID,
        IcebergCatalogs.safe(IcebergWiring.catalogProperties(config)));
    stage("archiver-enriched", clientProps, config.kafka(), config.kafka().enrichedTopic(), archiver,
        instanceId, TributaryConfig.Stages.archiverNice(stageNice));
    healthChecks.add(archiver);
  }

  /** The configured lake: a local directory, or a bucket (credentials from config or the AWS chain). */
  static LakeStore lakeStore(TributaryConfig config) {
    if (!config.lake().store().equals("s3")) {
      return new LocalLakeStore(config.lakePath());
    }
    TributaryConfig.S3 s3 = config.lake().s3();
    return S3LakeStore.open(new S3LakeSettings(s3.bucket(), s3.prefix(),
        s3.endpoint() == null ? null : java.net.URI.create(s3.endpoint()), s3.region(), s3.pathStyle(),
        s3.accessKeyId(), s3.secretAccessKey()));
  }

  /** Same host and data dir → same id across restarts; two instances never share one. */
  static String instanceId(TributaryConfig config) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    String dir = config.dataPath().toAbsolutePath().normalize().toString();
    return host + "-" + Integer.toHexString(dir.hashCode());
  }

  /** Starts a stage whose thread runs {@code nice} steps below the collector's priority. */
  private void stage(String name, Properties clientProps, TributaryConfig.Kafka k, String topic,
      PartitionedSink sink, String instanceId, int nice) {
    KafkaStageRunner runner = new KafkaStageRunner(name, clientProps, k.topicPrefix() + name, topic,
        sink, instanceId, disk).lowerPriorityBy(nice).start();
    resources.push(runner);
    healthChecks.add(runner);
  }

  public int port() {
    return collector.port();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The warehouse, for tests that break it on purpose. */
  DuckDbWarehouse warehouseForTests() {
    return warehouse;
  }

  public long loadedEvents() {
    EventLoader l = loader;
    return l == null ? 0 : l.loadedEvents();
  }

  @Override
  public void close() {
    // Every stage starts stopping at once (each leaving its consumer group takes ~0.5 s); then
    // resources close in reverse start order, so a stage is done before what it writes to closes.
    for (AutoCloseable r : resources) {
      if (r instanceof KafkaStageRunner runner) {
        runner.requestStop();
      }
    }
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}", r.getClass().getSimpleName(), e);
      }
    }
  }
}
