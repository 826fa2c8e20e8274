package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingPlanTest {
  static final String ORDER_COMPLETED = """
      {"type": "object",
       "properties": {"order_id": {"type": "string"}, "total": {"type": "number", "minimum": 0},
                      "currency": {"const": "EUR"}},
       "required": ["order_id", "total"]}""";

  @TempDir Path dir;
  private TrackingPlan plan;

  @BeforeEach
  void writePlans() throws IOException {
    DirectoryRegistryTest.write(dir.resolve("web/Order Completed.json"), ORDER_COMPLETED);
    DirectoryRegistryTest.write(dir.resolve("web/Signed Up.json"), "{\"type\": \"object\"}");
    DirectoryRegistryTest.write(dir.resolve("web/_policy.json"), "{\"allow_unplanned\": false}");
    DirectoryRegistryTest.write(dir.resolve("web/README.md"), "not a schema");
    DirectoryRegistryTest.write(dir.resolve("ios/Order Completed.json"), ORDER_COMPLETED);
    DirectoryRegistryTest.write(dir.resolve("android/_policy.json"), "{\"allow_unplanned\": true}");
    DirectoryRegistryTest.write(dir.resolve("android/Order Completed.json"), ORDER_COMPLETED);
    DirectoryRegistryTest.write(dir.resolve("notes.txt"), "ignored");
    plan = TrackingPlan.fromDirectory(dir);
  }

  private static EnrichedEvent track(String source, String name, String properties) {
    return new EnrichedEvent()
        .set(EventField.PROTOCOL, "segment")
        .set(EventField.EVENT_TYPE, "track")
        .set(EventField.SOURCE, source)
        .set(EventField.EVENT_NAME, name)
        .set(EventField.PROPERTIES, Json.parseOrNull(properties));
  }

  private static Failure violation(String message) {
    return new Failure(BadRowType.SCHEMA_VIOLATION, message);
  }

  @Test
  void readsOnePlanPerSourceDirectory() {
    assertThat(plan.sources()).containsExactlyInAnyOrder("web", "ios", "android");
  }

  @Test
  void plannedEventsWithValidPropertiesPass() {
    assertThat(plan.validate(track("web", "Order Completed",
        "{\"order_id\": \"o-1\", \"total\": 12.5, \"currency\": \"EUR\"}"))).isEmpty();
    assertThat(plan.validate(track("web", "Signed Up", "{\"plan\": \"pro\"}"))).isEmpty();
  }

  @Test
  void invalidPropertiesAreSchemaViolationsNamingEventSourcePathAndRule() {
    assertThat(plan.validate(track("web", "Order Completed",
        "{\"order_id\": 1, \"total\": -2, \"currency\": \"USD\"}")))
        .containsExactlyInAnyOrder(
            violation("event 'Order Completed' (tracking plan of source 'web'): "
                + "$.order_id: integer found, string expected"),
            violation("event 'Order Completed' (tracking plan of source 'web'): "
                + "$.total: must have a minimum value of 0"),
            violation("event 'Order Completed' (tracking plan of source 'web'): "
                + "$.currency: must be the constant value 'EUR'"));
  }

  @Test
  void missingPropertiesAreValidatedAsAnEmptyObject() {
    EnrichedEvent event = track("ios", "Order Completed", null);

    assertThat(plan.validate(event)).containsExactlyInAnyOrder(
        violation("event 'Order Completed' (tracking plan of source 'ios'): "
            + "$: required property 'order_id' not found"),
        violation("event 'Order Completed' (tracking plan of source 'ios'): "
            + "$: required property 'total' not found"));
  }

  @Test
  void unplannedEventsFailWhenThePolicyForbidsThem() {
    assertThat(plan.validate(track("web", "Order Refunded", "{}"))).containsExactly(
        violation("event 'Order Refunded' is not in the tracking plan of source 'web'"));
    assertThat(plan.validate(track("web", null, "{}"))).containsExactly(
        violation("a track event without a name is not in the tracking plan of source 'web'"));
  }

  @Test
  void unplannedEventsPassWhenAllowedExplicitlyOrByDefault() {
    assertThat(plan.validate(track("android", "Order Refunded", "{}"))).isEmpty();
    assertThat(plan.validate(track("ios", "Order Refunded", "{}"))).isEmpty();
  }

  @Test
  void sourcesWithoutAPlanAreNotChecked() {
    assertThat(plan.validate(track("server", "Order Completed", "{\"total\": \"x\"}"))).isEmpty();
    assertThat(plan.validate(track(null, "Order Completed", "{\"total\": \"x\"}"))).isEmpty();
  }

  @Test
  void onlySegmentTrackEventsAreChecked() {
    assertThat(plan.validate(track("web", "Order Refunded", "{}")
        .set(EventField.EVENT_TYPE, "page"))).isEmpty();
    assertThat(plan.validate(track("web", "Order Refunded", "{}")
        .set(EventField.PROTOCOL, "snowplow"))).isEmpty();
  }

  @Test
  void canBeBuiltFromPlans() {
    JsonNode schema = Json.parseOrNull(ORDER_COMPLETED);
    TrackingPlan built = new TrackingPlan(Map.of(
        "web", new TrackingPlan.Plan(Map.of("Order Completed", schema), false)));

    assertThat(built.validate(track("web", "Order Completed", "{\"order_id\": \"1\", \"total\": 1}")))
        .isEmpty();
    assertThat(built.validate(track("web", "Other", "{}"))).containsExactly(
        violation("event 'Other' is not in the tracking plan of source 'web'"));
    assertThat(new TrackingPlan(Map.of()).validate(track("web", "Other", "{}"))).isEmpty();
  }

  @Test
  void unusableSchemasFailAtConstruction() {
    JsonNode remote = Json.parseOrNull("{\"properties\": {\"a\": {\"$ref\": \"http://127.0.0.1:9/a.json\"}}}");

    assertThatThrownBy(() -> new TrackingPlan(Map.of(
        "web", new TrackingPlan.Plan(Map.of("Order Completed", remote), true))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tracking plan: schema event 'Order Completed' of source 'web' "
            + "is not a usable JSON Schema");
  }

  @Test
  void policyFilesAreChecked() throws IOException {
    DirectoryRegistryTest.write(dir.resolve("web/_policy.json"), "{\"allow_unplanned\": \"no\"}");
    assertThatThrownBy(() -> TrackingPlan.fromDirectory(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("allow_unplanned must be true or false, got \"no\"");

    DirectoryRegistryTest.write(dir.resolve("web/_policy.json"), "{\"allow_unplaned\": false}");
    assertThatThrownBy(() -> TrackingPlan.fromDirectory(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(": unknown key 'allow_unplaned'; the only key is allow_unplanned");

    DirectoryRegistryTest.write(dir.resolve("web/_policy.json"), "{}");
    assertThat(TrackingPlan.fromDirectory(dir).validate(track("web", "Other", "{}"))).isEmpty();
  }

  @Test
  void filesThatAreNotJsonAreNamed() throws IOException {
    Path file = DirectoryRegistryTest.write(dir.resolve("web/Broken.json"), "{\"type\": ");

    assertThatThrownBy(() -> TrackingPlan.fromDirectory(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tracking plan file " + file + " is not JSON");
  }

  @Test
  void reservedFileNamesAreRejected() throws IOException {
    DirectoryRegistryTest.write(dir.resolve("web/_settings.json"), "{}");

    assertThatThrownBy(() -> TrackingPlan.fromDirectory(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names starting with '_' are reserved");
  }

  @Test
  void theDirectoryMustExist() {
    assertThatThrownBy(() -> TrackingPlan.fromDirectory(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("missing is not a directory");
  }
}
