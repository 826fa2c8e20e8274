package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.core.BadRow;
import io.tributary.core.BadRowCodec;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fuzzes the enrich stage's logic on arbitrary raw-topic lines, with schema validation and every
 * enrichment that needs no database (URL, campaign, referer, user agent, IP anonymisation, PII,
 * fingerprint).
 *
 * <p>Contract: {@link EventProcessor#process} never throws: any line yields good events and bad rows.
 * No check or enrichment fails with an unexpected exception (they would only show as bad rows whose
 * message names the exception class). Good events have an id and survive the enriched topic's codec;
 * bad rows survive the bad topic's codec.
 *
 * <p>Seeds ({@code EventProcessorFuzzTestInputs/process/}) are raw lines of each protocol and path.
 */
class EventProcessorFuzzTest {
  private static final String CLICK = "iglu:com.acme/click/jsonschema/1-0-0";
  /** How EventProcessor and EnrichmentPipeline report a check or enrichment that threw. */
  private static final Pattern UNEXPECTED =
      Pattern.compile("^(unexpected \\w+: |\\w+: \\w+(Exception|Error): )");
  private static final EventProcessor PROCESSOR = processor();

  private static EventProcessor processor() {
    SchemaRegistryFake registry = new SchemaRegistryFake("fuzz").with(CLICK, """
        {"$schema": "http://json-schema.org/draft-04/schema#",
         "self": {"vendor": "com.acme", "name": "click", "format": "jsonschema", "version": "1-0-0"},
         "type": "object", "properties": {"id": {"type": "string", "maxLength": 20}},
         "required": ["id"]}""");
    SelfDescribingValidator validator = new SelfDescribingValidator(
        new SchemaResolver(List.of(new RegistryEntry(registry, 0))));
    EnrichmentPipeline enrichments = EnrichmentPipeline.standard(EnrichmentSettings.defaults()
        .withIpAnonymisation(new EnrichmentSettings.Anonymisation(true, 1))
        .withPii(new EnrichmentSettings.Pii(true, "fuzz-salt", List.of(EventField.USER_ID),
            Map.of(EventField.UNSTRUCT_EVENT, List.of("$.data.email"),
                EventField.CONTEXTS, List.of("$[*].data.email")))));
    return new EventProcessor(new SnowplowAdapter(), List.of(validator::validate, enrichments::apply),
        new ManualClock(Instant.parse("2024-05-01T10:00:05Z")));
  }

  @FuzzTest
  void process(byte[] line) {
    EventProcessor.Output out = PROCESSOR.process(line);

    for (EnrichedEvent event : out.good()) {
      assertThat(event.eventId()).isNotNull();
      assertThat(EnrichedEventCodec.decode(EnrichedEventCodec.encode(event)).values())
          .isEqualTo(event.values());
    }
    for (BadRow bad : out.bad()) {
      if (bad.type() == BadRowType.ENRICHMENT_FAILURE) {
        for (String message : bad.messages()) {
          assertThat(UNEXPECTED.matcher(message).find()).as("bad row message: %s", message).isFalse();
        }
      }
      assertThat(BadRowCodec.decode(BadRowCodec.encode(bad)).messages()).isEqualTo(bad.messages());
    }
  }
}
