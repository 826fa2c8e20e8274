package io.tributary.collector;

/** Maps a write key to the name of the source it belongs to. Thread-safe. */
@FunctionalInterface
public interface WriteKeys {
  /** The source's name, or null when the key is unknown. */
  String sourceFor(String writeKey);
}
