package io.tributary.enrich;

import io.tributary.core.BadRow;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventOutput;
import io.tributary.core.RetriableException;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EventOutput} that records what it is sent, counts flushes, and can be told to fail its
 * next flush once (with a {@link RetriableException}, as a broker outage would).
 */
final class RecordingEventOutput implements EventOutput {
  final List<EnrichedEvent> good = new ArrayList<>();
  final List<BadRow> bad = new ArrayList<>();
  private int flushes;
  private int failedFlushes;
  private boolean failNextFlush;
  private boolean closed;

  /** The next flush throws (and is counted as a failed flush); the ones after succeed. */
  RecordingEventOutput failNextFlush() {
    failNextFlush = true;
    return this;
  }

  /** Successful flushes. */
  int flushes() {
    return flushes;
  }

  int failedFlushes() {
    return failedFlushes;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void good(EnrichedEvent event) {
    good.add(event);
  }

  @Override
  public void bad(BadRow row) {
    bad.add(row);
  }

  @Override
  public void flush() {
    if (failNextFlush) {
      failNextFlush = false;
      failedFlushes++;
      throw new RetriableException("broker unavailable", null);
    }
    flushes++;
  }

  @Override
  public void close() {
    closed = true;
  }
}
