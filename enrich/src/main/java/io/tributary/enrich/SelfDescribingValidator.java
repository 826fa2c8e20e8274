package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validates the self-describing JSON of a Snowplow event: the self-describing event in {@link
 * EventField#UNSTRUCT_EVENT} ({@code {"schema": "iglu:...", "data": {...}}}) and every entity in
 * {@link EventField#CONTEXTS} (an array of those). The Snowplow envelopes ({@code
 * iglu:com.snowplowanalytics.snowplow/unstruct_event/...} around the event, {@code
 * .../contexts/...} around the array) are accepted too and looked through.
 *
 * <p>Failures: malformed self-describing JSON and invalid data are {@code SCHEMA_VIOLATION}s, a
 * schema that cannot be resolved is a {@code RESOLUTION_ERROR}; each message starts with where
 * ({@code unstruct_event}, {@code contexts[2]}) and, once known, the schema URI. Thread-safe.
 */
public final class SelfDescribingValidator {
  private static final String SNOWPLOW = "com.snowplowanalytics.snowplow";
  private static final String UNSTRUCT = "unstruct_event";
  private static final String CONTEXTS = "contexts";

  private final SchemaResolver resolver;

  public SelfDescribingValidator(SchemaResolver resolver) {
    this.resolver = requireNonNull(resolver, "resolver is null");
  }

  /** All failures of the event's self-describing JSON; empty when it is valid or absent. */
  public List<Failure> validate(EnrichedEvent event) {
    requireNonNull(event, "event is null");
    List<Failure> failures = new ArrayList<>();
    JsonNode unstruct = present(event.json(EventField.UNSTRUCT_EVENT));
    if (unstruct != null) {
      validateOne(UNSTRUCT, unwrap(unstruct, UNSTRUCT), failures);
    }
    JsonNode contexts = present(event.json(EventField.CONTEXTS));
    if (contexts != null) {
      contexts = unwrap(contexts, CONTEXTS);
      if (!contexts.isArray()) {
        failures.add(violation(CONTEXTS + ": expected a JSON array of self-describing JSON, found "
            + type(contexts)));
      } else {
        for (int i = 0; i < contexts.size(); i++) {
          validateOne(CONTEXTS + "[" + i + "]", contexts.get(i), failures);
        }
      }
    }
    return failures;
  }

  private void validateOne(String where, JsonNode json, List<Failure> failures) {
    if (!json.isObject()) {
      failures.add(violation(where + ": expected a self-describing JSON object {schema, data}, found "
          + type(json)));
      return;
    }
    SchemaKey key = null;
    JsonNode schema = json.get("schema");
    if (schema == null) {
      failures.add(violation(where + ": 'schema' is missing"));
    } else if (!schema.isTextual()) {
      failures.add(violation(where + ": 'schema' must be a string, found " + type(schema)));
    } else {
      try {
        key = SchemaKey.parse(schema.textValue());
      } catch (IllegalArgumentException e) {
        failures.add(violation(where + ": 'schema' is not valid: " + e.getMessage()));
      }
    }
    JsonNode data = json.get("data");
    if (data == null) {
      failures.add(violation(where + ": 'data' is missing"));
    }
    if (key == null || data == null) {
      return;
    }
    try {
      List<String> messages = resolver.validate(key, data);
      // The prefix is built only for failures: valid data is the hot path.
      for (String message : messages) {
        failures.add(violation(where + " (" + key.toUri() + "): " + message));
      }
    } catch (SchemaResolutionException e) {
      failures.add(new Failure(BadRowType.RESOLUTION_ERROR, where + " (" + key.toUri() + "): "
          + e.getMessage()));
    }
  }

  // Looks through Snowplow's envelope ({"schema": ".../unstruct_event/...", "data": ...}).
  private static JsonNode unwrap(JsonNode json, String envelope) {
    JsonNode schema = json.get("schema");
    JsonNode data = json.get("data");
    if (schema == null || !schema.isTextual() || data == null) {
      return json;
    }
    String uri = schema.textValue();
    return uri.startsWith("iglu:" + SNOWPLOW + "/" + envelope + "/") ? data : json;
  }

  private static JsonNode present(JsonNode json) {
    return json == null || json.isNull() || json.isMissingNode() ? null : json;
  }

  private static Failure violation(String message) {
    return new Failure(BadRowType.SCHEMA_VIOLATION, message);
  }

  private static String type(JsonNode json) {
    return json.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
