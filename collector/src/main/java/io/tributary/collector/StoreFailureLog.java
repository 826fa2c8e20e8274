package io.tributary.collector;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs failures to store a request at most once every ten seconds, with how many were not logged:
 * while the sink is down every request fails, and a line per request would flood the log (and,
 * on a full disk, the disk).
 */
final class StoreFailureLog {
  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private final Logger log;
  private final AtomicLong nextNanos = new AtomicLong(System.nanoTime() - 1);
  private final AtomicLong suppressed = new AtomicLong();

  StoreFailureLog(Logger log) {
    this.log = log;
  }

  void failed(String what, Throwable error) {
    long now = System.nanoTime();
    long next = nextNanos.get();
    if (now - next < 0 || !nextNanos.compareAndSet(next, now + INTERVAL_NANOS)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    log.warn("could not store {}: {}{}", what, error.getMessage(),
        skipped == 0 ? "" : " (and " + skipped + " more failed requests in the last 10 s)");
  }
}
