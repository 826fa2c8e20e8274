package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Closes the write gate while the data directory's file system has less than a minimum of free
 * space, so that Tributary refuses new events and pauses its stages before the disk is actually
 * full: a full disk fails the broker's log, the warehouse file and the lake in the middle of a
 * write, while a refusal costs the client only a retry.
 *
 * <p>Free space is read at most every {@code 100 ms} (one {@code statfs} call) and cached.
 */
public final class DiskSpaceGuard implements WriteGate, HealthCheck {
  private final Path path;
  private final long checkIntervalNanos;
  private final long minFreeBytes;
  private final LongSupplier usableBytes;
  private volatile long checkedAtNanos;
  private volatile long lastUsable = Long.MAX_VALUE;
  private volatile boolean checked;

  public DiskSpaceGuard(Path path, long minFreeBytes) {
    this(path, minFreeBytes, () -> usableSpace(path), 100_000_000L);
  }

  /** For tests: free space comes from {@code usableBytes}, read on every call. */
  public DiskSpaceGuard(Path path, long minFreeBytes, LongSupplier usableBytes) {
    this(path, minFreeBytes, usableBytes, 0);
  }

  private DiskSpaceGuard(Path path, long minFreeBytes, LongSupplier usableBytes,
      long checkIntervalNanos) {
    this.checkIntervalNanos = checkIntervalNanos;
    this.path = requireNonNull(path, "path is null");
    this.usableBytes = requireNonNull(usableBytes, "usableBytes is null");
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes must be >= 0: " + minFreeBytes);
    }
    this.minFreeBytes = minFreeBytes;
  }

  private static long usableSpace(Path path) {
    try {
      return Files.getFileStore(path).getUsableSpace();
    } catch (IOException e) {
      // An unreadable file system is no reason to stop; writes will report their own errors.
      return Long.MAX_VALUE;
    }
  }

  /** Usable bytes on the file system, at most 100 ms old. */
  public long usableBytes() {
    long now = System.nanoTime();
    if (!checked || now - checkedAtNanos >= checkIntervalNanos) {
      lastUsable = usableBytes.getAsLong();
      checkedAtNanos = now;
      checked = true;
    }
    return lastUsable;
  }

  @Override
  public String closedReason() {
    if (minFreeBytes == 0) {
      return null;
    }
    long usable = usableBytes();
    if (usable >= minFreeBytes) {
      return null;
    }
    return "the data disk is nearly full: " + megabytes(usable) + " MB free on " + path
        + ", below the minimum of " + megabytes(minFreeBytes)
        + " MB (storage.min_free_mb); free some space and Tributary resumes by itself";
  }

  @Override
  public String name() {
    return "disk";
  }

  @Override
  public Health health() {
    String reason = closedReason();
    if (reason != null) {
      return Health.down(reason);
    }
    long usable = usableBytes();
    return Health.ok((usable == Long.MAX_VALUE ? "unknown" : megabytes(usable)) + " MB free on "
        + path + " (minimum " + megabytes(minFreeBytes) + " MB)");
  }

  private static long megabytes(long bytes) {
    return bytes / (1024 * 1024);
  }
}
