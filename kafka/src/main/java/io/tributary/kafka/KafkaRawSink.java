package io.tributary.kafka;

import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.RawSink;
import io.tributary.core.RetriableException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends raw records to the raw topic with an idempotent producer and {@code acks=all}: a record
 * is reported stored only when every in-sync replica has it.
 */
public final class KafkaRawSink implements RawSink, HealthCheck, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRawSink.class);
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private volatile long lastSuccessNanos = System.nanoTime();
  private volatile long lastFailureNanos;

  public KafkaRawSink(Properties clientProps, String topic) {
    this.producer = new KafkaProducer<>(producerProperties(clientProps), new ByteArraySerializer(),
        new ByteArraySerializer());
    this.topic = topic;
    awaitMetadata(Duration.ofSeconds(30));
  }

  /** The producer's settings: the client properties, then this sink's defaults where they are silent. */
  static Properties producerProperties(Properties clientProps) {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // No linger: each request waits for its own ack, so a linger is added to every response, and
    // under load records batch anyway while earlier sends are in flight. Measured (BENCHMARKS.md,
    // collector alone): one event per request 6.5k -> 31.7k req/s, batches of 100 5.7k -> 7.0k.
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    // One produce request at a time: records of concurrent requests gather while it is out and go
    // together, so the broker handles fewer, larger requests. Measured (BENCHMARKS.md, sessions 5
    // and 6, collector alone): one event per request up to 1.25x the req/s, ~10% less collector and
    // ~20% less broker CPU per request; batches of 100 as many events/s. (Idempotence allows <= 5.)
    props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    // The collector answers 503 after this instead of holding the client forever.
    props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
    props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    // send() runs on the collector's event loop, which must never wait: with the buffer full or no
    // metadata, fail at once (the client gets 503) instead of holding every connection of the loop.
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
    // ...so never let the raw topic's metadata expire between quiet periods.
    props.putIfAbsent(ProducerConfig.METADATA_MAX_IDLE_CONFIG, String.valueOf(7L * 24 * 3600 * 1000));
    props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tributary-collector");
    return props;
  }

  /** Fetches the topic's partitions before the first request needs them (sends cannot wait). */
  private void awaitMetadata(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        producer.partitionsFor(topic);
        return;
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          LOG.warn("no metadata for {} after {}; requests get 503 until the broker answers", topic,
              limit);
          return;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public CompletionStage<Void> append(RawRecord record) {
    byte[] value = RawRecordCodec.encode(record);
    CompletableFuture<Void> done = new CompletableFuture<>();
    ProducerRecord<byte[], byte[]> pr =
        new ProducerRecord<>(topic, null, record.receivedAt().toEpochMilli(), null, value);
    try {
      producer.send(pr, (metadata, error) -> {
        if (error == null) {
          lastSuccessNanos = System.nanoTime();
          done.complete(null);
        } else {
          recordFailure(error);
          done.completeExceptionally(new RetriableException("raw topic write failed: " + error, error));
        }
      });
    } catch (RuntimeException e) {
      recordFailure(e);
      done.completeExceptionally(new RetriableException("raw topic write failed: " + e, e));
    }
    return done;
  }

  private void recordFailure(Throwable error) {
    failures.incrementAndGet();
    lastFailureNanos = System.nanoTime();
    lastError.set(error.getClass().getSimpleName() + ": " + error.getMessage());
  }

  @Override
  public String name() {
    return "raw-topic";
  }

  @Override
  public Health health() {
    if (lastFailureNanos > lastSuccessNanos) {
      return Health.down("last write to " + topic + " failed: " + lastError.get());
    }
    return Health.ok("writing to " + topic);
  }

  @Override
  public void close() {
    producer.close();
  }
}
