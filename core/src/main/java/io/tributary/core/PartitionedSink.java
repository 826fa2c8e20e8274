package io.tributary.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A stage that consumes a partitioned log and writes what it reads to a store. A runner (for example a
 * Kafka consumer-group member) feeds it; the sink decides when data is durable and tells the runner
 * which offsets it may commit.
 *
 * <p>Not thread-safe: the runner calls every method from one thread. Per partition, records arrive in
 * offset order, starting at the offset returned by {@link #open}.
 */
public interface PartitionedSink extends AutoCloseable {

  /**
   * Partitions newly assigned to this sink. Returns, for the partitions whose position the sink stores
   * together with its data, the next offset to read; partitions left out resume from the runner's
   * committed offset.
   */
  Map<Integer, Long> open(Collection<Integer> partitions);

  /** Buffers or writes records. May throw; the runner then re-reads from the last durable offsets. */
  void write(List<SourcedRecord> records);

  /**
   * Makes buffered data durable when it is due (or always when {@code force}). Returns the next offset
   * to read for every partition whose data up to that offset is now durable; the runner may commit
   * them.
   */
  Map<Integer, Long> flush(boolean force);

  /** Partitions taken away (after a final {@code flush(true)} by the runner); drop their buffers. */
  void closePartitions(Collection<Integer> partitions);

  @Override
  default void close() {}
}
