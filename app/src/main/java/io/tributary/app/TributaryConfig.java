package io.tributary.app;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything Tributary can be configured with, as read from the YAML file (keys in snake_case) and
 * the environment. Every key, its default and its meaning is in {@code docs/configuration.md}; a
 * test pins the defaults. Unknown keys are rejected.
 */
public record TributaryConfig(
    @JsonProperty("data_dir") String dataDir,
    @JsonProperty("admin_token") String adminToken,
    Http http,
    Kafka kafka,
    Lake lake,
    Warehouse warehouse,
    Query query,
    List<Source> sources,
    Snowplow snowplow,
    Schemas schemas,
    Enrichments enrichments,
    Storage storage,
    Enrich enrich,
    Stages stages) {

  public TributaryConfig {
    dataDir = dataDir == null ? "./data" : dataDir;
    http = http == null ? new Http(null, null, null, null, null, null, null, null, null, null) : http;
    kafka = kafka == null ? new Kafka(null, null, null, null, null, null, null, null) : kafka;
    lake = lake == null ? new Lake(null, null, null, null, null, null, null) : lake;
    warehouse = warehouse == null ? new Warehouse(null, null, null, null, null, null, null, null, null, null, null, null) : warehouse;
    query = query == null ? new Query(null) : query;
    sources = sources == null ? List.of() : List.copyOf(sources);
    snowplow = snowplow == null ? new Snowplow(null, null, null, null, null) : snowplow;
    schemas = schemas == null ? new Schemas(null, null, null, null, null) : schemas;
    enrichments = enrichments == null
        ? new Enrichments(null, null, null, null, null, null, null, null) : enrichments;
    storage = storage == null ? new Storage(null) : storage;
    enrich = enrich == null ? new Enrich(null) : enrich;
    stages = stages == null ? new Stages(null) : stages;
  }

  /**
   * The pipeline stages' threads (enrich, archivers, loaders, forwarders) run {@code nice} steps
   * below the collector's CPU priority (Linux nice), so that during a burst the CPU goes first to
   * acknowledging events and the stages catch up after, the queue holding what they have not read.
   * Unset: 5 when this process also runs the collector, else 0. The archivers, which are not on
   * the way to {@code events}, yield 5 steps more (see {@link #archiverNice}).
   */
  public record Stages(Integer nice) {
    /** The nice increment for stages in a process that does or does not run the collector. */
    public int niceFor(boolean withCollector) {
      return nice != null ? nice : withCollector ? 5 : 0;
    }

    /** The archivers' increment for a stage increment: 5 more when not 0, at most 19. */
    public static int archiverNice(int stageNice) {
      return stageNice == 0 ? 0 : Math.min(19, stageNice + 5);
    }
  }

  /**
   * The enrich stage: {@code threads} consumers of the raw topic in this process (each takes some
   * partitions); 0 = one per CPU core, at most one per raw topic partition.
   */
  public record Enrich(Integer threads) {
    public Enrich {
      threads = threads == null ? 0 : threads;
    }

    /** The threads to run for this many cores and raw topic partitions. */
    public int threadsFor(int cores, int partitions) {
      return Math.max(1, Math.min(threads > 0 ? threads : cores, partitions));
    }
  }

  /**
   * Disk space: below {@code min_free_mb} free on the data dir's file system, the collector answers
   * 503 and the stages pause until space returns (0 turns the guard off).
   */
  public record Storage(@JsonProperty("min_free_mb") Integer minFreeMb) {
    public Storage {
      minFreeMb = minFreeMb == null ? 256 : minFreeMb;
    }
  }

  /** The Snowplow collector protocol. */
  public record Snowplow(
      Boolean enabled,
      String source,
      @JsonProperty("max_request_bytes") Integer maxRequestBytes,
      Cookie cookie,
      @JsonProperty("path_aliases") Map<String, String> pathAliases) {
    public Snowplow {
      enabled = enabled == null ? Boolean.TRUE : enabled;
      source = source == null ? "snowplow" : source;
      maxRequestBytes = maxRequestBytes == null ? 1024 * 1024 : maxRequestBytes;
      cookie = cookie == null ? new Cookie(null, null, null, null) : cookie;
      pathAliases = pathAliases == null ? Map.of() : Map.copyOf(pathAliases);
    }
  }

  /** The collector's {@code sp} cookie holding the network user id. */
  public record Cookie(
      String name, String domain, Boolean secure, @JsonProperty("max_age_days") Integer maxAgeDays) {
    public Cookie {
      name = name == null ? "sp" : name;
      secure = secure == null ? Boolean.TRUE : secure;
      maxAgeDays = maxAgeDays == null ? 365 : maxAgeDays;
    }
  }

  /** Where JSON Schemas come from, and the tracking plans for Segment events. */
  public record Schemas(
      List<Registry> registries,
      @JsonProperty("cache_size") Integer cacheSize,
      @JsonProperty("cache_ttl_seconds") Integer cacheTtlSeconds,
      @JsonProperty("missing_ttl_seconds") Integer missingTtlSeconds,
      @JsonProperty("tracking_plans") String trackingPlans) {
    public Schemas {
      registries = registries == null ? null : List.copyOf(registries);
      cacheSize = cacheSize == null ? 1000 : cacheSize;
      cacheTtlSeconds = cacheTtlSeconds == null ? 600 : cacheTtlSeconds;
      missingTtlSeconds = missingTtlSeconds == null ? 60 : missingTtlSeconds;
    }
  }

  /**
   * One schema registry: {@code type: directory} with {@code path} (Iglu layout), or {@code type:
   * http} with {@code uri} (an Iglu Server) and an optional {@code api_key}.
   */
  public record Registry(
      String name,
      String type,
      String path,
      String uri,
      @JsonProperty("api_key") String apiKey,
      Integer priority,
      @JsonProperty("vendor_prefixes") List<String> vendorPrefixes) {
    public Registry {
      priority = priority == null ? 0 : priority;
      vendorPrefixes = vendorPrefixes == null ? List.of() : List.copyOf(vendorPrefixes);
    }
  }

  /** The enrichments, each on or off with its parameters. */
  public record Enrichments(
      Toggle url,
      Campaign campaign,
      Referer referer,
      @JsonProperty("user_agent") UserAgent userAgent,
      Geo geo,
      @JsonProperty("ip_anonymisation") IpAnonymisation ipAnonymisation,
      Pii pii,
      Fingerprint fingerprint) {
    public Enrichments {
      url = url == null ? new Toggle(null) : url;
      campaign = campaign == null ? new Campaign(null, null) : campaign;
      referer = referer == null ? new Referer(null, null) : referer;
      userAgent = userAgent == null ? new UserAgent(null, null) : userAgent;
      geo = geo == null ? new Geo(null) : geo;
      ipAnonymisation = ipAnonymisation == null ? new IpAnonymisation(null) : ipAnonymisation;
      pii = pii == null ? new Pii(null, null, null) : pii;
      fingerprint = fingerprint == null ? new Fingerprint(null, null, null) : fingerprint;
    }
  }

  public record Toggle(Boolean enabled) {
    public Toggle {
      enabled = enabled == null ? Boolean.TRUE : enabled;
    }
  }

  public record Campaign(Boolean enabled, @JsonProperty("click_ids") Map<String, String> clickIds) {
    public Campaign {
      enabled = enabled == null ? Boolean.TRUE : enabled;
    }
  }

  public record Referer(Boolean enabled, @JsonProperty("internal_domains") List<String> internalDomains) {
    public Referer {
      enabled = enabled == null ? Boolean.TRUE : enabled;
      internalDomains = internalDomains == null ? List.of() : List.copyOf(internalDomains);
    }
  }

  public record UserAgent(Boolean enabled, @JsonProperty("cache_size") Integer cacheSize) {
    public UserAgent {
      enabled = enabled == null ? Boolean.TRUE : enabled;
      cacheSize = cacheSize == null ? 10_000 : cacheSize;
    }
  }

  /** @param database a MaxMind GeoIP2/GeoLite2 City file; geo is on when it is set */
  public record Geo(String database) {}

  /** @param octets how many trailing IPv4 octets (IPv6 groups) to zero; 0 = off */
  public record IpAnonymisation(Integer octets) {
    public IpAnonymisation {
      octets = octets == null ? 0 : octets;
    }
  }

  /** Salted SHA-256 of the given columns and JSON paths; on when {@code salt} is set. */
  public record Pii(
      String salt, List<String> fields, @JsonProperty("json_paths") Map<String, List<String>> jsonPaths) {
    public Pii {
      fields = fields == null ? List.of() : List.copyOf(fields);
      jsonPaths = jsonPaths == null ? Map.of() : Map.copyOf(jsonPaths);
    }
  }

  public record Fingerprint(Boolean enabled, List<String> fields, String algorithm) {
    public Fingerprint {
      enabled = enabled == null ? Boolean.TRUE : enabled;
      algorithm = algorithm == null ? "SHA-256" : algorithm;
    }
  }

  /** The schema registries in force: the configured ones, or {@code <data_dir>/schemas}. */
  public List<Registry> schemaRegistries() {
    if (schemas.registries() != null) {
      return schemas.registries();
    }
    return List.of(new Registry("local", "directory", dataPath().resolve("schemas").toString(), null,
        null, 0, List.of()));
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  public record Http(
      String bind,
      Integer port,
      @JsonProperty("max_request_bytes") Integer maxRequestBytes,
      @JsonProperty("max_event_bytes") Integer maxEventBytes,
      @JsonProperty("max_batch_events") Integer maxBatchEvents,
      @JsonProperty("trusted_proxies") List<String> trustedProxies,
      @JsonProperty("idle_timeout_seconds") Integer idleTimeoutSeconds,
      @JsonProperty("request_timeout_seconds") Integer requestTimeoutSeconds,
      @JsonProperty("max_connections") Integer maxConnections,
      @JsonProperty("max_buffered_bytes") Long maxBufferedBytes) {
    public Http {
      bind = bind == null ? "127.0.0.1" : bind;
      port = port == null ? 8080 : port;
      maxRequestBytes = maxRequestBytes == null ? 500 * 1024 : maxRequestBytes;
      maxEventBytes = maxEventBytes == null ? 32 * 1024 : maxEventBytes;
      maxBatchEvents = maxBatchEvents == null ? 2500 : maxBatchEvents;
      trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
      idleTimeoutSeconds = idleTimeoutSeconds == null ? 60 : idleTimeoutSeconds;
      requestTimeoutSeconds = requestTimeoutSeconds == null ? 30 : requestTimeoutSeconds;
      maxConnections = maxConnections == null ? 10_000 : maxConnections;
      maxBufferedBytes = maxBufferedBytes == null ? 256L * 1024 * 1024 : maxBufferedBytes;
    }
  }

  /** @param bootstrap an existing cluster; when null, a broker runs inside Tributary */
  public record Kafka(
      String bootstrap,
      @JsonProperty("topic_prefix") String topicPrefix,
      Integer partitions,
      @JsonProperty("replication_factor") Short replicationFactor,
      @JsonProperty("min_insync_replicas") Integer minInsyncReplicas,
      @JsonProperty("retention_hours") Integer retentionHours,
      String fsync,
      Map<String, String> properties) {
    public Kafka {
      topicPrefix = topicPrefix == null ? "tributary." : topicPrefix;
      partitions = partitions == null ? 4 : partitions;
      replicationFactor = replicationFactor == null ? 1 : replicationFactor;
      // One replica may fail without stopping writes or losing an acknowledged record.
      minInsyncReplicas = minInsyncReplicas == null ? (replicationFactor >= 3 ? 2 : 1)
          : minInsyncReplicas;
      retentionHours = retentionHours == null ? 168 : retentionHours;
      fsync = fsync == null ? "os" : fsync;
      properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public String rawTopic() {
      return topicPrefix + "raw";
    }

    public String enrichedTopic() {
      return topicPrefix + "enriched";
    }

    public String badTopic() {
      return topicPrefix + "bad";
    }
  }

  /** @param store {@code local} (the directory {@code dir}) or {@code s3} (the bucket in {@code s3}) */
  public record Lake(
      String store,
      String dir,
      S3 s3,
      @JsonProperty("flush_seconds") Integer flushSeconds,
      @JsonProperty("flush_records") Integer flushRecords,
      @JsonProperty("flush_bytes") Long flushBytes,
      Iceberg iceberg) {
    public Lake {
      store = store == null ? "local" : store;
      iceberg = iceberg == null ? new Iceberg(null, null, null, null) : iceberg;
      s3 = s3 == null ? new S3(null, null, null, null, null, null, null) : s3;
      flushSeconds = flushSeconds == null ? 60 : flushSeconds;
      flushRecords = flushRecords == null ? 100_000 : flushRecords;
      flushBytes = flushBytes == null ? 128L * 1024 * 1024 : flushBytes;
    }
  }

  /**
   * The enriched lake: an Iceberg table {@code lake.enriched} written by the archiver role. {@code
   * catalog} holds Iceberg catalog properties passed through as they are ({@code type}, {@code uri},
   * {@code warehouse}, ...); empty means a JDBC catalog in {@code <data_dir>/iceberg-catalog.sqlite}.
   */
  public record Iceberg(
      Boolean enabled,
      @JsonProperty("commit_seconds") Integer commitSeconds,
      @JsonProperty("commit_records") Integer commitRecords,
      Map<String, String> catalog) {
    public Iceberg {
      enabled = enabled == null ? Boolean.TRUE : enabled;
      commitSeconds = commitSeconds == null ? 60 : commitSeconds;
      commitRecords = commitRecords == null ? 100_000 : commitRecords;
      catalog = catalog == null ? Map.of() : Map.copyOf(catalog);
    }

    @Override
    public String toString() {
      return "Iceberg[enabled=" + enabled + ", commit_seconds=" + commitSeconds + ", commit_records="
          + commitRecords + ", catalog=" + io.tributary.lake.iceberg.IcebergCatalogs.safe(catalog) + "]";
    }
  }

  /**
   * The lake's bucket when {@code lake.store} is {@code s3}. Without {@code access_key_id} and
   * {@code secret_access_key}, the AWS SDK's default credentials chain is used.
   */
  public record S3(
      String bucket,
      String prefix,
      String endpoint,
      String region,
      @JsonProperty("path_style") Boolean pathStyle,
      @JsonProperty("access_key_id") String accessKeyId,
      @JsonProperty("secret_access_key") String secretAccessKey) {
    public S3 {
      prefix = prefix == null ? "lake" : prefix;
      pathStyle = pathStyle == null ? Boolean.FALSE : pathStyle;
    }

    @Override
    public String toString() {
      return "S3[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint + ", region="
          + region + ", path_style=" + pathStyle + ", access_key_id=" + accessKeyId
          + ", secret_access_key=" + (secretAccessKey == null ? null : "***") + "]";
    }
  }

  public record Warehouse(
      String path,
      @JsonProperty("batch_max_events") Integer batchMaxEvents,
      @JsonProperty("batch_max_millis") Integer batchMaxMillis,
      @JsonProperty("dedupe_window_hours") Integer dedupeWindowHours,
      @JsonProperty("max_columns_per_table") Integer maxColumnsPerTable,
      @JsonProperty("segment_tables") Boolean segmentTables,
      @JsonProperty("snowplow_tables") Boolean snowplowTables,
      List<Table> tables,
      @JsonProperty("checkpoint_mb") Integer checkpointMb,
      @JsonProperty("memory_limit") String memoryLimit,
      Integer threads,
      @JsonProperty("dedupe_index") Boolean dedupeIndex) {
    public Warehouse {
      dedupeIndex = dedupeIndex == null ? Boolean.TRUE : dedupeIndex;
      tables = tables == null ? List.of() : List.copyOf(tables);
      segmentTables = segmentTables == null ? Boolean.TRUE : segmentTables;
      snowplowTables = snowplowTables == null ? Boolean.TRUE : snowplowTables;
      batchMaxEvents = batchMaxEvents == null ? 50_000 : batchMaxEvents;
      batchMaxMillis = batchMaxMillis == null ? 500 : batchMaxMillis;
      dedupeWindowHours = dedupeWindowHours == null ? 24 : dedupeWindowHours;
      maxColumnsPerTable = maxColumnsPerTable == null ? 300 : maxColumnsPerTable;
      checkpointMb = checkpointMb == null
          ? (int) (io.tributary.warehouse.LoaderSettings.DEFAULT_CHECKPOINT_WAL_BYTES >> 20)
          : checkpointMb;
    }

    /** DuckDB's settings; a null {@code threads} leaves the choice to the warehouse. */
    public io.tributary.warehouse.DuckDbWarehouse.Options duckDbOptions() {
      return new io.tributary.warehouse.DuckDbWarehouse.Options(memoryLimit, threads);
    }
  }

  /**
   * A declared table (see docs/tables.md#declared-tables): the events {@code filter} accepts give
   * one row each, with the {@code columns} read at their paths.
   */
  public record Table(String name, TableFilter filter, List<TableColumn> columns) {
    public Table {
      filter = filter == null ? new TableFilter(null, null, null, null) : filter;
      columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /** The table as core checks and uses it; throws IllegalArgumentException naming the rule. */
    public io.tributary.core.tables.DeclaredTable declared() {
      java.util.Map<String, List<String>> conditions = new java.util.LinkedHashMap<>();
      java.util.function.BiConsumer<String, List<String>> put = (k, v) -> {
        if (v != null && !v.isEmpty()) {
          conditions.put(k, v);
        }
      };
      put.accept("event", filter.event());
      put.accept("type", filter.type());
      put.accept("source", filter.source());
      put.accept("schema", filter.schema());
      return io.tributary.core.tables.DeclaredTable.parse(name, conditions, columns.stream()
          .map(c -> new io.tributary.core.tables.DeclaredTable.ColumnSpec(c.name(), c.path(),
              c.type())).toList());
    }
  }

  /** Each condition given must hold; one holds when the event's value is one of those listed. */
  public record TableFilter(
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> event,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> type,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> source,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> schema) {}

  public record TableColumn(String name, String path, String type) {}

  public record Query(@JsonProperty("max_rows") Integer maxRows) {
    public Query {
      maxRows = maxRows == null ? 10_000 : maxRows;
    }
  }

  public record Source(String name, @JsonProperty("write_key") String writeKey) {}

  public Path lakePath() {
    return lake.dir() != null ? Path.of(lake.dir()) : dataPath().resolve("lake");
  }

  /** The declared tables, checked (the configuration was validated when loaded). */
  public List<io.tributary.core.tables.DeclaredTable> declaredTables() {
    return warehouse.tables().stream().map(Table::declared).toList();
  }

  public Path warehousePath() {
    return warehouse.path() != null ? Path.of(warehouse.path()) : dataPath().resolve("warehouse.duckdb");
  }
}
