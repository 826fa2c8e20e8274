package io.tributary.lake;

/**
 * The one rule for lake paths, shared by every {@link LakeStore}: a path is relative, its segments are
 * separated by single '/', and no segment is empty or starts with '.'. So {@code ../x}, {@code /x},
 * {@code a//b}, {@code a/./b} and hidden names are rejected everywhere, and one object has the same
 * single name in a directory and in a bucket (where {@code a/../b} would otherwise be a key of its own).
 */
public final class LakePaths {
  private LakePaths() {}

  /** Returns {@code path} when it is a valid lake path, else throws {@link IllegalArgumentException}. */
  public static String check(String path) {
    if (path == null) {
      throw new IllegalArgumentException("lake path is null");
    }
    if (path.isEmpty() || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
      throw invalid(path);
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        throw invalid(path);
      }
    }
    return path;
  }

  /**
   * Returns {@code prefix} when it can start a valid lake path ({@code ""}, {@code raw/},
   * {@code raw/dt=2026-11-22/hr=1}…), else throws {@link IllegalArgumentException}.
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("lake prefix is null");
    }
    if (!prefix.isEmpty()) {
      try {
        check(prefix + "x");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("lake prefix must start valid lake paths (relative, '/'-separated,"
            + " no empty segment, no segment starting with '.'), not '" + prefix + "'");
      }
    }
    return prefix;
  }

  private static IllegalArgumentException invalid(String path) {
    return new IllegalArgumentException("lake path must stay inside the lake: relative, '/'-separated,"
        + " no empty segment, no segment starting with '.', not '" + path + "'");
  }
}
