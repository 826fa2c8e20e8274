package io.tributary.enrich;

import io.tributary.core.EnrichedEvent;

/**
 * One enrichment step: reads some fields of an event and sets others.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>Thread-safe: one instance enriches events on several threads at once (each event is
 *       worked on by one thread at a time).
 *   <li>Fast: no I/O per event beyond memory-mapped lookups; expensive work is cached.
 *   <li>Silent when its input field is absent: the event is left as it was.
 *   <li>Throws {@link EnrichmentException}, naming the field and the problem, when the event cannot
 *       be enriched; the pipeline turns it into an {@code ENRICHMENT_FAILURE} bad row.
 * </ul>
 */
public interface Enrichment {
  /** A short stable name, used in failure messages ("user_agent", "geo_ip", ...). */
  String name();

  /** Enriches the event in place. */
  void enrich(EnrichedEvent event);
}
