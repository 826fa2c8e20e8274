package io.tributary.lake;

import java.util.List;
import java.util.Optional;

/**
 * Object storage for the lake: a flat namespace of immutable objects addressed by '/'-separated paths.
 *
 * <p>The contract every store passes ({@code LakeStoreContractTest} in the lake module's tests):
 * <ul>
 *   <li>Thread-safe: puts of different paths may run concurrently.
 *   <li>{@link #put} is atomic (readers see the whole object or none of it) and idempotent (putting the
 *       same path again replaces it; the archiver's writes are deterministic, so a retry rewrites the
 *       same bytes).
 *   <li>Paths follow {@link LakePaths#check}: relative, '/'-separated, no empty segment, no segment
 *       starting with '.'. Any other path, including every path that tries to leave the lake
 *       ({@code ../x}, {@code /etc/x}), is rejected with {@link IllegalArgumentException} by every
 *       method, before any I/O.
 *   <li>Storage failures are {@link io.tributary.core.RetriableException}s whose messages name the
 *       object; the caller retries later.
 * </ul>
 */
public interface LakeStore {
  void put(String path, byte[] data);

  /** The object's bytes, or empty when there is no object at {@code path}. */
  Optional<byte[]> get(String path);

  /**
   * Paths of all objects whose path starts with {@code prefix} (plain string prefix, {@code ""} for
   * all), in {@link String} order, complete however many objects there are.
   */
  List<String> list(String prefix);

  /** Where the lake lives, for people and for engines that read it (a directory or a URI). */
  String location();
}
