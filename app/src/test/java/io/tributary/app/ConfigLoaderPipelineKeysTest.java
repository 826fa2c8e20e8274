package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import io.tributary.core.EventField;
import io.tributary.enrich.EnrichmentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults and validation of the snowplow, schemas and enrichments sections. */
class ConfigLoaderPipelineKeysTest {
  @TempDir Path dir;

  private TributaryConfig load(String yaml) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, Map.of(), Map.of());
  }

  @Test
  void defaults() {
    TributaryConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    TributaryConfig.Snowplow sp = c.snowplow();
    assertThat(sp.enabled()).isTrue();
    assertThat(sp.source()).isEqualTo("snowplow");
    assertThat(sp.maxRequestBytes()).isEqualTo(1_048_576);
    assertThat(sp.cookie()).isEqualTo(new TributaryConfig.Cookie("sp", null, true, 365));
    assertThat(sp.pathAliases()).isEmpty();
    TributaryConfig.Schemas s = c.schemas();
    assertThat(s.registries()).isNull();
    assertThat(c.schemaRegistries()).containsExactly(new TributaryConfig.Registry("local",
        "directory", Path.of("./data").resolve("schemas").toString(), null, null, 0, List.of()));
    assertThat(s.cacheSize()).isEqualTo(1000);
    assertThat(s.cacheTtlSeconds()).isEqualTo(600);
    assertThat(s.missingTtlSeconds()).isEqualTo(60);
    assertThat(s.trackingPlans()).isNull();
    TributaryConfig.Enrichments e = c.enrichments();
    assertThat(e.url().enabled()).isTrue();
    assertThat(e.campaign().enabled()).isTrue();
    assertThat(e.campaign().clickIds()).isNull();
    assertThat(e.referer().enabled()).isTrue();
    assertThat(e.referer().internalDomains()).isEmpty();
    assertThat(e.userAgent()).isEqualTo(new TributaryConfig.UserAgent(true, 10_000));
    assertThat(e.geo().database()).isNull();
    assertThat(e.ipAnonymisation().octets()).isZero();
    assertThat(e.pii().salt()).isNull();
    assertThat(e.fingerprint().enabled()).isTrue();
    assertThat(e.fingerprint().fields()).isNull();
    assertThat(e.fingerprint().algorithm()).isEqualTo("SHA-256");
    assertThat(c.warehouse().dedupeWindowHours()).isEqualTo(24);
    assertThat(c.warehouse().maxColumnsPerTable()).isEqualTo(300);
    assertThat(c.warehouse().segmentTables()).isTrue();
    assertThat(c.warehouse().snowplowTables()).isTrue();
    assertThat(c.kafka().enrichedTopic()).isEqualTo("tributary.enriched");
    assertThat(c.kafka().badTopic()).isEqualTo("tributary.bad");
  }

  @Test
  void defaultEnrichmentSettingsMatchTheEnrichModulesDefaults() {
    EnrichmentSettings built = EnrichWiring.enrichmentSettings(ConfigLoader.load(null, Map.of(), Map.of()));
    assertThat(built).isEqualTo(EnrichmentSettings.defaults());
  }

  @Test
  void fullSectionsAreRead() throws Exception {
    TributaryConfig c = load("""
        snowplow:
          enabled: false
          source: web-trackers
          max_request_bytes: 2000
          cookie: {name: tid, domain: .example.com, secure: false, max_age_days: 30}
          path_aliases: {/com.acme/t: /com.snowplowanalytics.snowplow/tp2}
        schemas:
          registries:
            - {name: mine, type: directory, path: /tmp/s, priority: 2, vendor_prefixes: [com.acme]}
            - {name: central, type: http, uri: "https://iglu.example.com/api", api_key: k}
          cache_size: 5
          tracking_plans: /tmp/plans
        enrichments:
          referer: {internal_domains: [example.com]}
          ip_anonymisation: {octets: 2}
          pii: {salt: pepper, fields: [user_id], json_paths: {properties: ["$.email"]}}
          fingerprint: {fields: [user_id, event_name], algorithm: MD5}
        """);
    assertThat(c.snowplow()).isEqualTo(new TributaryConfig.Snowplow(false, "web-trackers", 2000,
        new TributaryConfig.Cookie("tid", ".example.com", false, 30),
        Map.of("/com.acme/t", "/com.snowplowanalytics.snowplow/tp2")));
    assertThat(c.schemaRegistries()).hasSize(2);
    assertThat(c.schemaRegistries().get(0).vendorPrefixes()).containsExactly("com.acme");
    assertThat(c.schemaRegistries().get(1).apiKey()).isEqualTo("k");
    EnrichmentSettings e = EnrichWiring.enrichmentSettings(c);
    assertThat(e.ipAnonymisation()).isEqualTo(new EnrichmentSettings.Anonymisation(true, 2));
    assertThat(e.pii().fields()).containsExactly(EventField.USER_ID);
    assertThat(e.pii().jsonPaths()).containsEntry(EventField.PROPERTIES, List.of("$.email"));
    assertThat(e.fingerprint().fields()).containsExactly(EventField.USER_ID, EventField.EVENT_NAME);
    assertThat(e.fingerprint().algorithm()).isEqualTo("MD5");
    assertThat(e.referer().internalDomains()).containsExactly("example.com");
  }

  @Test
  void invalidValuesNameTheKey() {
    assertFails("snowplow: {max_request_bytes: 0}", "snowplow.max_request_bytes");
    assertFails("snowplow: {path_aliases: {/x: /nowhere}}", "snowplow.path_aliases");
    assertFails("snowplow: {path_aliases: {x: /i}}", "must start with '/'");
    assertFails("schemas: {registries: [{name: a, type: ftp, path: /x}]}", "type must be");
    assertFails("schemas: {registries: [{name: a, type: directory}]}", "needs 'path'");
    assertFails("schemas: {registries: [{name: a, type: http, uri: 'ftp://x'}]}", "http(s) 'uri'");
    assertFails("schemas: {cache_size: 0}", "schemas.cache_size");
    assertFails("warehouse: {dedupe_window_hours: 0}", "warehouse.dedupe_window_hours");
    assertFails("warehouse: {max_columns_per_table: 19}", "warehouse.max_columns_per_table");
    assertFails("enrichments: {ip_anonymisation: {octets: 5}}", "octets must be 0..4");
    assertFails("enrichments: {geo: {database: /no/such.mmdb}}", "enrichments.geo.database");
    assertFails("enrichments: {pii: {salt: s, fields: [nope]}}", "'nope' is not a column");
    assertFails("enrichments: {pii: {salt: s, json_paths: {user_id: [$.a]}}}", "not a JSON column");
    assertFails("enrichments: {fingerprint: {algorithm: CRC32}}", "fingerprint.algorithm");
    assertFails("enrichments: {user_agent: {cache_sise: 3}}", "cache_sise");
  }

  private void assertFails(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
