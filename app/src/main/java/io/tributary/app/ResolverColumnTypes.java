package io.tributary.app;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tributary.core.tables.ColumnType;
import io.tributary.core.tables.JsonSchemaColumns;
import io.tributary.core.tables.SchemaColumnTypes;
import io.tributary.enrich.SchemaKey;
import io.tributary.enrich.SchemaResolver;
import java.util.Map;
import java.util.Optional;

/**
 * The column types of the Snowplow tables from the schema registries the enricher validates with.
 * The resolver caches schemas (and misses); the columns of each cached schema are mapped once: they
 * are kept per schema node, by identity, for as long as the resolver keeps that node.
 */
final class ResolverColumnTypes implements SchemaColumnTypes {
  private final SchemaResolver resolver;
  private final Cache<JsonNode, Map<String, ColumnType>> mapped =
      Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  ResolverColumnTypes(SchemaResolver resolver) {
    this.resolver = requireNonNull(resolver, "resolver is null");
  }

  @Override
  public Optional<Map<String, ColumnType>> columns(String schemaUri) {
    Optional<JsonNode> schema;
    try {
      schema = resolver.resolve(SchemaKey.parse(schemaUri));
    } catch (RuntimeException e) {
      // Not an Iglu URI, or a registry is down (the resolver logged it): type from the values.
      return Optional.empty();
    }
    return schema.map(node -> mapped.get(node, JsonSchemaColumns::columns));
  }
}
