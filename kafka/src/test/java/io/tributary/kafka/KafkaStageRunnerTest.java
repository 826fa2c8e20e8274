package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tributary.core.Health;
import io.tributary.core.PartitionedSink;
import io.tributary.core.SourcedRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaStageRunnerTest {
  @TempDir Path dir;

  @Test
  void aStageWhoseSinkThrowsAnErrorReportsItselfStoppedInsteadOfHealthy() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), false)) {
      Properties props = withTopicIn(broker, 1);
      PartitionedSink broken = new PartitionedSink() {
        @Override
        public Map<Integer, Long> open(Collection<Integer> partitions) {
          return Map.of();
        }

        @Override
        public void write(List<SourcedRecord> records) {
          throw new NoClassDefFoundError("org/example/Missing");
        }

        @Override
        public Map<Integer, Long> flush(boolean force) {
          return Map.of();
        }

        @Override
        public void closePartitions(Collection<Integer> partitions) {}
      };
      try (KafkaStageRunner runner =
              new KafkaStageRunner("broken", props, "g", "in", broken, null).start();
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
              new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("in", "x".getBytes(StandardCharsets.UTF_8))).get();
        Health health = await().atMost(60, TimeUnit.SECONDS).until(runner::health, h -> !h.ready());
        assertThat(health.detail()).contains("broken stopped on NoClassDefFoundError",
            "org/example/Missing", "restart the process");
      }
    }
  }

  @Test
  void aStageAskedToYieldRunsItsSinkAndTheThreadsItStartsAtALowerPriority() throws Exception {
    assumeTrue(ThreadNice.currentNice().isPresent(), "Linux only");
    int base = ThreadNice.currentNice().getAsInt();
    assumeTrue(base <= 15, "already at nice " + base);
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), false)) {
      Properties props = withTopicIn(broker, 1);
      java.util.concurrent.CompletableFuture<int[]> seen = new java.util.concurrent.CompletableFuture<>();
      PartitionedSink sink = new Tracking() {
        @Override
        public void write(List<SourcedRecord> records) {
          int[] child = new int[1];
          Thread t = new Thread(() -> child[0] = ThreadNice.currentNice().orElse(-100));
          t.start();
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          seen.complete(new int[] {ThreadNice.currentNice().orElse(-100), child[0]});
        }
      };
      try (KafkaStageRunner runner =
              new KafkaStageRunner("low", props, "g", "in", sink, null).lowerPriorityBy(3).start();
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
              new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("in", "x".getBytes(StandardCharsets.UTF_8))).get();
        assertThat(seen.get(60, TimeUnit.SECONDS)).containsExactly(base + 3, base + 3);
        assertThat(ThreadNice.currentNice()).hasValue(base);
      }
    }
  }

  @Test
  void aNiceIncrementOutsideOneToNineteenIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ThreadNice.lowerCurrentThread(0))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        new KafkaStageRunner("x", new Properties(), "g", "in", new Tracking(), null)
            .lowerPriorityBy(20)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The sink makes its last record durable while the broker is down, so the offset commit fails,
   * and nothing more arrives to carry a later commit: the runner must retry on its own once the
   * broker is back, or the group's offset (and the stage's lag) stays one record behind for ever.
   */
  @Test
  void anOffsetCommitThatFailsWhileNothingMoreArrivesIsRetried() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), false)) {
      Properties props = withTopicIn(broker, 1);
      AtomicLong written = new AtomicLong(-1);
      AtomicBoolean durable = new AtomicBoolean();
      AtomicLong flushedWhileDown = new AtomicLong();
      AtomicBoolean brokerDown = new AtomicBoolean();
      PartitionedSink heldBack = new PartitionedSink() {
        private boolean handedOut;

        @Override
        public Map<Integer, Long> open(Collection<Integer> partitions) {
          return Map.of();
        }

        @Override
        public void write(List<SourcedRecord> records) {
          written.set(records.get(records.size() - 1).offset());
        }

        @Override
        public Map<Integer, Long> flush(boolean force) {
          if (!durable.get() || handedOut) {
            return Map.of();
          }
          handedOut = true; // like a real sink: each durable offset is handed out once
          if (brokerDown.get()) {
            flushedWhileDown.incrementAndGet();
          }
          return Map.of(0, written.get() + 1);
        }

        @Override
        public void closePartitions(Collection<Integer> partitions) {}
      };
      try (KafkaStageRunner runner =
              new KafkaStageRunner("held", props, "g", "in", heldBack, null).start();
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
              new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("in", "x".getBytes(StandardCharsets.UTF_8))).get();
        await().atMost(60, TimeUnit.SECONDS).until(() -> written.get() == 0);

        broker.stopForAWhile();
        brokerDown.set(true);
        durable.set(true);
        await().atMost(30, TimeUnit.SECONDS).until(() -> flushedWhileDown.get() == 1);
        Thread.sleep(3_000); // the commit attempt fails meanwhile (no coordinator)
        brokerDown.set(false);
        broker.startAgain();

        try (Admin admin = Admin.create(props)) {
          await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
              .ignoreExceptions().until(() -> {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get();
                OffsetAndMetadata committed = offsets.get(new TopicPartition("in", 0));
                return committed != null && committed.offset() == 1;
              });
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> runner.health().detail(),
            d -> d.contains("lag 0"));
      }
    }
  }

  /**
   * Stopping a static member hands its partitions over at once, whatever the moment: also while it
   * is rejoining because another member just joined (then it has no member id, so its close alone
   * would not leave the group, and the others would wait for its session timeout, 45 s).
   */
  @Test
  void aStoppedStaticMemberHandsItsPartitionsOverAtOnceEvenWhileRejoining() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), false)) {
      Properties props = withTopicIn(broker, 2);
      for (int round = 0; round < 2; round++) {
        Tracking first = new Tracking();
        Tracking second = new Tracking();
        String group = "g" + round;
        KafkaStageRunner leaving =
            new KafkaStageRunner("a", props, group, "in", first, "first").start();
        await().atMost(30, TimeUnit.SECONDS).until(() -> first.owned.size() == 2);
        // The first member is stopped from inside its rebalance: when it gives its partitions up
        // because the second one joined, before it has rejoined.
        first.onRevoke = () -> new Thread(leaving::close).start();
        try (KafkaStageRunner staying =
            new KafkaStageRunner("b", props, group, "in", second, "second").start()) {
          await("round " + round).atMost(20, TimeUnit.SECONDS)
              .until(() -> second.owned.size() == 2);
        }
        leaving.close();
      }
    }
  }

  /** Client properties for the broker, which now has the topic {@code in}. */
  private static Properties withTopicIn(EmbeddedKafka broker, int partitions) {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrapServers());
    KafkaTopics.ensure(props,
        List.of(new TopicSpec("in", partitions, (short) 1, Duration.ofDays(1))));
    return props;
  }

  /** Keeps which partitions it owns. */
  private static class Tracking implements PartitionedSink {
    final java.util.Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile Runnable onRevoke = () -> {};

    @Override
    public Map<Integer, Long> open(Collection<Integer> partitions) {
      owned.addAll(partitions);
      return Map.of();
    }

    @Override
    public void write(List<SourcedRecord> records) {}

    @Override
    public Map<Integer, Long> flush(boolean force) {
      return Map.of();
    }

    @Override
    public void closePartitions(Collection<Integer> partitions) {
      owned.removeAll(partitions);
      onRevoke.run();
      try {
        Thread.sleep(200); // the stop is under way when the member goes on to rejoin
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A sink that holds what it reads and hands back offsets only on the final (forced) flush. */
  private static final class HoldingSink implements PartitionedSink {
    final AtomicLong next = new AtomicLong();
    final AtomicBoolean forced = new AtomicBoolean();

    @Override
    public Map<Integer, Long> open(Collection<Integer> partitions) {
      return Map.of();
    }

    @Override
    public void write(List<SourcedRecord> records) {
      records.forEach(r -> next.set(r.offset() + 1));
    }

    @Override
    public Map<Integer, Long> flush(boolean force) {
      if (!force || next.get() == 0) {
        return Map.of();
      }
      forced.set(true);
      return Map.of(0, next.get());
    }

    @Override
    public void closePartitions(Collection<Integer> partitions) {}
  }

  /**
   * Stopping stages together: each one asked to stop (without anybody waiting on it) writes out
   * what it holds, commits and stops on its own, so that a process stop can ask every stage at once
   * and only then wait for each.
   */
  @Test
  void runnersAskedToStopFlushCommitAndStopWithoutBeingWaitedOn() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), false)) {
      Properties props = withTopicIn(broker, 1);
      HoldingSink first = new HoldingSink();
      HoldingSink second = new HoldingSink();
      try (KafkaStageRunner a = new KafkaStageRunner("a", props, "ga", "in", first, null).start();
          KafkaStageRunner b = new KafkaStageRunner("b", props, "gb", "in", second, null).start();
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
              new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("in", "x".getBytes(StandardCharsets.UTF_8))).get();
        await().atMost(60, TimeUnit.SECONDS).until(() -> first.next.get() == 1
            && second.next.get() == 1);

        a.requestStop();
        b.requestStop();

        await().atMost(30, TimeUnit.SECONDS).until(() -> first.forced.get() && second.forced.get());
        try (Admin admin = Admin.create(props)) {
          for (String group : List.of("ga", "gb")) {
            await().atMost(30, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
              OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
                  .partitionsToOffsetAndMetadata().get().get(new TopicPartition("in", 0));
              return committed != null && committed.offset() == 1;
            });
          }
        }
      }
    }
  }
}
