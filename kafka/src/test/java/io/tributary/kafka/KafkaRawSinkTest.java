package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaRawSinkTest {
  @Test
  void producerDefaultsApplyWhereTheClientPropertiesAreSilent() {
    Properties client = new Properties();
    client.put("bootstrap.servers", "127.0.0.1:9092");

    Properties props = KafkaRawSink.producerProperties(client);

    assertThat(props)
        .containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "0")
        .containsEntry("max.in.flight.requests.per.connection", "1")
        .containsEntry("compression.type", "lz4")
        .containsEntry("batch.size", String.valueOf(256 * 1024))
        .containsEntry("delivery.timeout.ms", "15000")
        .containsEntry("request.timeout.ms", "10000")
        .containsEntry("max.block.ms", "0")
        .containsEntry("max.request.size", String.valueOf(8 * 1024 * 1024))
        .containsEntry("client.id", "tributary-collector");
  }

  @Test
  void clientPropertiesOverrideTheDefaultsButNotTheDurabilitySettings() {
    Properties client = new Properties();
    client.put("max.in.flight.requests.per.connection", "5");
    client.put("linger.ms", "2");
    client.put("acks", "1");
    client.put("enable.idempotence", "false");

    Properties props = KafkaRawSink.producerProperties(client);

    assertThat(props)
        .containsEntry("max.in.flight.requests.per.connection", "5")
        .containsEntry("linger.ms", "2")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true");
    assertThat(client).containsEntry("acks", "1"); // the caller's properties are left as they were
  }
}
