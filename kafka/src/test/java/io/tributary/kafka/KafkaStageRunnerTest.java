package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaStageRunnerTest {
  @TempDir Path dir;

  @Test
  void aStageWhoseSinkThrowsAnErrorReportsItselfStoppedInsteadOfHealthy() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), false)) {
      Properties props = new Properties();
      props.put("bootstrap.servers", broker.bootstrapServers());
      KafkaTopics.ensure(props, List.of(new TopicSpec("in", 1, (short) 1, Duration.ofDays(1))));
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
}
