package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Marketing attribution from PAGE_URL's query string: utm_medium, utm_source, utm_term,
 * utm_content, utm_campaign → MKT_MEDIUM … MKT_CAMPAIGN, and the first configured click id present
 * (default gclid, msclkid, fbclid) → MKT_CLICKID plus its MKT_NETWORK (Google, Microsoft,
 * Facebook). Paid-search click ids (default gclid, msclkid) also set MKT_MEDIUM "cpc" when there is
 * no utm_medium. Parameter names match case-insensitively; values are URL-decoded. A MKT_* field the
 * tracker already set is kept.
 */
public final class CampaignAttribution implements Enrichment {
  private static final Map<String, EventField> UTM = Map.of(
      "utm_medium", EventField.MKT_MEDIUM,
      "utm_source", EventField.MKT_SOURCE,
      "utm_term", EventField.MKT_TERM,
      "utm_content", EventField.MKT_CONTENT,
      "utm_campaign", EventField.MKT_CAMPAIGN);

  private final Map<String, String> clickIdNetworks;
  private final Set<String> cpcClickIds;

  public CampaignAttribution(EnrichmentSettings.Campaign settings) {
    requireNonNull(settings, "settings is null");
    Map<String, String> networks = new LinkedHashMap<>();
    settings.clickIdNetworks().forEach((param, network) -> networks.put(
        param.toLowerCase(Locale.ROOT), requireNonNull(network, "network of " + param)));
    this.clickIdNetworks = networks;
    this.cpcClickIds = settings.cpcClickIds().stream()
        .map(p -> p.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  /** With the default click ids. */
  public CampaignAttribution() {
    this(EnrichmentSettings.defaults().campaign());
  }

  @Override
  public String name() {
    return "campaign_attribution";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    String query = UrlParsing.rawQuery(event.string(EventField.PAGE_URL));
    if (query == null) {
      return;
    }
    Map<String, String> params = UrlParsing.queryParameters(query);
    if (params.isEmpty()) {
      return;
    }
    UTM.forEach((param, field) -> setIfAbsent(event, field, params.get(param)));
    for (Map.Entry<String, String> clickId : clickIdNetworks.entrySet()) {
      String value = params.get(clickId.getKey());
      if (value != null) {
        setIfAbsent(event, EventField.MKT_CLICKID, value);
        setIfAbsent(event, EventField.MKT_NETWORK, clickId.getValue());
        if (cpcClickIds.contains(clickId.getKey())) {
          setIfAbsent(event, EventField.MKT_MEDIUM, "cpc");
        }
        return;
      }
    }
  }

  private static void setIfAbsent(EnrichedEvent event, EventField field, String value) {
    if (value != null && !event.has(field)) {
      event.set(field, value);
    }
  }
}
