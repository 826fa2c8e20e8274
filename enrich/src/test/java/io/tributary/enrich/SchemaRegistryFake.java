package io.tributary.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory registry that records its lookups and can be told to fail. */
final class SchemaRegistryFake implements SchemaRegistry {
  private final String name;
  private final Map<SchemaKey, JsonNode> schemas = new ConcurrentHashMap<>();
  private final List<SchemaKey> lookups = new ArrayList<>();
  private volatile String failure;

  SchemaRegistryFake(String name) {
    this.name = name;
  }

  SchemaRegistryFake with(String uri, String schemaJson) {
    schemas.put(SchemaKey.parse(uri), Json.parseOrNull(schemaJson));
    return this;
  }

  /** Every lookup fails with this message from now on (null: stop failing). */
  SchemaRegistryFake failing(String message) {
    this.failure = message;
    return this;
  }

  synchronized List<SchemaKey> lookups() {
    return List.copyOf(lookups);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<JsonNode> lookup(SchemaKey key) {
    synchronized (this) {
      lookups.add(key);
    }
    if (failure != null) {
      throw new SchemaResolutionException("schema registry '" + name + "': " + failure);
    }
    return Optional.ofNullable(schemas.get(key));
  }
}
