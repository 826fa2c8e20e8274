package io.tributary.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A store of JSON Schemas addressed by {@link SchemaKey} (an Iglu registry).
 *
 * <p>Implementations are thread-safe and do no caching of their own: {@link SchemaResolver} caches.
 * {@link #lookup} may block on I/O.
 */
public interface SchemaRegistry {
  /** A short name for messages and logs ("iglu-central", "local"). */
  String name();

  /**
   * The schema at {@code key}, or empty when this registry does not have it.
   *
   * @throws SchemaResolutionException when the registry cannot be read (I/O error, HTTP status other
   *     than 200 and 404, timeout, a schema that is not JSON)
   */
  Optional<JsonNode> lookup(SchemaKey key);
}
