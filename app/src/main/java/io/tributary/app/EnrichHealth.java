package io.tributary.app;

import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.enrich.EnrichStage;
import io.tributary.kafka.KafkaStageRunner;
import java.util.List;

/** The enrich threads of this process reported as one stage. */
final class EnrichHealth {
  private EnrichHealth() {}

  /** {@code enrich}: ready when every consumer is; lag summed over them. */
  static HealthCheck consumers(List<KafkaStageRunner> runners) {
    List<KafkaStageRunner> parts = List.copyOf(runners);
    return new HealthCheck() {
      @Override
      public String name() {
        return "enrich";
      }

      @Override
      public Health health() {
        long lag = 0;
        for (KafkaStageRunner r : parts) {
          Health h = r.health();
          if (!h.ready()) {
            return h;
          }
          lag += Math.max(0, r.lag());
        }
        return Health.ok("enrich running on " + parts.size()
            + (parts.size() == 1 ? " thread" : " threads") + ", lag " + lag);
      }
    };
  }

  /** {@code enrichment}: good events and bad rows so far, over all threads. */
  static HealthCheck counts(List<EnrichStage> stages) {
    List<EnrichStage> parts = List.copyOf(stages);
    return new HealthCheck() {
      @Override
      public String name() {
        return "enrichment";
      }

      @Override
      public Health health() {
        long good = 0;
        long bad = 0;
        for (EnrichStage s : parts) {
          good += s.goodEvents();
          bad += s.badRows();
        }
        return Health.ok(good + " good events, " + bad + " bad rows");
      }
    };
  }
}
