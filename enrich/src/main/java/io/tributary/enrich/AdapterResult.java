package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import java.util.List;

/**
 * What a protocol adapter made of one raw request: the events it could build, and the reasons the
 * others (or the whole request) could not become events. One broken event never takes its
 * neighbours down: a request carrying 3 events of which 1 is broken yields 2 events and 1 failure,
 * whose message lists every problem found in that event.
 *
 * @param events events in payload order
 * @param failures one per dropped event (or one for the whole request), in payload order; empty
 *     when all events were good
 */
public record AdapterResult(List<EnrichedEvent> events, List<Failure> failures) {
  public AdapterResult {
    events = List.copyOf(requireNonNull(events, "events is null"));
    failures = List.copyOf(requireNonNull(failures, "failures is null"));
  }

  /** A result with no events and a single failure for the whole request. */
  static AdapterResult failure(BadRowType type, String message) {
    return new AdapterResult(List.of(), List.of(new Failure(type, message)));
  }
}
