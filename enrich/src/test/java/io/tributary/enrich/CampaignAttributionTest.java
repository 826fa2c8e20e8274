package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CampaignAttributionTest {
  private final CampaignAttribution campaign = new CampaignAttribution();

  @Test
  void readsUtmParametersAndDecodesThem() {
    EnrichedEvent event = enrich("https://shop.example.com/sale?utm_source=news%20letter"
        + "&utm_medium=email&utm_campaign=spring+sale&utm_term=red%2Bshoes&utm_content=%C3%A9t%C3%A9"
        + "#top");

    assertThat(event.values()).containsEntry(EventField.MKT_SOURCE, "news letter")
        .containsEntry(EventField.MKT_MEDIUM, "email")
        .containsEntry(EventField.MKT_CAMPAIGN, "spring sale")
        .containsEntry(EventField.MKT_TERM, "red+shoes")
        .containsEntry(EventField.MKT_CONTENT, "été")
        .doesNotContainKeys(EventField.MKT_CLICKID, EventField.MKT_NETWORK);
  }

  @Test
  void gclidMeansGooglePaidSearch() {
    EnrichedEvent event = enrich("https://example.com/?gclid=Cj0KCQ_abc-123&utm_source=google");

    assertThat(event.values()).containsEntry(EventField.MKT_CLICKID, "Cj0KCQ_abc-123")
        .containsEntry(EventField.MKT_NETWORK, "Google")
        .containsEntry(EventField.MKT_MEDIUM, "cpc")
        .containsEntry(EventField.MKT_SOURCE, "google");
  }

  @Test
  void utmMediumWinsOverTheClickIdsMedium() {
    EnrichedEvent event = enrich("https://example.com/?utm_medium=display&gclid=abc");

    assertThat(event.string(EventField.MKT_MEDIUM)).isEqualTo("display");
    assertThat(event.string(EventField.MKT_NETWORK)).isEqualTo("Google");
  }

  @Test
  void fbclidAndMsclkid() {
    EnrichedEvent facebook = enrich("https://example.com/?fbclid=IwAR0xyz");
    assertThat(facebook.values()).containsEntry(EventField.MKT_CLICKID, "IwAR0xyz")
        .containsEntry(EventField.MKT_NETWORK, "Facebook")
        .doesNotContainKey(EventField.MKT_MEDIUM);

    EnrichedEvent microsoft = enrich("https://example.com/?MSCLKID=d41d8cd9");
    assertThat(microsoft.values()).containsEntry(EventField.MKT_CLICKID, "d41d8cd9")
        .containsEntry(EventField.MKT_NETWORK, "Microsoft")
        .containsEntry(EventField.MKT_MEDIUM, "cpc");
  }

  @Test
  void theFirstConfiguredClickIdWins() {
    EnrichedEvent event = enrich("https://example.com/?fbclid=fb&gclid=g");
    assertThat(event.string(EventField.MKT_CLICKID)).isEqualTo("g");
  }

  @Test
  void clickIdNetworksAreConfigurable() {
    CampaignAttribution custom = new CampaignAttribution(new EnrichmentSettings.Campaign(true,
        Map.of("ttclid", "TikTok"), Set.of()));
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.PAGE_URL, "https://example.com/?ttclid=t1&gclid=g1");
    custom.enrich(event);

    assertThat(event.values()).containsEntry(EventField.MKT_CLICKID, "t1")
        .containsEntry(EventField.MKT_NETWORK, "TikTok")
        .doesNotContainKey(EventField.MKT_MEDIUM);
  }

  @Test
  void keepsWhatTheTrackerAlreadySet() {
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.PAGE_URL, "https://example.com/?utm_source=url&utm_medium=url&gclid=g")
        .set(EventField.MKT_SOURCE, "tracker");
    campaign.enrich(event);

    assertThat(event.string(EventField.MKT_SOURCE)).isEqualTo("tracker");
    assertThat(event.string(EventField.MKT_MEDIUM)).isEqualTo("url");
  }

  @Test
  void noQueryNoUrlOrEmptyValuesSetNothing() {
    assertThat(enrich("https://example.com/page").values()).containsOnlyKeys(EventField.PAGE_URL);
    assertThat(enrich("https://example.com/?utm_source=&utm_medium=").values())
        .containsOnlyKeys(EventField.PAGE_URL);
    assertThat(enrich("https://example.com/#x?utm_source=hash").values())
        .containsOnlyKeys(EventField.PAGE_URL);
    EnrichedEvent none = new EnrichedEvent();
    campaign.enrich(none);
    assertThat(none.values()).isEmpty();
  }

  @Test
  void worksOnMessyUrlsWithoutAScheme() {
    assertThat(enrich("example.com/landing page?utm_source=bad%zz&utm_campaign=a b").values())
        .containsEntry(EventField.MKT_SOURCE, "bad%zz")
        .containsEntry(EventField.MKT_CAMPAIGN, "a b");
  }

  private EnrichedEvent enrich(String url) {
    EnrichedEvent event = new EnrichedEvent().set(EventField.PAGE_URL, url);
    campaign.enrich(event);
    return event;
  }
}
