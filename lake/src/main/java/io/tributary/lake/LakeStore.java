package io.tributary.lake;

import java.util.List;
import java.util.Optional;

/**
 * Object storage for the lake: a flat namespace of immutable objects addressed by '/'-separated paths.
 *
 * <p>Thread-safe. {@link #put} is atomic (readers see the whole object or none of it) and idempotent
 * (putting the same path again replaces it with the same content when the writer is deterministic).
 */
public interface LakeStore {
  void put(String path, byte[] data);

  Optional<byte[]> get(String path);

  /** Paths of all objects whose path starts with {@code prefix}, sorted. */
  List<String> list(String prefix);

  /** Where the lake lives, for people and for engines that read it (a directory or a URI). */
  String location();
}
