package io.tributary.core;

/** Something that reports its readiness; must be cheap and thread-safe (called by /ready). */
public interface HealthCheck {
  String name();

  Health health();
}
