package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.SpecVersion.VersionFlag;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Tracking plans for Segment sources: per source, a JSON Schema for the {@code properties} of each
 * planned {@code track} event, and whether unplanned events are allowed. Schemas without {@code
 * $schema} are draft-07 (as Segment Protocols writes them). Events of sources without a plan, and
 * events other than Segment {@code track}, are not checked. Thread-safe.
 */
public final class TrackingPlan {
  static final String POLICY_FILE = "_policy.json";
  private static final JsonNode NO_PROPERTIES = JsonNodeFactory.instance.objectNode();

  /**
   * The plan of one source.
   *
   * @param events JSON Schema of the properties, by event name
   * @param allowUnplanned whether events that are not in {@code events} pass
   */
  public record Plan(Map<String, JsonNode> events, boolean allowUnplanned) {
    public Plan {
      requireNonNull(events, "events is null");
      events.forEach((name, schema) -> {
        if (name == null || schema == null) {
          throw new IllegalArgumentException(
              "tracking plan events must not hold null names or schemas, got " + name);
        }
      });
      events = Map.copyOf(events);
    }
  }

  private final Map<String, CompiledPlan> plans;

  /**
   * @param plans by source name
   * @throws IllegalArgumentException naming the source and event when a schema is not usable
   */
  public TrackingPlan(Map<String, Plan> plans) {
    requireNonNull(plans, "plans is null");
    Map<String, CompiledPlan> compiled = new LinkedHashMap<>();
    plans.forEach((source, plan) -> {
      requireNonNull(source, "source name is null");
      requireNonNull(plan, "plan of source '" + source + "' is null");
      compiled.put(source, compile(source, plan));
    });
    this.plans = Map.copyOf(compiled);
  }

  /**
   * Reads {@code dir/<source>/<Event Name>.json} (the JSON Schema of the event's properties) and
   * {@code dir/<source>/_policy.json} ({@code {"allow_unplanned": false}}; unplanned events are
   * allowed without it). Other files than {@code .json} are ignored.
   *
   * @throws IllegalArgumentException naming the file when a file is not valid
   * @throws UncheckedIOException when the directory cannot be read
   */
  public static TrackingPlan fromDirectory(Path dir) {
    requireNonNull(dir, "dir is null");
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("tracking plan directory " + dir + " is not a directory");
    }
    Map<String, Plan> plans = new TreeMap<>();
    for (Path sourceDir : list(dir)) {
      if (Files.isDirectory(sourceDir)) {
        plans.put(sourceDir.getFileName().toString(), readPlan(sourceDir));
      }
    }
    return new TrackingPlan(plans);
  }

  /** The sources that have a plan. */
  public Set<String> sources() {
    return plans.keySet();
  }

  /**
   * Checks a Segment {@code track} event against the plan of its source.
   *
   * @return SCHEMA_VIOLATIONs for invalid properties or a forbidden unplanned event; empty otherwise
   */
  public List<Failure> validate(EnrichedEvent event) {
    requireNonNull(event, "event is null");
    if (!"segment".equals(event.string(EventField.PROTOCOL))
        || !"track".equals(event.string(EventField.EVENT_TYPE))) {
      return List.of();
    }
    String source = event.string(EventField.SOURCE);
    CompiledPlan plan = source == null ? null : plans.get(source);
    if (plan == null) {
      return List.of();
    }
    String name = event.string(EventField.EVENT_NAME);
    SchemaValidator validator = name == null ? null : plan.events().get(name);
    if (validator == null) {
      if (plan.allowUnplanned()) {
        return List.of();
      }
      String what = name == null ? "a track event without a name" : "event '" + name + "'";
      return List.of(new Failure(BadRowType.SCHEMA_VIOLATION,
          what + " is not in the tracking plan of source '" + source + "'"));
    }
    JsonNode properties = event.json(EventField.PROPERTIES);
    String prefix = "event '" + name + "' (tracking plan of source '" + source + "'): ";
    List<Failure> failures = new ArrayList<>();
    try {
      for (String message : validator.validate(properties == null ? NO_PROPERTIES : properties)) {
        failures.add(new Failure(BadRowType.SCHEMA_VIOLATION, prefix + message));
      }
    } catch (SchemaResolutionException e) {
      failures.add(new Failure(BadRowType.RESOLUTION_ERROR, prefix + e.getMessage()));
    }
    return failures;
  }

  private static CompiledPlan compile(String source, Plan plan) {
    Map<String, SchemaValidator> events = new LinkedHashMap<>();
    plan.events().forEach((name, schema) -> {
      String label = "event '" + name + "' of source '" + source + "'";
      try {
        events.put(name, SchemaValidator.compile(label, schema, VersionFlag.V7));
      } catch (SchemaResolutionException e) {
        throw new IllegalArgumentException("tracking plan: " + e.getMessage(), e);
      }
    });
    return new CompiledPlan(Map.copyOf(events), plan.allowUnplanned());
  }

  private static Plan readPlan(Path sourceDir) {
    Map<String, JsonNode> events = new TreeMap<>();
    boolean allowUnplanned = true;
    for (Path file : list(sourceDir)) {
      String fileName = file.getFileName().toString();
      if (!Files.isRegularFile(file) || !fileName.endsWith(".json")) {
        continue;
      }
      if (fileName.equals(POLICY_FILE)) {
        allowUnplanned = readPolicy(file);
      } else if (fileName.startsWith("_")) {
        throw new IllegalArgumentException("tracking plan file " + file
            + ": names starting with '_' are reserved; the only one known is " + POLICY_FILE);
      } else {
        events.put(fileName.substring(0, fileName.length() - ".json".length()), read(file));
      }
    }
    return new Plan(events, allowUnplanned);
  }

  private static boolean readPolicy(Path file) {
    JsonNode policy = read(file);
    if (!policy.isObject()) {
      throw new IllegalArgumentException(
          "tracking plan policy " + file + " must be a JSON object like {\"allow_unplanned\": false}");
    }
    for (Iterator<String> keys = policy.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("allow_unplanned")) {
        throw new IllegalArgumentException("tracking plan policy " + file + ": unknown key '" + key
            + "'; the only key is allow_unplanned");
      }
    }
    JsonNode allow = policy.get("allow_unplanned");
    if (allow == null) {
      return true;
    }
    if (!allow.isBoolean()) {
      throw new IllegalArgumentException("tracking plan policy " + file
          + ": allow_unplanned must be true or false, got " + allow);
    }
    return allow.booleanValue();
  }

  private static JsonNode read(Path file) {
    try {
      JsonNode json = Json.MAPPER.readTree(file.toFile());
      if (json == null || json.isMissingNode()) {
        throw new IllegalArgumentException("tracking plan file " + file + " is empty");
      }
      return json;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          "tracking plan file " + file + " is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tracking plan file " + file, e);
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list tracking plan directory " + dir, e);
    }
  }

  private record CompiledPlan(Map<String, SchemaValidator> events, boolean allowUnplanned) {}
}
