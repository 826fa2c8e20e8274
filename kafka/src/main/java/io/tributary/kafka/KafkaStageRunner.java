package io.tributary.kafka;

import io.tributary.core.BacklogAwareSink;
import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.PartitionedSink;
import io.tributary.core.SourcedRecord;
import io.tributary.core.WriteGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link PartitionedSink} as a member of a Kafka consumer group on one thread. When the sink
 * fails, the runner drops the consumer and everything the sink buffered, waits (backing off), and
 * starts again from the last durable offsets, so a failure costs time, never data.
 */
public final class KafkaStageRunner implements HealthCheck, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaStageRunner.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final long LAG_REFRESH_NANOS = 2_000_000_000L;
  private static final Duration LAG_QUERY_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration COMMIT_RETRY = Duration.ofSeconds(1);
  private static final Duration STATIC_REMOVAL_TIMEOUT = Duration.ofSeconds(3);

  private final String name;
  private final Properties consumerProps;
  private final String topic;
  private final PartitionedSink sink;
  private final WriteGate gate;
  private final Thread thread;
  private volatile int nice;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile String failure;
  private volatile String stoppedOn;
  private volatile long lag = -1;
  private volatile long unread = -1;
  private volatile long lagUpdatedNanos = System.nanoTime() - LAG_REFRESH_NANOS;
  private volatile boolean assigned;
  private volatile String pausedFor;
  /**
   * Offsets the sink made durable whose commit to the group is not confirmed yet. Touched only on
   * the stage thread (commit callbacks run inside consumer calls). Kept until a commit succeeds,
   * so a commit that fails while nothing new arrives (a coordinator moving, a broker down) is
   * retried instead of leaving the group's offsets, and the lag, behind for ever.
   */
  private final Map<TopicPartition, OffsetAndMetadata> notYetCommitted = new HashMap<>();
  private int commitsInFlight;
  private long retryCommitAtNanos;

  /**
   * @param instanceId stable id of this process for Kafka static membership: after a restart (even
   *     a crash) the member gets its partitions back at once instead of after the session timeout.
   *     Must differ between processes of the same group; null for dynamic membership.
   */
  public KafkaStageRunner(String name, Properties clientProps, String groupId, String topic,
      PartitionedSink sink, String instanceId) {
    this(name, clientProps, groupId, topic, sink, instanceId, WriteGate.ALWAYS_OPEN);
  }

  /**
   * @param gate while closed, the stage reads and writes nothing (it stays in its group, paused)
   */
  public KafkaStageRunner(String name, Properties clientProps, String groupId, String topic,
      PartitionedSink sink, String instanceId, WriteGate gate) {
    this.name = name;
    this.gate = gate;
    this.topic = topic;
    this.sink = sink;
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-" + name);
    if (instanceId != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-" + name);
    }
    this.consumerProps = props;
    this.thread = new Thread(this::runLoop, "tributary-" + name);
  }

  /**
   * Runs the stage at a lower CPU priority: {@code by} added to its thread's nice value (0: as is),
   * so that, sharing a process with the collector, it yields the CPU to acknowledging events during
   * a burst and catches up after (see {@link ThreadNice}). Call before {@link #start}.
   */
  public KafkaStageRunner lowerPriorityBy(int by) {
    if (by < 0 || by > 19) {
      throw new IllegalArgumentException("a nice increment is 0..19, not " + by);
    }
    this.nice = by;
    return this;
  }

  public KafkaStageRunner start() {
    thread.start();
    return this;
  }

  private void runLoop() {
    if (nice > 0) {
      ThreadNice.lowerCurrentThread(nice);
    }
    Duration backoff = Duration.ofMillis(200);
    try {
      while (running) {
        try {
          consumeUntilFailure();
        } catch (WakeupException e) {
          if (running) {
            LOG.warn("{}: unexpected wakeup", name);
          }
        } catch (RuntimeException e) {
          failure = describe(e);
          LOG.warn("{} failed, restarting from the last durable offsets in {} ms", name,
              backoff.toMillis(), e);
          sleep(backoff);
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
      }
    } catch (Error e) {
      // A broken JVM or class path (out of memory, a missing class): retrying cannot help, but
      // /ready must say the stage is gone rather than keep its last healthy state.
      stoppedOn = describe(e);
      LOG.error("{} stopped", name, e);
    } finally {
      sink.close();
      stopped.countDown();
    }
  }

  private void consumeUntilFailure() {
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
        consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      consumer = c;
      notYetCommitted.clear();
      commitsInFlight = 0;
      Set<Integer> owned = new java.util.HashSet<>();
      try {
        c.subscribe(List.of(topic), new Listener(c, owned));
        while (running) {
          try {
            boolean paused = pauseWhileGateIsClosed(c);
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            if (!records.isEmpty()) {
              List<SourcedRecord> batch = new ArrayList<>(records.count());
              for (ConsumerRecord<byte[], byte[]> r : records) {
                batch.add(new SourcedRecord(r.partition(), r.offset(), r.timestamp(), r.value()));
              }
              sink.write(batch);
            }
            if (sink instanceof BacklogAwareSink aware) {
              aware.backlog(unreadNow(c));
            }
            updateLag(c);
            if (!paused) {
              commit(c, sink.flush(false), false);
            }
            failure = null;
          } catch (WakeupException e) {
            // close() woke whichever consumer call was blocking (poll, or a lag query): fall
            // through to the final flush and commit, which a stop must not skip.
            if (running) {
              throw e;
            }
          }
        }
        commit(c, sink.flush(true), true);
      } finally {
        sink.closePartitions(new ArrayList<>(owned));
        owned.clear();
        assigned = false;
        consumer = null;
      }
    } finally {
      // Stopping: leave the group so other instances take the partitions over at once (a static
      // member would otherwise keep them until its session expires). After a failure: stay, the
      // retry rejoins as the same member.
      c.close(CloseOptions.groupMembershipOperation(running
          ? CloseOptions.GroupMembershipOperation.DEFAULT
          : CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      if (!running) {
        removeStaticMember();
      }
    }
  }

  /**
   * A static member that is stopped while it is (re)joining the group has no member id yet, so its
   * close sends no LeaveGroup, and the coordinator would keep waiting for it until its session
   * times out (45 s by default) before handing its partitions to the others. Removing it by its
   * instance id works in any state; one that already left is simply not found.
   */
  private void removeStaticMember() {
    Object instance = consumerProps.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    if (instance == null) {
      return;
    }
    Properties adminProps = new Properties();
    consumerProps.forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k.toString())) {
        adminProps.put(k, v);
      }
    });
    Admin admin = Admin.create(adminProps);
    try {
      RemoveMembersFromConsumerGroupOptions options = new RemoveMembersFromConsumerGroupOptions(
          List.of(new MemberToRemove(instance.toString())));
      options.timeoutMs((int) STATIC_REMOVAL_TIMEOUT.toMillis());
      admin.removeMembersFromConsumerGroup(
              consumerProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG), options)
          .all().get(STATIC_REMOVAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.debug("{}: removed static member {} from its group", name, instance);
    } catch (ExecutionException e) {
      LOG.debug("{}: static member {} not removed: {}", name, instance, e.getCause().toString());
    } catch (TimeoutException | RuntimeException e) {
      LOG.debug("{}: static member {} not removed: {}", name, instance, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      admin.close(Duration.ZERO); // a broker that is down must not hold the stop up
    }
  }

  /** Pauses every owned partition while the gate is closed (nothing is read, so nothing written). */
  private boolean pauseWhileGateIsClosed(KafkaConsumer<byte[], byte[]> c) {
    String closed = gate.closedReason();
    if (closed != null) {
      c.pause(c.assignment()); // again each time: partitions assigned meanwhile are paused too
      if (pausedFor == null) {
        LOG.warn("{}: paused: {}", name, closed);
      }
      pausedFor = closed;
      return true;
    }
    if (pausedFor != null) {
      c.resume(c.paused());
      pausedFor = null;
      LOG.info("{}: resumed", name);
    }
    return false;
  }

  /**
   * Records fetched or still in the log beyond this member's position, as of the last fetch (no
   * request). A partition whose high watermark the consumer does not know (yet) counts 0.
   */
  private static long unreadNow(KafkaConsumer<byte[], byte[]> c) {
    long total = 0;
    for (TopicPartition tp : c.assignment()) {
      // Seen negative under load (a high watermark older than the position): not known, then.
      total += Math.max(0, c.currentLag(tp).orElse(0));
    }
    return total;
  }

  /**
   * Lag = records in the topic beyond the group's committed (durable) offsets, so it keeps growing
   * while the sink fails and nothing is committed. Refreshed at most every two seconds.
   */
  private void updateLag(KafkaConsumer<byte[], byte[]> c) {
    long now = System.nanoTime();
    if (now - lagUpdatedNanos < LAG_REFRESH_NANOS) {
      return;
    }
    Set<TopicPartition> parts = c.assignment();
    if (parts.isEmpty()) {
      return;
    }
    try {
      Map<TopicPartition, Long> ends = c.endOffsets(parts, LAG_QUERY_TIMEOUT);
      Map<TopicPartition, OffsetAndMetadata> committed = c.committed(parts, LAG_QUERY_TIMEOUT);
      // Only a partition the group never committed counts from the start of the log.
      Set<TopicPartition> neverCommitted = new java.util.HashSet<>(parts);
      neverCommitted.removeIf(tp -> committed.get(tp) != null);
      Map<TopicPartition, Long> starts = neverCommitted.isEmpty() ? Map.of()
          : c.beginningOffsets(neverCommitted, LAG_QUERY_TIMEOUT);
      long total = 0;
      long notRead = 0;
      for (TopicPartition tp : parts) {
        OffsetAndMetadata done = committed.get(tp);
        long from = done != null ? done.offset() : starts.getOrDefault(tp, 0L);
        long end = ends.getOrDefault(tp, from);
        total += Math.max(0, end - from);
        notRead += Math.max(0, end - c.position(tp, LAG_QUERY_TIMEOUT));
      }
      lag = total;
      unread = notRead;
      lagUpdatedNanos = now;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      LOG.debug("{}: lag not refreshed: {}", name, e.toString());
    }
  }

  private void commit(KafkaConsumer<byte[], byte[]> c, Map<Integer, Long> offsets, boolean sync) {
    offsets.forEach((p, o) ->
        notYetCommitted.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
    if (notYetCommitted.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>(notYetCommitted);
    if (sync) {
      c.commitSync(commits);
      confirmed(commits);
      return;
    }
    if (offsets.isEmpty() && (commitsInFlight > 0 || System.nanoTime() < retryCommitAtNanos)) {
      return; // nothing new: only a retry of a failed commit, and not too often
    }
    commitsInFlight++;
    c.commitAsync(commits, (done, error) -> {
      commitsInFlight--;
      if (error != null) {
        retryCommitAtNanos = System.nanoTime() + COMMIT_RETRY.toNanos();
        LOG.debug("{}: offset commit failed (retried): {}", name, error.toString());
      } else {
        confirmed(commits);
      }
    });
  }

  /** Forgets committed offsets, unless the sink made newer ones durable meanwhile. */
  private void confirmed(Map<TopicPartition, OffsetAndMetadata> commits) {
    commits.forEach(notYetCommitted::remove);
  }

  private final class Listener implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> c;
    private final Set<Integer> owned;

    Listener(KafkaConsumer<byte[], byte[]> c, Set<Integer> owned) {
      this.c = c;
      this.owned = owned;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      try {
        commit(c, sink.flush(true), true);
      } catch (RuntimeException e) {
        LOG.warn("{}: flush before rebalance failed; the new owner re-reads from durable offsets", name, e);
      }
      List<Integer> ids = partitions.stream().map(TopicPartition::partition).toList();
      sink.closePartitions(ids);
      ids.forEach(owned::remove);
      partitions.forEach(notYetCommitted::remove); // the new owner commits them now
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      List<Integer> ids = partitions.stream().map(TopicPartition::partition).toList();
      sink.closePartitions(ids);
      ids.forEach(owned::remove);
      partitions.forEach(notYetCommitted::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      List<Integer> ids = partitions.stream().map(TopicPartition::partition).toList();
      Map<Integer, Long> stored = sink.open(ids);
      owned.addAll(ids);
      stored.forEach((p, offset) -> c.seek(new TopicPartition(topic, p), offset));
      assigned = !owned.isEmpty();
      LOG.info("{}: assigned partitions {} (resuming from stored offsets {})", name, ids, stored);
    }
  }

  /** The error and its root cause: Kafka wraps sink errors thrown in rebalance callbacks. */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (root == e || (root.getMessage() != null && text.contains(root.getMessage()))) {
      return text;
    }
    return text + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  /** Sleeps in short steps so that {@link #close} never waits for a whole backoff. */
  private void sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    try {
      while (running && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records in the topic beyond this member's committed offsets (-1 before it is first known). */
  public long lag() {
    return lag;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Health health() {
    String dead = stoppedOn;
    if (dead != null) {
      return Health.down(name + " stopped on " + dead + "; restart the process");
    }
    String f = failure;
    if (f != null) {
      return Health.down(name + " is failing and retrying (lag " + lag + "): " + f);
    }
    String p = pausedFor;
    if (p != null) {
      return Health.down(name + " paused, lag " + lag + ": " + p);
    }
    // Lag counts from the committed offsets; what was read but not yet committed sits in the sink.
    return Health.ok(name + (assigned ? " running, lag " + lag + " (" + unread + " not yet read)"
        : " waiting for partitions"));
  }

  /**
   * Asks the stage to stop without waiting: it writes and commits what it holds, then leaves its
   * group. Runners asked together leave their groups at the same time instead of one after another.
   */
  public void requestStop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Stops the stage (see {@link #requestStop}) and waits until it has, at most 30 s. */
  @Override
  public void close() {
    requestStop();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("{} did not stop within 30 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
