package io.tributary.enrich;

import io.tributary.core.BadRow;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventOutput;
import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.PartitionedSink;
import io.tributary.core.SourcedRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the {@link EventProcessor} over the raw topic and sends results to the enriched and bad
 * streams. Offsets are released once the output has made everything before them durable; after a
 * crash, records are processed again and the same ids make the repeats vanish downstream.
 */
public final class EnrichStage implements PartitionedSink, HealthCheck {
  private final EventProcessor processor;
  private final EventOutput output;
  private final Duration maxDelay;
  private final Clock clock;
  private final ReplayProgress replays;
  private final Map<Integer, Long> pendingOffsets = new HashMap<>();
  private long oldestMillis;
  private final AtomicLong good = new AtomicLong();
  private final AtomicLong bad = new AtomicLong();

  public EnrichStage(EventProcessor processor, EventOutput output, Duration maxDelay, Clock clock,
      ReplayProgress replays) {
    this.processor = processor;
    this.output = output;
    this.maxDelay = maxDelay;
    this.clock = clock;
    this.replays = replays;
  }

  @Override
  public Map<Integer, Long> open(Collection<Integer> partitions) {
    return Map.of();
  }

  @Override
  public void write(List<SourcedRecord> records) {
    if (pendingOffsets.isEmpty()) {
      oldestMillis = clock.millis();
    }
    for (SourcedRecord r : records) {
      EventProcessor.Output out = processor.process(r.value());
      for (EnrichedEvent e : out.good()) {
        output.good(e);
      }
      for (BadRow b : out.bad()) {
        output.bad(b);
      }
      good.addAndGet(out.good().size());
      bad.addAndGet(out.bad().size());
      if (out.replayId() != null) {
        replays.processed(out.replayId(), out.rawId(), out.bad().isEmpty());
      }
      pendingOffsets.put(r.partition(), r.offset() + 1);
    }
  }

  @Override
  public Map<Integer, Long> flush(boolean force) {
    if (pendingOffsets.isEmpty() || !(force || clock.millis() - oldestMillis >= maxDelay.toMillis())) {
      return Map.of();
    }
    output.flush();
    Map<Integer, Long> done = new HashMap<>(pendingOffsets);
    pendingOffsets.clear();
    return done;
  }

  @Override
  public void closePartitions(Collection<Integer> partitions) {
    partitions.forEach(pendingOffsets::remove);
  }

  @Override
  public String name() {
    return "enrichment";
  }

  @Override
  public Health health() {
    return Health.ok(good.get() + " good events, " + bad.get() + " bad rows");
  }

  public long goodEvents() {
    return good.get();
  }

  public long badRows() {
    return bad.get();
  }

  @Override
  public void close() {
    output.close();
  }
}
