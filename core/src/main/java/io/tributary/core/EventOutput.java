package io.tributary.core;

/**
 * Where the enrich stage sends its results: good events to the enriched stream, failures to the bad
 * stream. Sends are asynchronous; {@link #flush} makes them durable.
 *
 * <p>Called from one thread.
 */
public interface EventOutput extends AutoCloseable {
  void good(EnrichedEvent event);

  void bad(BadRow row);

  /**
   * Blocks until everything sent so far is durably stored.
   *
   * @throws RetriableException when some of it could not be stored; the caller re-processes from its
   *     last durable position (duplicates are removed downstream by id)
   */
  void flush();

  @Override
  default void close() {}
}
