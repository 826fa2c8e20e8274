package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tributary.core.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaResolverTest {
  static final String BUTTON_URI = "iglu:com.acme/button/jsonschema/1-0-0";
  static final SchemaKey BUTTON = SchemaKey.parse(BUTTON_URI);
  static final String BUTTON_PATH = "/api/schemas/com.acme/button/jsonschema/1-0-0";
  static final String BUTTON_SCHEMA = """
      {"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]}""";
  static final SchemaResolver.Config CONFIG =
      new SchemaResolver.Config(100, Duration.ofMinutes(10), Duration.ofMinutes(1));

  /** A Caffeine ticker that moves only when told to. */
  static final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    @Override
    public long read() {
      return nanos.get();
    }
  }

  private final FakeTicker ticker = new FakeTicker();
  private HttpRegistryFakeServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new HttpRegistryFakeServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private SchemaResolver httpResolver() {
    HttpRegistry http = new HttpRegistry("iglu-server", server.uri("/api"), null, Duration.ofSeconds(5));
    return new SchemaResolver(List.of(new RegistryEntry(http, 0)), CONFIG, ticker);
  }

  private static JsonNode json(String text) {
    return Json.parseOrNull(text);
  }

  @Test
  void lowerPriorityNumberIsAskedFirstWhateverTheListOrder() {
    SchemaRegistryFake second = new SchemaRegistryFake("second").with(BUTTON_URI, "{\"title\": \"second\"}");
    SchemaRegistryFake first = new SchemaRegistryFake("first").with(BUTTON_URI, "{\"title\": \"first\"}");

    SchemaResolver resolver = new SchemaResolver(
        List.of(new RegistryEntry(second, 10), new RegistryEntry(first, 1)), CONFIG, ticker);

    assertThat(resolver.resolve(BUTTON)).hasValue(json("{\"title\": \"first\"}"));
    assertThat(second.lookups()).isEmpty();
    assertThat(resolver.registries()).extracting(e -> e.registry().name())
        .containsExactly("first", "second");
  }

  @Test
  void equalPrioritiesKeepListOrder() {
    SchemaRegistryFake a = new SchemaRegistryFake("a").with(BUTTON_URI, "{\"title\": \"a\"}");
    SchemaRegistryFake b = new SchemaRegistryFake("b").with(BUTTON_URI, "{\"title\": \"b\"}");

    SchemaResolver resolver = new SchemaResolver(
        List.of(new RegistryEntry(a, 5), new RegistryEntry(b, 5)), CONFIG, ticker);

    assertThat(resolver.resolve(BUTTON)).hasValue(json("{\"title\": \"a\"}"));
  }

  @Test
  void fallsThroughToTheNextRegistry() {
    SchemaRegistryFake empty = new SchemaRegistryFake("empty");
    SchemaRegistryFake full = new SchemaRegistryFake("full").with(BUTTON_URI, BUTTON_SCHEMA);

    SchemaResolver resolver = new SchemaResolver(
        List.of(new RegistryEntry(empty, 0), new RegistryEntry(full, 1)), CONFIG, ticker);

    assertThat(resolver.resolve(BUTTON)).isPresent();
    assertThat(empty.lookups()).containsExactly(BUTTON);
    assertThat(full.lookups()).containsExactly(BUTTON);
  }

  @Test
  void registriesAreAskedOnlyForTheirVendorPrefixes() {
    SchemaRegistryFake acme = new SchemaRegistryFake("acme")
        .with("iglu:com.acme.web/click/jsonschema/1-0-0", "{\"title\": \"acme\"}");
    SchemaRegistryFake central = new SchemaRegistryFake("central")
        .with("iglu:com.acme.web/click/jsonschema/1-0-0", "{\"title\": \"central\"}")
        .with("iglu:com.snowplowanalytics.snowplow/x/jsonschema/1-0-0", "{\"title\": \"central\"}");
    SchemaResolver resolver = new SchemaResolver(List.of(
        new RegistryEntry(central, 1),
        new RegistryEntry(acme, 0, List.of("org.example", "com.acme"))), CONFIG, ticker);

    assertThat(resolver.resolve(SchemaKey.parse("iglu:com.acme.web/click/jsonschema/1-0-0")))
        .hasValue(json("{\"title\": \"acme\"}"));
    assertThat(resolver.resolve(SchemaKey.parse("iglu:com.snowplowanalytics.snowplow/x/jsonschema/1-0-0")))
        .hasValue(json("{\"title\": \"central\"}"));
    assertThat(acme.lookups()).extracting(SchemaKey::vendor).containsExactly("com.acme.web");
  }

  @Test
  void aFoundSchemaIsCachedUntilItsTtl() {
    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA);
    SchemaResolver resolver = httpResolver();

    assertThat(resolver.resolve(BUTTON)).hasValue(json(BUTTON_SCHEMA));
    assertThat(resolver.resolve(BUTTON)).hasValue(json(BUTTON_SCHEMA));
    assertThat(resolver.validate(BUTTON, json("{\"label\": \"ok\"}"))).isEmpty();
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(1);

    ticker.advance(Duration.ofMinutes(10).minusNanos(1));
    resolver.resolve(BUTTON);
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(1);

    ticker.advance(Duration.ofNanos(1));
    assertThat(resolver.resolve(BUTTON)).isPresent();
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(2);
  }

  @Test
  void theCompiledValidatorIsCachedWithTheSchema() {
    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA);
    SchemaResolver resolver = httpResolver();

    SchemaValidator validator = resolver.validator(BUTTON);

    assertThat(resolver.validator(BUTTON)).isSameAs(validator);
    assertThat(validator.label()).isEqualTo(BUTTON_URI);
    ticker.advance(Duration.ofMinutes(11));
    assertThat(resolver.validator(BUTTON)).isNotSameAs(validator);
  }

  @Test
  void aMissIsCachedUntilTheNegativeTtl() {
    SchemaResolver resolver = httpResolver();

    assertThat(resolver.resolve(BUTTON)).isEmpty();
    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA); // published after the first miss
    assertThat(resolver.resolve(BUTTON)).isEmpty();
    assertThatThrownBy(() -> resolver.validate(BUTTON, json("{}")))
        .isInstanceOf(SchemaResolutionException.class);
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(1);

    ticker.advance(Duration.ofMinutes(1));
    assertThat(resolver.resolve(BUTTON)).hasValue(json(BUTTON_SCHEMA));
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(2);
  }

  @Test
  void aZeroNegativeTtlDoesNotCacheMisses() {
    HttpRegistry http = new HttpRegistry("iglu-server", server.uri("/api"), null, Duration.ofSeconds(5));
    SchemaResolver resolver = new SchemaResolver(List.of(new RegistryEntry(http, 0)),
        new SchemaResolver.Config(10, Duration.ofMinutes(1), Duration.ZERO), ticker);

    resolver.resolve(BUTTON);
    resolver.resolve(BUTTON);

    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(2);
  }

  @Test
  void anUnresolvableSchemaNamesTheKeyAndTheRegistriesTried() {
    SchemaResolver resolver = new SchemaResolver(List.of(
        new RegistryEntry(new SchemaRegistryFake("local"), 0),
        new RegistryEntry(new SchemaRegistryFake("central"), 1),
        new RegistryEntry(new SchemaRegistryFake("other"), 2, List.of("org.other"))), CONFIG, ticker);

    assertThatThrownBy(() -> resolver.validate(BUTTON, json("{}")))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessage("schema iglu:com.acme/button/jsonschema/1-0-0 not found: "
            + "registries tried: [local, central]");
  }

  @Test
  void aVendorNoRegistryServesSaysSo() {
    SchemaResolver resolver = new SchemaResolver(
        List.of(new RegistryEntry(new SchemaRegistryFake("other"), 0, List.of("org.other"))),
        CONFIG, ticker);

    assertThat(resolver.resolve(BUTTON)).isEmpty();
    assertThatThrownBy(() -> resolver.validator(BUTTON))
        .hasMessage("schema iglu:com.acme/button/jsonschema/1-0-0 not found: "
            + "no registry serves vendor 'com.acme' (registries: [other])");
  }

  @Test
  void aFailingRegistryIsSkippedWhenAnotherHasTheSchema() {
    SchemaRegistryFake broken = new SchemaRegistryFake("broken").failing("disk on fire");
    SchemaRegistryFake good = new SchemaRegistryFake("good").with(BUTTON_URI, BUTTON_SCHEMA);

    SchemaResolver resolver = new SchemaResolver(
        List.of(new RegistryEntry(broken, 0), new RegistryEntry(good, 1)), CONFIG, ticker);

    assertThat(resolver.resolve(BUTTON)).isPresent();
  }

  @Test
  void failuresAreReportedAndRememberedForTheNegativeTtl() {
    server.respond(BUTTON_PATH, 500, "{}");
    HttpRegistry http = new HttpRegistry("iglu-server", server.uri("/api"), null, Duration.ofSeconds(5));
    SchemaResolver resolver = new SchemaResolver(List.of(
        new RegistryEntry(new SchemaRegistryFake("local"), 0),
        new RegistryEntry(http, 1)), CONFIG, ticker);

    assertThatThrownBy(() -> resolver.resolve(BUTTON))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessage("schema iglu:com.acme/button/jsonschema/1-0-0 could not be resolved from "
            + "registries [local, iglu-server]: schema registry 'iglu-server': GET "
            + server.uri(BUTTON_PATH) + " for iglu:com.acme/button/jsonschema/1-0-0 failed: HTTP 500");
    assertThatThrownBy(() -> resolver.validate(BUTTON, json("{}")))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageContaining("HTTP 500");
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(1);

    server.respond(BUTTON_PATH, 200, BUTTON_SCHEMA);
    ticker.advance(Duration.ofMinutes(1));
    assertThat(resolver.resolve(BUTTON)).isPresent();
    assertThat(server.requestsFor(BUTTON_PATH)).isEqualTo(2);
  }

  @Test
  void invalidateAllForgetsHitsAndMisses() {
    SchemaRegistryFake registry = new SchemaRegistryFake("local").with(BUTTON_URI, BUTTON_SCHEMA);
    SchemaResolver resolver = new SchemaResolver(List.of(new RegistryEntry(registry, 0)), CONFIG, ticker);
    SchemaKey missing = SchemaKey.parse("iglu:com.acme/missing/jsonschema/1-0-0");
    resolver.resolve(BUTTON);
    resolver.resolve(missing);

    resolver.invalidateAll();
    resolver.resolve(BUTTON);
    resolver.resolve(missing);

    assertThat(registry.lookups()).containsExactly(BUTTON, missing, BUTTON, missing);
  }

  @Test
  void validatesDataAgainstTheResolvedSchema() {
    SchemaResolver resolver = new SchemaResolver(List.of(new RegistryEntry(
        new SchemaRegistryFake("local").with(BUTTON_URI, BUTTON_SCHEMA), 0)), CONFIG, ticker);

    assertThat(resolver.validate(BUTTON, json("{\"label\": \"x\"}"))).isEmpty();
    assertThat(resolver.validate(BUTTON, json("{\"label\": 3}")))
        .containsExactly("$.label: integer found, string expected");
  }

  @Test
  void anUnusableSchemaFailsEveryTimeWithoutRecompiling() {
    String remoteRef = "{\"properties\": {\"a\": {\"$ref\": \"http://127.0.0.1:9/x.json\"}}}";
    SchemaRegistryFake registry = new SchemaRegistryFake("local").with(BUTTON_URI, remoteRef);
    SchemaResolver resolver = new SchemaResolver(List.of(new RegistryEntry(registry, 0)), CONFIG, ticker);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> resolver.validate(BUTTON, json("{}")))
          .isInstanceOf(SchemaResolutionException.class)
          .hasMessageStartingWith("schema iglu:com.acme/button/jsonschema/1-0-0 is not a usable JSON Schema");
    }
    assertThat(registry.lookups()).hasSize(1);
  }

  @Test
  void configDefaultsArePinned() {
    assertThat(SchemaResolver.Config.DEFAULT)
        .isEqualTo(new SchemaResolver.Config(1000, Duration.ofMinutes(10), Duration.ofMinutes(1)));
  }

  @Test
  void configIsChecked() {
    assertThatThrownBy(() -> new SchemaResolver.Config(0, Duration.ofMinutes(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema cache maximumSize 0 must be at least 1");
    assertThatThrownBy(() -> new SchemaResolver.Config(1, Duration.ZERO, Duration.ZERO))
        .hasMessage("schema cache ttl PT0S must be positive");
    assertThatThrownBy(() -> new SchemaResolver.Config(1, Duration.ofMinutes(1), Duration.ofSeconds(-1)))
        .hasMessage("schema cache negativeTtl PT-1S must not be negative");
    assertThatThrownBy(() -> new RegistryEntry(new SchemaRegistryFake("r"), 0, List.of("")))
        .hasMessage("registry 'r': vendor prefixes must be non-empty strings, got []");
  }
}
