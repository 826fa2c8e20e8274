package io.tributary.app;

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
    List<Source> sources) {

  public TributaryConfig {
    dataDir = dataDir == null ? "./data" : dataDir;
    http = http == null ? new Http(null, null, null, null, null, null, null) : http;
    kafka = kafka == null ? new Kafka(null, null, null, null, null, null, null) : kafka;
    lake = lake == null ? new Lake(null, null, null, null) : lake;
    warehouse = warehouse == null ? new Warehouse(null, null, null) : warehouse;
    query = query == null ? new Query(null) : query;
    sources = sources == null ? List.of() : List.copyOf(sources);
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
      @JsonProperty("idle_timeout_seconds") Integer idleTimeoutSeconds) {
    public Http {
      bind = bind == null ? "127.0.0.1" : bind;
      port = port == null ? 8080 : port;
      maxRequestBytes = maxRequestBytes == null ? 500 * 1024 : maxRequestBytes;
      maxEventBytes = maxEventBytes == null ? 32 * 1024 : maxEventBytes;
      maxBatchEvents = maxBatchEvents == null ? 2500 : maxBatchEvents;
      trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
      idleTimeoutSeconds = idleTimeoutSeconds == null ? 60 : idleTimeoutSeconds;
    }
  }

  /** @param bootstrap an existing cluster; when null, a broker runs inside Tributary */
  public record Kafka(
      String bootstrap,
      @JsonProperty("topic_prefix") String topicPrefix,
      Integer partitions,
      @JsonProperty("replication_factor") Short replicationFactor,
      @JsonProperty("retention_hours") Integer retentionHours,
      String fsync,
      Map<String, String> properties) {
    public Kafka {
      topicPrefix = topicPrefix == null ? "tributary." : topicPrefix;
      partitions = partitions == null ? 4 : partitions;
      replicationFactor = replicationFactor == null ? 1 : replicationFactor;
      retentionHours = retentionHours == null ? 168 : retentionHours;
      fsync = fsync == null ? "os" : fsync;
      properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public String rawTopic() {
      return topicPrefix + "raw";
    }
  }

  public record Lake(
      String dir,
      @JsonProperty("flush_seconds") Integer flushSeconds,
      @JsonProperty("flush_records") Integer flushRecords,
      @JsonProperty("flush_bytes") Long flushBytes) {
    public Lake {
      flushSeconds = flushSeconds == null ? 60 : flushSeconds;
      flushRecords = flushRecords == null ? 100_000 : flushRecords;
      flushBytes = flushBytes == null ? 128L * 1024 * 1024 : flushBytes;
    }
  }

  public record Warehouse(
      String path,
      @JsonProperty("batch_max_events") Integer batchMaxEvents,
      @JsonProperty("batch_max_millis") Integer batchMaxMillis) {
    public Warehouse {
      batchMaxEvents = batchMaxEvents == null ? 50_000 : batchMaxEvents;
      batchMaxMillis = batchMaxMillis == null ? 500 : batchMaxMillis;
    }
  }

  public record Query(@JsonProperty("max_rows") Integer maxRows) {
    public Query {
      maxRows = maxRows == null ? 10_000 : maxRows;
    }
  }

  public record Source(String name, @JsonProperty("write_key") String writeKey) {}

  public Path lakePath() {
    return lake.dir() != null ? Path.of(lake.dir()) : dataPath().resolve("lake");
  }

  public Path warehousePath() {
    return warehouse.path() != null ? Path.of(warehouse.path()) : dataPath().resolve("warehouse.duckdb");
  }
}
