package io.tributary.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import io.tributary.core.RetriableException;

/** Creates the topics Tributary needs, leaving existing ones as they are. */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static void ensure(Properties clientProps, List<TopicSpec> topics) {
    try (Admin admin = Admin.create(clientProps)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (TopicSpec spec : topics) {
        if (existing.contains(spec.name())) {
          continue;
        }
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
            .configs(Map.of("retention.ms", String.valueOf(spec.retention().toMillis()),
                "min.insync.replicas", String.valueOf(spec.minInsyncReplicas())));
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new RetriableException("cannot create topics on " + clientProps.get("bootstrap.servers"), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while creating topics", e);
    }
  }
}
