package io.tributary.collector;

import io.tributary.core.RawRecord;
import io.tributary.core.RawSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hand-written {@link RawSink}: records every appended {@link RawRecord}; can be switched to fail
 * (the stage completes exceptionally) or to hold completion until {@link #releaseHeld()}.
 */
final class FakeRawSink implements RawSink {
  enum Mode { SUCCEED, FAIL, HOLD }

  private final List<RawRecord> records = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.SUCCEED;

  @Override
  public CompletionStage<Void> append(RawRecord record) {
    records.add(record);
    return switch (mode) {
      case SUCCEED -> CompletableFuture.completedFuture(null);
      case FAIL -> CompletableFuture.failedFuture(new IllegalStateException("sink is down (fake)"));
      case HOLD -> {
        CompletableFuture<Void> f = new CompletableFuture<>();
        held.add(f);
        yield f;
      }
    };
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  List<RawRecord> records() {
    return List.copyOf(records);
  }

  RawRecord only() {
    if (records.size() != 1) {
      throw new AssertionError("expected exactly one record, got " + records.size());
    }
    return records.get(0);
  }

  int heldCount() {
    return held.size();
  }

  /** Completes the held stages, in order, and forgets them. */
  void releaseHeld() {
    List<CompletableFuture<Void>> toRelease = new ArrayList<>(held);
    held.clear();
    toRelease.forEach(f -> f.complete(null));
  }

  /** Completes one held stage (by index in arrival order) without touching the others. */
  void release(int index) {
    held.get(index).complete(null);
  }

  /** Forgets one record (a test's own follow-up request, not under test). */
  void clear(RawRecord record) {
    records.remove(record);
  }

  void clear() {
    records.clear();
    held.clear();
    mode = Mode.SUCCEED;
  }
}
