package io.tributary.kafka;

import io.tributary.core.BadRow;
import io.tributary.core.BadRowCodec;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.EventOutput;
import io.tributary.core.RetriableException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes enriched events and bad rows to their topics ({@code acks=all}, idempotent). Enriched events
 * are keyed by the user's identity, so one user's events stay in order in one partition (what
 * sessionisation and per-user features need).
 */
public final class KafkaEventOutput implements EventOutput {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String enrichedTopic;
  private final String badTopic;
  private final AtomicReference<Exception> firstError = new AtomicReference<>();
  private final Callback callback = (metadata, error) -> {
    if (error != null) {
      firstError.compareAndSet(null, error);
    }
  };

  public KafkaEventOutput(Properties clientProps, String enrichedTopic, String badTopic) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tributary-enrich");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.enrichedTopic = enrichedTopic;
    this.badTopic = badTopic;
  }

  @Override
  public void good(EnrichedEvent event) {
    producer.send(new ProducerRecord<>(enrichedTopic, key(event), EnrichedEventCodec.encode(event)),
        callback);
  }

  @Override
  public void bad(BadRow row) {
    producer.send(new ProducerRecord<>(badTopic, bytes(row.rawId()), BadRowCodec.encode(row)), callback);
  }

  static byte[] key(EnrichedEvent e) {
    for (EventField f : new EventField[] {EventField.USER_ID, EventField.ANONYMOUS_ID,
        EventField.DOMAIN_USERID, EventField.NETWORK_USERID}) {
      String id = e.string(f);
      if (id != null && !id.isEmpty()) {
        return bytes(id);
      }
    }
    return bytes(e.eventId());
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void flush() {
    producer.flush();
    Exception error = firstError.getAndSet(null);
    if (error != null) {
      throw new RetriableException("writing enriched events failed: " + error, error);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
