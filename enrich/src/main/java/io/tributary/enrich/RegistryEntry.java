package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A registry as {@link SchemaResolver} uses it: tried in ascending {@code priority} (then in list
 * order), and only for schemas whose vendor starts with one of {@code vendorPrefixes} (an empty list
 * serves every vendor).
 */
public record RegistryEntry(SchemaRegistry registry, int priority, List<String> vendorPrefixes) {
  public RegistryEntry {
    requireNonNull(registry, "registry is null");
    requireNonNull(vendorPrefixes, "vendorPrefixes is null");
    for (String prefix : vendorPrefixes) {
      if (prefix == null || prefix.isEmpty()) {
        throw new IllegalArgumentException("registry '" + registry.name()
            + "': vendor prefixes must be non-empty strings, got " + vendorPrefixes);
      }
    }
    vendorPrefixes = List.copyOf(vendorPrefixes);
  }

  /** A registry that serves every vendor. */
  public RegistryEntry(SchemaRegistry registry, int priority) {
    this(registry, priority, List.of());
  }

  /** Whether this registry is asked for schemas of {@code vendor}. */
  public boolean serves(String vendor) {
    return vendorPrefixes.isEmpty() || vendorPrefixes.stream().anyMatch(vendor::startsWith);
  }
}
