package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.BadRowType;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichmentPipelineTest {
  private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
      + " (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36";

  @TempDir Path dir;

  @Test
  void defaultsArePinned() {
    EnrichmentSettings s = EnrichmentSettings.defaults();

    assertThat(s.url()).isEqualTo(new EnrichmentSettings.Url(true));
    assertThat(s.campaign().enabled()).isTrue();
    assertThat(s.campaign().clickIdNetworks()).containsExactly(Map.entry("gclid", "Google"),
        Map.entry("msclkid", "Microsoft"), Map.entry("fbclid", "Facebook"));
    assertThat(s.campaign().cpcClickIds()).containsExactlyInAnyOrder("gclid", "msclkid");
    assertThat(s.referer()).isEqualTo(new EnrichmentSettings.Referer(true, Set.of()));
    assertThat(s.userAgent()).isEqualTo(new EnrichmentSettings.UserAgent(true, 10_000));
    assertThat(s.geo()).isEqualTo(new EnrichmentSettings.Geo(false, null));
    assertThat(s.ipAnonymisation()).isEqualTo(new EnrichmentSettings.Anonymisation(false, 0));
    assertThat(s.pii().enabled()).isFalse();
    assertThat(s.fingerprint()).isEqualTo(
        new EnrichmentSettings.Fingerprint(true, EventFingerprint.DEFAULT_FIELDS, "SHA-256"));
    assertThat(names(EnrichmentPipeline.standard(s))).containsExactly("url_parsing",
        "campaign_attribution", "referer_classification", "user_agent", "event_fingerprint");
  }

  @Test
  void standardOrderWithEverythingOn() throws Exception {
    Path db = dir.resolve("city.mmdb");
    new GeoIpEnrichmentMmdbWriter("GeoLite2-City")
        .insert("81.2.69.0/24", Map.of("country", Map.of("iso_code", "GB"),
            "city", Map.of("names", Map.of("en", "London"))))
        .write(db);
    EnrichmentSettings s = EnrichmentSettings.defaults()
        .withGeo(new EnrichmentSettings.Geo(true, db))
        .withIpAnonymisation(new EnrichmentSettings.Anonymisation(true, 1))
        .withPii(new EnrichmentSettings.Pii(true, "salt", List.of(EventField.USER_ID), Map.of()));

    try (EnrichmentPipeline pipeline = EnrichmentPipeline.standard(s)) {
      assertThat(names(pipeline)).containsExactly("url_parsing", "campaign_attribution",
          "referer_classification", "user_agent", "geo_ip", "ip_anonymisation",
          "pii_pseudonymisation", "event_fingerprint");

      EnrichedEvent event = sampleEvent().set(EventField.IP, "81.2.69.142");
      assertThat(pipeline.apply(event)).isEmpty();
      // geo saw the full address before anonymisation zeroed it
      assertThat(event.string(EventField.GEO_CITY)).isEqualTo("London");
      assertThat(event.string(EventField.IP)).isEqualTo("81.2.69.0");
      assertThat(event.string(EventField.USER_ID)).hasSize(64).isNotEqualTo("alice");
    }
  }

  @Test
  void disabledEnrichmentsAreLeftOut() {
    EnrichmentSettings s = EnrichmentSettings.defaults()
        .withUrl(new EnrichmentSettings.Url(false))
        .withUserAgent(new EnrichmentSettings.UserAgent(false, 10))
        .withFingerprint(new EnrichmentSettings.Fingerprint(false, List.of(EventField.USER_ID), "MD5"));

    assertThat(names(EnrichmentPipeline.standard(s)))
        .containsExactly("campaign_attribution", "referer_classification");
  }

  @Test
  void enrichesARealisticEventWithTheDefaults() {
    EnrichedEvent event = sampleEvent();
    List<Failure> failures = EnrichmentPipeline.standard(EnrichmentSettings.defaults()).apply(event);

    assertThat(failures).isEmpty();
    assertThat(event.values())
        .containsEntry(EventField.PAGE_URLHOST, "shop.example.com")
        .containsEntry(EventField.PAGE_URLPATH, "/shoes")
        .containsEntry(EventField.MKT_NETWORK, "Google")
        .containsEntry(EventField.MKT_MEDIUM, "cpc")
        .containsEntry(EventField.MKT_CAMPAIGN, "spring")
        .containsEntry(EventField.REFR_MEDIUM, "search")
        .containsEntry(EventField.REFR_SOURCE, "Google")
        .containsEntry(EventField.REFR_URLHOST, "www.google.com")
        .containsEntry(EventField.BR_FAMILY, "Chrome")
        .containsEntry(EventField.IS_BOT, false)
        .containsKey(EventField.EVENT_FINGERPRINT);
  }

  @Test
  void stopsAtTheFirstFailureAndNamesTheEnrichment() {
    List<String> ran = new ArrayList<>();
    EnrichmentPipeline pipeline = new EnrichmentPipeline(List.of(
        recording("first", ran, null),
        recording("second", ran, new EnrichmentException("ip: not an address: x")),
        recording("third", ran, null)));

    List<Failure> failures = pipeline.apply(new EnrichedEvent());

    assertThat(failures).containsExactly(
        new Failure(BadRowType.ENRICHMENT_FAILURE, "second: ip: not an address: x"));
    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void unexpectedRuntimeExceptionsBecomeFailuresToo() {
    EnrichmentPipeline pipeline = new EnrichmentPipeline(List.of(
        recording("broken", new ArrayList<>(), new IllegalStateException("boom"))));

    assertThat(pipeline.apply(new EnrichedEvent())).containsExactly(new Failure(
        BadRowType.ENRICHMENT_FAILURE, "broken: IllegalStateException: boom"));
  }

  @Test
  void settingsFailFastOnBadValues() {
    assertThatThrownBy(() -> new EnrichmentSettings.Geo(true, null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("geo.database");
    assertThatThrownBy(() -> new EnrichmentSettings.Anonymisation(true, 0))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ipAnonymisation.octets");
    assertThatThrownBy(() -> new EnrichmentSettings.Anonymisation(false, 5))
        .isInstanceOf(ConfigException.class).hasMessageContaining("5");
    assertThatThrownBy(() -> new EnrichmentSettings.Pii(true, "", List.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pii.salt");
    assertThatThrownBy(() -> new EnrichmentSettings.UserAgent(true, -1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cacheSize");
    assertThat(new EnrichmentSettings.Pii(true, "secret", List.of(), Map.of()).toString())
        .doesNotContain("secret");
  }

  @Test
  void closeReleasesTheGeoDatabase() throws Exception {
    Path db = dir.resolve("close.mmdb");
    new GeoIpEnrichmentMmdbWriter("GeoIP2-City").insert("81.2.69.0/24",
        Map.of("country", Map.of("iso_code", "GB"))).write(db);
    EnrichmentPipeline pipeline = new EnrichmentPipeline(List.of(new GeoIpEnrichment(db)));
    pipeline.close();
    assertThatThrownBy(() -> pipeline.enrichments().get(0)
        .enrich(new EnrichedEvent().set(EventField.IP, "81.2.69.1")))
        .isInstanceOf(RuntimeException.class);
  }

  private static EnrichedEvent sampleEvent() {
    return new EnrichedEvent()
        .set(EventField.EVENT_ID, "e-1")
        .set(EventField.USER_ID, "alice")
        .set(EventField.USER_AGENT, CHROME)
        .set(EventField.PAGE_URL, "https://shop.example.com/shoes?gclid=abc&utm_campaign=spring")
        .set(EventField.PAGE_REFERRER, "https://www.google.com/");
  }

  private static List<String> names(EnrichmentPipeline pipeline) {
    return pipeline.enrichments().stream().map(Enrichment::name).toList();
  }

  private static Enrichment recording(String name, List<String> ran, RuntimeException failure) {
    return new Enrichment() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void enrich(EnrichedEvent event) {
        ran.add(name);
        if (failure != null) {
          throw failure;
        }
      }
    };
  }
}
