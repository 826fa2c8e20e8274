package io.tributary.enrich;

import io.tributary.core.EnrichedEvent;
import java.util.List;

/**
 * One step the enrich stage applies to every event: a validation or an enrichment. Returns the
 * reasons the event must become a bad row (empty when it may go on). Thread-safe.
 */
@FunctionalInterface
public interface EventCheck {
  List<Failure> check(EnrichedEvent event);
}
