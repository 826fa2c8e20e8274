package io.tributary.collector;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Request body bytes held in memory while requests are received, across all connections, never
 * more than a fixed limit: with thousands of connections each allowed a body of the largest limit,
 * the per-request limit alone does not bound memory. Thread-safe.
 */
final class BufferBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();

  BufferBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes} from the budget; false (and nothing taken) when that would go over. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        refusals.incrementAndGet();
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        peak.accumulateAndGet(now + bytes, Math::max);
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long limit() {
    return limit;
  }

  long used() {
    return used.get();
  }

  /** How many requests were refused because the budget was spent. */
  long refusals() {
    return refusals.get();
  }

  /** The most ever held at once. */
  long peak() {
    return peak.get();
  }
}
