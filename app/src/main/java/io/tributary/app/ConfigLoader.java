package io.tributary.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tributary.core.ConfigException;
import io.tributary.core.EventField;
import io.tributary.core.FieldType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads the configuration: defaults, then the YAML file, then environment variables, then
 * command-line flags (each overriding the previous), then validates it.
 */
public final class ConfigLoader {
  /** Environment variables and the config key each one overrides. */
  static final Map<String, String> ENVIRONMENT = Map.of(
      "TRIBUTARY_DATA_DIR", "data_dir",
      "TRIBUTARY_ADMIN_TOKEN", "admin_token",
      "TRIBUTARY_HTTP_BIND", "http.bind",
      "TRIBUTARY_HTTP_PORT", "http.port",
      "TRIBUTARY_HTTP_REQUEST_TIMEOUT_SECONDS", "http.request_timeout_seconds",
      "TRIBUTARY_HTTP_MAX_CONNECTIONS", "http.max_connections",
      "TRIBUTARY_HTTP_MAX_BUFFERED_BYTES", "http.max_buffered_bytes",
      "TRIBUTARY_KAFKA_BOOTSTRAP", "kafka.bootstrap",
      "TRIBUTARY_LAKE_S3_ACCESS_KEY_ID", "lake.s3.access_key_id",
      "TRIBUTARY_LAKE_S3_SECRET_ACCESS_KEY", "lake.s3.secret_access_key");

  private static final Set<String> FSYNC = Set.of("os", "always");
  private static final Set<String> LAKE_STORES = Set.of("local", "s3");
  /** A size as DuckDB's memory_limit reads it. */
  private static final java.util.regex.Pattern MEMORY_SIZE = java.util.regex.Pattern.compile(
      "\\d+(\\.\\d+)?\\s*([KMGT]i?B)", java.util.regex.Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  /**
   * @param file YAML file, or null for none
   * @param overrides dotted keys to values (from flags), applied last
   */
  public static TributaryConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    ObjectNode tree = YAML.createObjectNode();
    if (file != null) {
      try {
        JsonNode parsed = YAML.readTree(Files.readAllBytes(file));
        if (parsed != null && !parsed.isMissingNode() && !parsed.isNull()) {
          if (!parsed.isObject()) {
            throw new ConfigException("config file " + file + " must be a YAML mapping");
          }
          tree = (ObjectNode) parsed;
        }
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
      }
    }
    for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
      String value = env.get(e.getKey());
      if (value != null && !value.isBlank()) {
        set(tree, e.getValue(), value);
      }
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (e.getValue() != null) {
        set(tree, e.getKey(), e.getValue());
      }
    }
    TributaryConfig config;
    try {
      config = YAML.treeToValue(tree, TributaryConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("unknown config key '" + path(e) + "'; known keys at that level: "
          + e.getKnownPropertyIds());
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new ConfigException("invalid config at " + e.getPathReference() + ": "
          + e.getOriginalMessage().replaceAll("\\s+", " "));
    } catch (IOException e) {
      throw new ConfigException("invalid config: " + e.getMessage());
    }
    validate(config);
    return config;
  }

