package io.tributary.app;

import io.tributary.core.ConfigException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of Tributary one process can run. Every role is a Kafka producer or consumer-group
 * member, so any number of processes may run each role against one Kafka cluster; only the loader
 * is a single writer (one DuckDB file).
 */
public enum Role {
  /** The HTTP collection endpoints (Segment API, Snowplow protocol) writing to the raw topic. */
  COLLECTOR,
  /** Validation and enrichment: raw topic to the enriched and bad topics. */
  ENRICHER,
  /** The DuckDB loaders (events, bad rows), the query API and replay. */
  LOADER,
  /** The raw and bad lake archivers. */
  ARCHIVER;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code collector,enricher,...}; null or blank means every role. */
  public static Set<Role> parse(String csv) {
    if (csv == null || csv.isBlank()) {
      return EnumSet.allOf(Role.class);
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : csv.split(",")) {
      String name = part.strip().toUpperCase(Locale.ROOT);
      try {
        roles.add(Role.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("unknown role '" + part.strip()
            + "': use any of collector, enricher, loader, archiver", e);
      }
    }
    return roles;
  }
}
