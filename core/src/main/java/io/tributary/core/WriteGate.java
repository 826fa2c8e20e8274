package io.tributary.core;

/**
 * Tells writers to hold off for a while, e.g. because the data disk is nearly full. Writers that
 * find the gate closed stop writing (the collector answers 503, stages pause) and go on by
 * themselves once it opens again. Thread-safe and cheap: called on every request.
 */
public interface WriteGate {
  WriteGate ALWAYS_OPEN = () -> null;

  /** Null while writing may go on, else why not (a sentence for logs, health and clients). */
  String closedReason();

  default boolean isOpen() {
    return closedReason() == null;
  }
}
