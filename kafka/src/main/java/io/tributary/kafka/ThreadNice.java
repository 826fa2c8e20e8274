package io.tributary.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread on Linux (its nice value; threads it starts later
 * inherit it). The JVM offers no call for it without a root-only flag, so it asks {@code renice}
 * for the thread's own id; where either is missing (not Linux, a container without it) the thread
 * keeps its priority and one line says why.
 */
public final class ThreadNice {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadNice.class);
  private static final Path SELF = Path.of("/proc/thread-self");
  private static final AtomicBoolean TOLD = new AtomicBoolean();

  private ThreadNice() {}

  /**
   * Adds {@code by} (1..19) to the calling thread's nice value, at most 19.
   *
   * @return the thread's nice value now, or empty if it could not be read or changed
   */
  public static java.util.OptionalInt lowerCurrentThread(int by) {
    if (by < 1 || by > 19) {
      throw new IllegalArgumentException("a nice increment is 1..19, not " + by);
    }
    java.util.OptionalInt now = currentNice();
    if (now.isEmpty()) {
      tellOnce("no /proc/thread-self (not Linux?)");
      return now;
    }
    int target = Math.min(19, now.getAsInt() + by);
    try {
      String tid = Files.readSymbolicLink(SELF).getFileName().toString();
      // Without -n: the value is absolute for util-linux and busybox alike (-n is relative in some).
      Process p = new ProcessBuilder("renice", Integer.toString(target), "-p", tid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      tellOnce("renice could not run: " + e.getMessage());
      return java.util.OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.OptionalInt.empty();
    }
    java.util.OptionalInt after = currentNice();
    if (after.isEmpty() || after.getAsInt() != target) {
      tellOnce("renice left it at " + after);
      return java.util.OptionalInt.empty();
    }
    return after;
  }

  /** The calling thread's nice value, from {@code /proc/thread-self/stat}; empty if unreadable. */
  public static java.util.OptionalInt currentNice() {
    try {
      String stat = Files.readString(SELF.resolve("stat"));
      // The name in parentheses may hold spaces; the fields after it start with the state (3rd).
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return java.util.OptionalInt.of(Integer.parseInt(fields[19 - 3]));
    } catch (IOException | RuntimeException e) {
      return java.util.OptionalInt.empty();
    }
  }

  private static void tellOnce(String why) {
    if (TOLD.compareAndSet(false, true)) {
      LOG.info("stage threads keep the collector's CPU priority: {}", why);
    }
  }
}
