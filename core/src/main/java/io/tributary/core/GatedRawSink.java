package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Refuses records while the gate is closed, so the client is told to retry instead of being acked. */
public final class GatedRawSink implements RawSink {
  private final RawSink sink;
  private final WriteGate gate;

  public GatedRawSink(RawSink sink, WriteGate gate) {
    this.sink = requireNonNull(sink, "sink is null");
    this.gate = requireNonNull(gate, "gate is null");
  }

  @Override
  public CompletionStage<Void> append(RawRecord record) {
    String closed = gate.closedReason();
    if (closed != null) {
      return CompletableFuture.failedFuture(new RetriableException("not storing: " + closed, null));
    }
    return sink.append(record);
  }
}
