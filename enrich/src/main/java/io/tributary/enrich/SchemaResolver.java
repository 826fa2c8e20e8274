package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.networknt.schema.SpecVersion.VersionFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds schemas in an ordered list of registries and validates data against them.
 *
 * <p>For a key, the registries that {@linkplain RegistryEntry#serves serve} its vendor are asked in
 * ascending priority, then in list order; the first that has the schema wins. A registry that fails
 * (I/O, HTTP error) is skipped, and the next is asked.
 *
 * <p>Found schemas (and their compiled {@link SchemaValidator}) are cached, bounded by {@link
 * Config#maximumSize} and for {@link Config#ttl}. Keys found nowhere are cached for {@link
 * Config#negativeTtl}, and so are failures, so that a missing schema or a registry that is down is
 * not asked again for every event.
 *
 * <p>Thread-safe. The returned schema nodes are shared: do not modify them.
 */
public final class SchemaResolver {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaResolver.class);

  /**
   * Cache settings.
   *
   * @param maximumSize how many found schemas (and, separately, how many misses) are kept
   * @param ttl how long a found schema is kept
   * @param negativeTtl how long "not found" and registry failures are remembered (zero: not at all)
   */
  public record Config(long maximumSize, Duration ttl, Duration negativeTtl) {
    public static final Config DEFAULT =
        new Config(1000, Duration.ofMinutes(10), Duration.ofMinutes(1));

    public Config {
      requireNonNull(ttl, "ttl is null");
      requireNonNull(negativeTtl, "negativeTtl is null");
      if (maximumSize < 1) {
        throw new IllegalArgumentException(
            "schema cache maximumSize " + maximumSize + " must be at least 1");
      }
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("schema cache ttl " + ttl + " must be positive");
      }
      if (negativeTtl.isNegative()) {
        throw new IllegalArgumentException(
            "schema cache negativeTtl " + negativeTtl + " must not be negative");
      }
    }
  }

  private final List<RegistryEntry> registries;
  private final Cache<SchemaKey, Found> found;
  private final Cache<SchemaKey, Miss> misses;
  /** Bumped by {@link #invalidateAll}: a lookup that began before it must not cache its answer. */
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

  /** With {@link Config#DEFAULT} and the system ticker. */
  public SchemaResolver(List<RegistryEntry> registries) {
    this(registries, Config.DEFAULT, Ticker.systemTicker());
  }

  public SchemaResolver(List<RegistryEntry> registries, Config config) {
    this(registries, config, Ticker.systemTicker());
  }

  /** With a ticker (nanoseconds) that drives the caches' expiry; tests pass a fake. */
  public SchemaResolver(List<RegistryEntry> registries, Config config, Ticker ticker) {
    requireNonNull(registries, "registries is null");
    requireNonNull(config, "config is null");
    requireNonNull(ticker, "ticker is null");
    List<RegistryEntry> sorted = new ArrayList<>(registries);
    sorted.sort(Comparator.comparingInt(RegistryEntry::priority)); // stable: list order breaks ties
    this.registries = List.copyOf(sorted);
    // Maintenance on the calling thread keeps expiry and eviction deterministic under a fake ticker.
    this.found = Caffeine.newBuilder()
        .maximumSize(config.maximumSize())
        .expireAfterWrite(config.ttl())
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
    this.misses = Caffeine.newBuilder()
        .maximumSize(config.maximumSize())
        .expireAfterWrite(config.negativeTtl())
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
  }

  /** The registries in the order they are asked (before vendor routing). */
  public List<RegistryEntry> registries() {
    return registries;
  }

  /**
   * The schema at {@code key}, or empty when no registry that serves its vendor has it.
   *
   * @throws SchemaResolutionException when no registry has it and at least one registry failed
   */
  public Optional<JsonNode> resolve(SchemaKey key) {
    requireNonNull(key, "key is null");
    Found hit = find(key);
    return hit == null ? Optional.empty() : Optional.of(hit.schema);
  }

  /**
   * The compiled validator of the schema at {@code key}, compiled once per cached schema.
   *
   * @throws SchemaResolutionException naming the key and the registries tried, when the schema is
   *     not found, a registry failed, or the schema is not a usable JSON Schema
   */
  public SchemaValidator validator(SchemaKey key) {
    requireNonNull(key, "key is null");
    Found hit = find(key);
    if (hit == null) {
      throw new SchemaResolutionException("schema " + key.toUri() + " not found: " + tried(key));
    }
    return hit.validator();
  }

  /**
   * Validates {@code data} against the schema at {@code key}.
   *
   * @return one message per violation naming the JSON path and the rule (e.g. {@code "$.label:
   *     integer found, string expected"}); empty when valid
   * @throws SchemaResolutionException as {@link #validator}
   */
  public List<String> validate(SchemaKey key, JsonNode data) {
    return validator(key).validate(data);
  }

  /** Forgets every cached schema and miss (e.g. after publishing schemas). */
  public void invalidateAll() {
    generation.incrementAndGet();
    found.invalidateAll();
    misses.invalidateAll();
  }

  // Null when not found anywhere; throws when not found and a registry failed.
  private Found find(SchemaKey key) {
    Found hit = found.getIfPresent(key);
    if (hit != null) {
      return hit;
    }
    Miss miss = misses.getIfPresent(key);
    if (miss == null) {
      long before = generation.get();
      Lookup lookup = lookUp(key);
      // An invalidation during the lookup means registries changed: answer, but do not cache.
      boolean cacheable = generation.get() == before;
      if (lookup.found() != null) {
        if (cacheable) {
          found.put(key, lookup.found());
        }
        return lookup.found();
      }
      miss = lookup.miss();
      if (cacheable) {
        misses.put(key, miss);
      }
    }
    if (!miss.errors().isEmpty()) {
      throw new SchemaResolutionException("schema " + key.toUri()
          + " could not be resolved from registries " + miss.tried() + ": "
          + String.join("; ", miss.errors()));
    }
    return null;
  }

  private Lookup lookUp(SchemaKey key) {
    List<String> tried = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (RegistryEntry entry : registries) {
      if (!entry.serves(key.vendor())) {
        continue;
      }
      SchemaRegistry registry = entry.registry();
      tried.add(registry.name());
      try {
        Optional<JsonNode> schema = registry.lookup(key);
        if (schema.isPresent()) {
          return new Lookup(new Found(key, schema.get()), null);
        }
      } catch (RuntimeException e) {
        String error = e instanceof SchemaResolutionException
            ? e.getMessage()
            : "schema registry '" + registry.name() + "': " + e;
        LOG.warn("Looking up {} failed: {}", key.toUri(), error);
        errors.add(error);
      }
    }
    return new Lookup(null, new Miss(List.copyOf(tried), List.copyOf(errors)));
  }

  private String tried(SchemaKey key) {
    List<String> names = registries.stream()
        .filter(e -> e.serves(key.vendor()))
        .map(e -> e.registry().name())
        .toList();
    if (names.isEmpty()) {
      return "no registry serves vendor '" + key.vendor() + "' (registries: "
          + registries.stream().map(e -> e.registry().name()).toList() + ")";
    }
    return "registries tried: " + names;
  }

  private record Lookup(Found found, Miss miss) {}

  private record Miss(List<String> tried, List<String> errors) {}

  /** A found schema and, once asked for, its compiled validator (or why it does not compile). */
  private static final class Found {
    private final SchemaKey key;
    private final JsonNode schema;
    private volatile SchemaValidator validator;
    private SchemaResolutionException unusable;

    Found(SchemaKey key, JsonNode schema) {
      this.key = key;
      this.schema = schema;
    }

    SchemaValidator validator() {
      SchemaValidator compiled = validator;
      return compiled != null ? compiled : compileOnce();
    }

    private synchronized SchemaValidator compileOnce() {
      if (validator == null && unusable == null) {
        try {
          validator = SchemaValidator.compile(key.toUri(), schema, VersionFlag.V4);
        } catch (SchemaResolutionException e) {
          unusable = e;
        }
      }
      if (unusable != null) {
        throw new SchemaResolutionException(unusable.getMessage(), unusable);
      }
      return validator;
    }
  }
}
