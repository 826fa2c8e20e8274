package io.tributary.core;

/**
 * A {@link PartitionedSink} that adapts to how far behind it is, for example by writing larger
 * batches while it catches up (fewer commits per record).
 */
public interface BacklogAwareSink extends PartitionedSink {

  /**
   * Records of its partitions that are in the log but not yet passed to {@link #write}, as the
   * runner last saw them (0 when unknown). Called by the runner's thread after each poll, before
   * {@link #flush}{@code (false)}.
   */
  void backlog(long unread);
}
