package io.tributary.enrich;

import io.tributary.core.TributaryException;

/**
 * An event cannot be enriched: the message names the field and the problem. The event goes to the
 * bad stream as an {@code ENRICHMENT_FAILURE}; retrying it will not help.
 */
public class EnrichmentException extends TributaryException {
  public EnrichmentException(String message) {
    super(message);
  }

  public EnrichmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
