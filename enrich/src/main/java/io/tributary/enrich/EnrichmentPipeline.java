package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs enrichments in order on an event. Thread-safe when its enrichments are (all of ours are).
 *
 * <p>Stops at the first failure: the event becomes a bad row anyway, and later enrichments may
 * depend on the failed one. Closing it closes the enrichments that hold resources (the GeoIP
 * database).
 */
public final class EnrichmentPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EnrichmentPipeline.class);

  private final List<Enrichment> enrichments;

  public EnrichmentPipeline(List<Enrichment> enrichments) {
    this.enrichments = List.copyOf(requireNonNull(enrichments, "enrichments is null"));
  }

  /**
   * The default order: URL parsing, campaign attribution, referer classification, user agent (with
   * bot detection), GeoIP (when enabled), IP anonymisation (when enabled), PII pseudonymisation
   * (when enabled), fingerprint (last, over the enriched event). Geo runs before anonymisation so it
   * sees the full address.
   */
  public static EnrichmentPipeline standard(EnrichmentSettings s) {
    requireNonNull(s, "settings is null");
    List<Enrichment> list = new ArrayList<>();
    if (s.url().enabled()) {
      list.add(new UrlParsing());
    }
    if (s.campaign().enabled()) {
      list.add(new CampaignAttribution(s.campaign()));
    }
    if (s.referer().enabled()) {
      list.add(new RefererClassification(s.referer().internalDomains()));
    }
    if (s.userAgent().enabled()) {
      list.add(new UserAgentEnrichment(s.userAgent().cacheSize()));
    }
    if (s.geo().enabled()) {
      list.add(new GeoIpEnrichment(s.geo().database()));
    }
    if (s.ipAnonymisation().enabled() && s.ipAnonymisation().octets() > 0) {
      list.add(new IpAnonymisation(s.ipAnonymisation().octets()));
    }
    if (s.pii().enabled()) {
      list.add(new PiiPseudonymisation(s.pii().salt(), s.pii().fields(), s.pii().jsonPaths()));
    }
    if (s.fingerprint().enabled()) {
      list.add(new EventFingerprint(s.fingerprint().fields(), s.fingerprint().algorithm()));
    }
    return new EnrichmentPipeline(list);
  }

  /** The enrichments, in the order they run. */
  public List<Enrichment> enrichments() {
    return enrichments;
  }

  /**
   * Enriches the event in place. Returns no failures, or the one failure ({@code
   * ENRICHMENT_FAILURE}, "name: message") that stopped it; the event is then partly enriched.
   */
  public List<Failure> apply(EnrichedEvent event) {
    for (Enrichment enrichment : enrichments) {
      try {
        enrichment.enrich(event);
      } catch (EnrichmentException e) {
        return List.of(new Failure(BadRowType.ENRICHMENT_FAILURE,
            enrichment.name() + ": " + e.getMessage()));
      } catch (RuntimeException e) {
        LOG.debug("enrichment {} threw on event {}", enrichment.name(), event.eventId(), e);
        return List.of(new Failure(BadRowType.ENRICHMENT_FAILURE,
            enrichment.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
    return List.of();
  }

  @Override
  public void close() {
    for (Enrichment enrichment : enrichments) {
      if (enrichment instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("closing enrichment {} failed", enrichment.name(), e);
        }
      }
    }
  }
}
