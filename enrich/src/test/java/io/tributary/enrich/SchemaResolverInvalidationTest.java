package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.Json;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A lookup that overlaps {@link SchemaResolver#invalidateAll} must not put a stale answer back. */
class SchemaResolverInvalidationTest {
  private static final SchemaKey KEY = SchemaKey.parse("iglu:com.acme/click/jsonschema/1-0-0");

  @Test
  void answersFromALookupThatOverlappedAnInvalidationAreNotCached() {
    AtomicInteger lookups = new AtomicInteger();
    SchemaResolver[] resolver = new SchemaResolver[1];
    SchemaRegistry registry = new SchemaRegistry() {
      @Override
      public Optional<JsonNode> lookup(SchemaKey key) {
        if (lookups.incrementAndGet() == 1) {
          resolver[0].invalidateAll(); // a replay drops the caches while this lookup is under way
          return Optional.empty();
        }
        return Optional.of(Json.parseOrNull("{\"type\": \"object\"}"));
      }

      @Override
      public String name() {
        return "changing";
      }
    };
    resolver[0] = new SchemaResolver(List.of(new RegistryEntry(registry, 0)));

    assertThat(resolver[0].resolve(KEY)).isEmpty();
    assertThat(resolver[0].resolve(KEY)).as("the miss was not cached").isPresent();
    assertThat(resolver[0].resolve(KEY)).isPresent();
    assertThat(lookups).hasValue(2);
  }
}