  private static String path(UnrecognizedPropertyException e) {
    StringBuilder sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static void set(ObjectNode tree, String dotted, String value) {
    String[] parts = dotted.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }

  static void validate(TributaryConfig c) {
    TributaryConfig.Http h = c.http();
    check(h.port() >= 0 && h.port() <= 65535, "http.port must be 0..65535, not " + h.port());
    check(h.maxRequestBytes() > 0, "http.max_request_bytes must be positive");
    check(h.maxEventBytes() > 0 && h.maxEventBytes() <= h.maxRequestBytes(),
        "http.max_event_bytes must be positive and at most http.max_request_bytes");
    check(h.maxBatchEvents() > 0, "http.max_batch_events must be positive");
    check(h.idleTimeoutSeconds() > 0, "http.idle_timeout_seconds must be positive");
    check(h.requestTimeoutSeconds() > 0, "http.request_timeout_seconds must be positive");
    check(h.maxConnections() > 0, "http.max_connections must be positive");
    long largestBody = Math.max(h.maxRequestBytes(),
        c.snowplow().enabled() ? c.snowplow().maxRequestBytes() : 0);
    check(h.maxBufferedBytes() >= largestBody, "http.max_buffered_bytes must be at least the largest"
        + " body limit (http.max_request_bytes, snowplow.max_request_bytes): " + largestBody
        + ", not " + h.maxBufferedBytes());
    TributaryConfig.Kafka k = c.kafka();
    check(k.partitions() > 0, "kafka.partitions must be positive, not " + k.partitions());
    check(k.replicationFactor() > 0, "kafka.replication_factor must be positive");
    check(k.minInsyncReplicas() > 0 && k.minInsyncReplicas() <= k.replicationFactor(),
        "kafka.min_insync_replicas must be 1.." + k.replicationFactor()
            + " (kafka.replication_factor), not " + k.minInsyncReplicas());
    check(k.retentionHours() > 0, "kafka.retention_hours must be positive");
    check(FSYNC.contains(k.fsync()), "kafka.fsync must be one of " + FSYNC + ", not '" + k.fsync() + "'");
    check(c.lake().flushSeconds() > 0, "lake.flush_seconds must be positive");
    check(c.lake().flushRecords() > 0, "lake.flush_records must be positive");
    check(c.lake().flushBytes() > 0, "lake.flush_bytes must be positive");
    validateLake(c.lake());
    TributaryConfig.Iceberg ice = c.lake().iceberg();
    check(ice.commitSeconds() > 0, "lake.iceberg.commit_seconds must be positive, not " + ice.commitSeconds());
    check(ice.commitRecords() > 0, "lake.iceberg.commit_records must be positive, not " + ice.commitRecords());
    check(c.storage().minFreeMb() >= 0, "storage.min_free_mb must be 0 or more");
    check(c.enrich().threads() >= 0, "enrich.threads must be 0 (one per core) or more");
    check(c.stages().nice() == null || (c.stages().nice() >= 0 && c.stages().nice() <= 19),
        "stages.nice must be 0..19, not " + c.stages().nice());
    check(c.warehouse().batchMaxEvents() > 0, "warehouse.batch_max_events must be positive");
    check(c.warehouse().batchMaxMillis() > 0, "warehouse.batch_max_millis must be positive");
    check(c.warehouse().dedupeWindowHours() > 0, "warehouse.dedupe_window_hours must be positive");
    check(c.warehouse().checkpointMb() > 0, "warehouse.checkpoint_mb must be positive");
    check(c.warehouse().threads() == null || c.warehouse().threads() >= 1,
        "warehouse.threads must be at least 1, not " + c.warehouse().threads());
    check(c.warehouse().memoryLimit() == null
            || MEMORY_SIZE.matcher(c.warehouse().memoryLimit()).matches(),
        "warehouse.memory_limit must be a size such as 4GB or 512MiB, not '"
            + c.warehouse().memoryLimit() + "'");
    check(c.warehouse().maxColumnsPerTable() >= 20 && c.warehouse().maxColumnsPerTable() <= 10_000,
        "warehouse.max_columns_per_table must be 20..10000, not " + c.warehouse().maxColumnsPerTable());
    validateTables(c.warehouse());
    check(c.query().maxRows() > 0, "query.max_rows must be positive");
    Set<String> names = new java.util.HashSet<>();
    Set<String> keys = new java.util.HashSet<>();
    for (TributaryConfig.Source s : c.sources()) {
      check(s.name() != null && !s.name().isBlank(), "every source needs a name");
      check(s.writeKey() != null && s.writeKey().length() >= 8,
          "source '" + s.name() + "' needs a write_key of at least 8 characters");
      check(names.add(s.name()), "source name '" + s.name() + "' is used twice");
      check(keys.add(s.writeKey()), "a write_key is used by two sources");
    }
    validateSnowplow(c.snowplow());
    validateSchemas(c.schemas());
    validateEnrichments(c.enrichments());
    if (c.adminToken() != null) {
      check(c.adminToken().length() >= 16, "admin_token must have at least 16 characters");
    }
  }

  private static void validateLake(TributaryConfig.Lake l) {
    check(LAKE_STORES.contains(l.store()),
        "lake.store must be one of " + LAKE_STORES + ", not '" + l.store() + "'");
    TributaryConfig.S3 s3 = l.s3();
    if (!l.store().equals("s3")) {
      return;
    }
    check(s3.bucket() != null && !s3.bucket().isBlank(), "lake.s3.bucket is required when lake.store is s3");
    check(s3.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"), "lake.s3.bucket must be a bucket name"
        + " (3-63 lower-case letters, digits, '.', '-'), not '" + s3.bucket() + "'");
    check((s3.accessKeyId() == null) == (s3.secretAccessKey() == null), "lake.s3.access_key_id and"
        + " lake.s3.secret_access_key are set together (or neither, for the AWS default credentials chain)");
    if (s3.endpoint() != null) {
      check(s3.endpoint().matches("https?://[^/?#\\s]+/?"), "lake.s3.endpoint must be http(s)://host[:port],"
          + " not '" + s3.endpoint() + "'");
    }
    String prefix = s3.prefix().replaceAll("^/+|/+$", "");
    try {
      if (!prefix.isEmpty()) {
        io.tributary.lake.LakePaths.check(prefix);
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("lake.s3.prefix must be a '/'-separated key prefix without empty or '.'"
          + " segments, not '" + s3.prefix() + "'");
    }
  }

  private static void validateTables(TributaryConfig.Warehouse w) {
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < w.tables().size(); i++) {
      TributaryConfig.Table t = w.tables().get(i);
      String key = "warehouse.tables[" + i + "]" + (t.name() == null ? "" : " '" + t.name() + "'");
      io.tributary.core.tables.DeclaredTable table;
      try {
        table = t.declared();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
      check(names.add(table.name()), key + ": a table of this name is declared twice");
      int columns = table.columns().size()
          + io.tributary.core.tables.DeclaredTable.FIXED_COLUMNS.size();
      check(columns <= w.maxColumnsPerTable(), key + ": has " + columns + " columns (fixed ones"
          + " included), more than warehouse.max_columns_per_table (" + w.maxColumnsPerTable()
          + ")");
    }
  }

  private static final Set<String> SNOWPLOW_PATHS = Set.of("/com.snowplowanalytics.snowplow/tp2",
      "/i", "/ice.png", "/com.snowplowanalytics.snowplow/tp1", "/com.snowplowanalytics.iglu/v1");

  private static void validateSnowplow(TributaryConfig.Snowplow s) {
    check(s.maxRequestBytes() > 0, "snowplow.max_request_bytes must be positive");
    check(s.source() != null && !s.source().isBlank(), "snowplow.source must not be empty");
    check(s.cookie().name() != null && !s.cookie().name().isBlank(), "snowplow.cookie.name must not be empty");
    check(s.cookie().maxAgeDays() > 0, "snowplow.cookie.max_age_days must be positive");
    s.pathAliases().forEach((alias, target) -> {
      check(alias.startsWith("/"), "snowplow.path_aliases: '" + alias + "' must start with '/'");
      check(SNOWPLOW_PATHS.contains(target), "snowplow.path_aliases: '" + alias + "' must map to one of "
          + SNOWPLOW_PATHS + ", not '" + target + "'");
    });
  }

  private static void validateSchemas(TributaryConfig.Schemas s) {
    check(s.cacheSize() > 0, "schemas.cache_size must be positive");
    check(s.cacheTtlSeconds() > 0, "schemas.cache_ttl_seconds must be positive");
    check(s.missingTtlSeconds() > 0, "schemas.missing_ttl_seconds must be positive");
    if (s.registries() == null) {
      return;
    }
    for (TributaryConfig.Registry r : s.registries()) {
      String name = r.name() == null ? String.valueOf(r.type()) : r.name();
      check("directory".equals(r.type()) || "http".equals(r.type()),
          "schemas.registries '" + name + "': type must be 'directory' or 'http', not '" + r.type() + "'");
      check(!"directory".equals(r.type()) || r.path() != null,
          "schemas.registries '" + name + "': a directory registry needs 'path'");
      check(!"http".equals(r.type()) || (r.uri() != null
              && (r.uri().startsWith("http://") || r.uri().startsWith("https://"))),
          "schemas.registries '" + name + "': an http registry needs an http(s) 'uri'");
    }
  }

  private static void validateEnrichments(TributaryConfig.Enrichments e) {
    int octets = e.ipAnonymisation().octets();
    check(octets >= 0 && octets <= 4, "enrichments.ip_anonymisation.octets must be 0..4, not " + octets);
    check(e.userAgent().cacheSize() > 0, "enrichments.user_agent.cache_size must be positive");
    if (e.geo().database() != null) {
      check(Files.isRegularFile(Path.of(e.geo().database())),
          "enrichments.geo.database: no file at " + e.geo().database());
    }
    for (String f : e.pii().fields()) {
      check(EventField.ofColumn(f) != null,
          "enrichments.pii.fields: '" + f + "' is not a column of events");
    }
    for (String f : e.pii().jsonPaths().keySet()) {
      EventField field = EventField.ofColumn(f);
      check(field != null && field.type() == FieldType.JSON,
          "enrichments.pii.json_paths: '" + f + "' is not a JSON column of events");
    }
    check(e.pii().salt() == null || !e.pii().salt().isEmpty(), "enrichments.pii.salt must not be empty");
    if (e.fingerprint().fields() != null) {
      for (String f : e.fingerprint().fields()) {
        check(EventField.ofColumn(f) != null,
            "enrichments.fingerprint.fields: '" + f + "' is not a column of events");
      }
    }
    check(Set.of("SHA-256", "MD5", "SHA-1").contains(e.fingerprint().algorithm()),
        "enrichments.fingerprint.algorithm must be SHA-256, SHA-1 or MD5, not '"
            + e.fingerprint().algorithm() + "'");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }
}
