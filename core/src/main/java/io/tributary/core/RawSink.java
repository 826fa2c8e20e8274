package io.tributary.core;

import java.util.concurrent.CompletionStage;

/**
 * Durable destination of collected requests (the raw topic).
 *
 * <p>Thread-safe. The returned stage completes normally only once the record is durably stored (for
 * Kafka: acknowledged by all in-sync replicas); the collector acknowledges the client only then. It
 * completes exceptionally when the record could not be stored; the client is then told to retry.
 */
public interface RawSink {
  CompletionStage<Void> append(RawRecord record);
}
