package io.tributary.app;

import io.tributary.core.ConfigException;
import io.tributary.core.EventField;
import io.tributary.enrich.DirectoryRegistry;
import io.tributary.enrich.EnrichmentPipeline;
import io.tributary.enrich.EnrichmentSettings;
import io.tributary.enrich.EventCheck;
import io.tributary.enrich.EventProcessor;
import io.tributary.enrich.HttpRegistry;
import io.tributary.enrich.RegistryEntry;
import io.tributary.enrich.SchemaRegistry;
import io.tributary.enrich.SchemaResolver;
import io.tributary.enrich.SelfDescribingValidator;
import io.tributary.enrich.SnowplowAdapter;
import io.tributary.enrich.TrackingPlan;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the enrich stage's logic (adapters, validations, enrichments) from the configuration. */
final class EnrichWiring {
  private EnrichWiring() {}

  /** The enrich stage's logic, and the enrichments to close on shutdown (they hold files). */
  record Built(EventProcessor processor, EnrichmentPipeline enrichments) {}

  static Built processor(TributaryConfig config, SchemaResolver resolver, Clock clock) {
    List<EventCheck> checks = new ArrayList<>();
    SelfDescribingValidator schemas = new SelfDescribingValidator(resolver);
    checks.add(schemas::validate);
    String plans = config.schemas().trackingPlans();
    if (plans != null) {
      TrackingPlan plan = TrackingPlan.fromDirectory(Path.of(plans));
      checks.add(plan::validate);
    }
    EnrichmentPipeline enrichments = EnrichmentPipeline.standard(enrichmentSettings(config));
    checks.add(enrichments::apply);
    return new Built(new EventProcessor(new SnowplowAdapter(config.snowplow().pathAliases()), checks,
        clock), enrichments);
  }

  static SchemaResolver resolver(TributaryConfig config) {
    List<RegistryEntry> entries = new ArrayList<>();
    for (TributaryConfig.Registry r : config.schemaRegistries()) {
      entries.add(new RegistryEntry(registry(r), r.priority(), r.vendorPrefixes()));
    }
    TributaryConfig.Schemas s = config.schemas();
    return new SchemaResolver(entries, new SchemaResolver.Config(s.cacheSize(),
        Duration.ofSeconds(s.cacheTtlSeconds()), Duration.ofSeconds(s.missingTtlSeconds())));
  }

  private static SchemaRegistry registry(TributaryConfig.Registry r) {
    String name = r.name() != null ? r.name() : r.type();
    String type = r.type() == null ? "" : r.type().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "directory" -> {
        if (r.path() == null) {
          throw new ConfigException("schemas.registries '" + name + "': a directory registry needs 'path'");
        }
        Path path = Path.of(r.path());
        try {
          Files.createDirectories(path);
        } catch (java.io.IOException e) {
          throw new ConfigException("cannot create schema directory " + path + ": " + e, e);
        }
        yield new DirectoryRegistry(name, path);
      }
      case "http" -> {
        if (r.uri() == null) {
          throw new ConfigException("schemas.registries '" + name + "': an http registry needs 'uri'");
        }
        yield new HttpRegistry(name, URI.create(r.uri()), r.apiKey(), Duration.ofSeconds(5));
      }
      default -> throw new ConfigException("schemas.registries '" + name
          + "': type must be 'directory' or 'http', not '" + r.type() + "'");
    };
  }

  static EnrichmentSettings enrichmentSettings(TributaryConfig config) {
    TributaryConfig.Enrichments e = config.enrichments();
    EnrichmentSettings d = EnrichmentSettings.defaults();
    Map<String, String> clickIds = e.campaign().clickIds() != null
        ? e.campaign().clickIds() : d.campaign().clickIdNetworks();
    Map<EventField, List<String>> piiPaths = new HashMap<>();
    e.pii().jsonPaths().forEach((column, paths) -> piiPaths.put(field(column, "enrichments.pii.json_paths"), paths));
    return d
        .withUrl(new EnrichmentSettings.Url(e.url().enabled()))
        .withCampaign(new EnrichmentSettings.Campaign(e.campaign().enabled(), clickIds,
            d.campaign().cpcClickIds()))
        .withReferer(new EnrichmentSettings.Referer(e.referer().enabled(),
            new HashSet<>(e.referer().internalDomains())))
        .withUserAgent(new EnrichmentSettings.UserAgent(e.userAgent().enabled(), e.userAgent().cacheSize()))
        .withGeo(new EnrichmentSettings.Geo(e.geo().database() != null,
            e.geo().database() == null ? null : Path.of(e.geo().database())))
        .withIpAnonymisation(new EnrichmentSettings.Anonymisation(e.ipAnonymisation().octets() > 0,
            e.ipAnonymisation().octets()))
        .withPii(new EnrichmentSettings.Pii(e.pii().salt() != null, e.pii().salt(),
            e.pii().fields().stream().map(f -> field(f, "enrichments.pii.fields")).toList(), piiPaths))
        .withFingerprint(new EnrichmentSettings.Fingerprint(e.fingerprint().enabled(),
            e.fingerprint().fields() == null ? d.fingerprint().fields()
                : e.fingerprint().fields().stream().map(f -> field(f, "enrichments.fingerprint.fields")).toList(),
            e.fingerprint().algorithm()));
  }

  private static EventField field(String column, String key) {
    EventField f = EventField.ofColumn(column);
    if (f == null) {
      throw new ConfigException(key + ": '" + column + "' is not a column of events");
    }
    return f;
  }
}
