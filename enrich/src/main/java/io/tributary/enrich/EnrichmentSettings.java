package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import io.tributary.core.ConfigException;
import io.tributary.core.EventField;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which enrichments run and with what parameters; {@link EnrichmentPipeline#standard} turns it
 * into a pipeline. Each nested record has an {@code enabled} switch plus that enrichment's
 * parameters; {@link #defaults()} pins the defaults.
 */
public record EnrichmentSettings(
    Url url,
    Campaign campaign,
    Referer referer,
    UserAgent userAgent,
    Geo geo,
    Anonymisation ipAnonymisation,
    Pii pii,
    Fingerprint fingerprint) {

  public EnrichmentSettings {
    requireNonNull(url, "url is null");
    requireNonNull(campaign, "campaign is null");
    requireNonNull(referer, "referer is null");
    requireNonNull(userAgent, "userAgent is null");
    requireNonNull(geo, "geo is null");
    requireNonNull(ipAnonymisation, "ipAnonymisation is null");
    requireNonNull(pii, "pii is null");
    requireNonNull(fingerprint, "fingerprint is null");
  }

  /**
   * URL, campaign, referer, user agent (cache 10,000) and fingerprint (SHA-256 over {@link
   * EventFingerprint#DEFAULT_FIELDS}) on; geo (no database), IP anonymisation (0 octets) and PII off.
   */
  public static EnrichmentSettings defaults() {
    return new EnrichmentSettings(
        new Url(true),
        new Campaign(true, Campaign.DEFAULT_CLICK_IDS, Campaign.DEFAULT_CPC_CLICK_IDS),
        new Referer(true, Set.of()),
        new UserAgent(true, 10_000),
        new Geo(false, null),
        new Anonymisation(false, 0),
        new Pii(false, null, List.of(), Map.of()),
        new Fingerprint(true, EventFingerprint.DEFAULT_FIELDS, "SHA-256"));
  }

  public EnrichmentSettings withUrl(Url value) {
    return new EnrichmentSettings(
        value, campaign, referer, userAgent, geo, ipAnonymisation, pii, fingerprint);
  }

  public EnrichmentSettings withCampaign(Campaign value) {
    return new EnrichmentSettings(
        url, value, referer, userAgent, geo, ipAnonymisation, pii, fingerprint);
  }

  public EnrichmentSettings withReferer(Referer value) {
    return new EnrichmentSettings(
        url, campaign, value, userAgent, geo, ipAnonymisation, pii, fingerprint);
  }

  public EnrichmentSettings withUserAgent(UserAgent value) {
    return new EnrichmentSettings(
        url, campaign, referer, value, geo, ipAnonymisation, pii, fingerprint);
  }

  public EnrichmentSettings withGeo(Geo value) {
    return new EnrichmentSettings(
        url, campaign, referer, userAgent, value, ipAnonymisation, pii, fingerprint);
  }

  public EnrichmentSettings withIpAnonymisation(Anonymisation value) {
    return new EnrichmentSettings(
        url, campaign, referer, userAgent, geo, value, pii, fingerprint);
  }

  public EnrichmentSettings withPii(Pii value) {
    return new EnrichmentSettings(
        url, campaign, referer, userAgent, geo, ipAnonymisation, value, fingerprint);
  }

  public EnrichmentSettings withFingerprint(Fingerprint value) {
    return new EnrichmentSettings(
        url, campaign, referer, userAgent, geo, ipAnonymisation, pii, value);
  }

  /** {@link UrlParsing}: PAGE_URL and PAGE_REFERRER into their parts. */
  public record Url(boolean enabled) {}

  /**
   * {@link CampaignAttribution}. {@code clickIdNetworks}: query parameter → ad network, in priority
   * order when several are present. {@code cpcClickIds}: the click-id parameters that imply
   * MKT_MEDIUM "cpc" when there is no utm_medium.
   */
  public record Campaign(
      boolean enabled, Map<String, String> clickIdNetworks, Set<String> cpcClickIds) {
    public static final Map<String, String> DEFAULT_CLICK_IDS =
        Collections.unmodifiableMap(new LinkedHashMap<>(orderedOf(
            "gclid", "Google", "msclkid", "Microsoft", "fbclid", "Facebook")));
    public static final Set<String> DEFAULT_CPC_CLICK_IDS = Set.of("gclid", "msclkid");

    public Campaign {
      requireNonNull(clickIdNetworks, "campaign.clickIdNetworks is null");
      requireNonNull(cpcClickIds, "campaign.cpcClickIds is null");
      clickIdNetworks = Collections.unmodifiableMap(new LinkedHashMap<>(clickIdNetworks));
      cpcClickIds = Set.copyOf(cpcClickIds);
    }

    private static Map<String, String> orderedOf(String... keysAndValues) {
      Map<String, String> map = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        map.put(keysAndValues[i], keysAndValues[i + 1]);
      }
      return map;
    }
  }

  /**
   * {@link RefererClassification}. {@code internalDomains}: referrers on these domains (or their
   * subdomains) are "internal", besides the page's own host.
   */
  public record Referer(boolean enabled, Set<String> internalDomains) {
    public Referer {
      requireNonNull(internalDomains, "referer.internalDomains is null");
      internalDomains = Set.copyOf(internalDomains);
    }
  }

  /** {@link UserAgentEnrichment} with bot detection; {@code cacheSize}: distinct UAs cached. */
  public record UserAgent(boolean enabled, int cacheSize) {
    public UserAgent {
      if (cacheSize < 0) {
        throw new ConfigException("userAgent.cacheSize must be >= 0, got " + cacheSize);
      }
    }
  }

  /** {@link GeoIpEnrichment}: a MaxMind City database (.mmdb); required when enabled. */
  public record Geo(boolean enabled, Path database) {
    public Geo {
      if (enabled && database == null) {
        throw new ConfigException("geo.database is required when geo is enabled");
      }
    }
  }

  /** {@link IpAnonymisation}: how many trailing IPv4 octets (IPv6 groups) to zero, 0–4. */
  public record Anonymisation(boolean enabled, int octets) {
    public Anonymisation {
      if (octets < 0 || octets > 4) {
        throw new ConfigException("ipAnonymisation.octets must be 0..4, got " + octets);
      }
      if (enabled && octets == 0) {
        throw new ConfigException("ipAnonymisation.octets must be 1..4 when enabled, got 0");
      }
    }
  }

  /**
   * {@link PiiPseudonymisation}: salted SHA-256 of the string {@code fields} and of the values at
   * {@code jsonPaths} of JSON fields. The salt is required (non-empty) when enabled.
   */
  public record Pii(
      boolean enabled,
      String salt,
      List<EventField> fields,
      Map<EventField, List<String>> jsonPaths) {
    public Pii {
      fields = List.copyOf(requireNonNull(fields, "pii.fields is null"));
      jsonPaths = Map.copyOf(requireNonNull(jsonPaths, "pii.jsonPaths is null"));
      if (enabled && (salt == null || salt.isEmpty())) {
        throw new ConfigException("pii.salt must be non-empty when pii is enabled");
      }
    }

    @Override
    public String toString() {
      return "Pii[enabled=" + enabled + ", salt=" + (salt == null ? "null" : "***")
          + ", fields=" + fields + ", jsonPaths=" + jsonPaths + "]";
    }
  }

  /** {@link EventFingerprint}: hash algorithm (SHA-256 or MD5) over {@code fields}. */
  public record Fingerprint(boolean enabled, List<EventField> fields, String algorithm) {
    public Fingerprint {
      fields = List.copyOf(requireNonNull(fields, "fingerprint.fields is null"));
      requireNonNull(algorithm, "fingerprint.algorithm is null");
    }
  }
}
