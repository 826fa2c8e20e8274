package io.tributary.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte-level steps of the hand-written JSON scanners (the raw line's body, the tp2 reader), so
 * they agree on what JSON whitespace and plain string bytes are. Runs of plain string bytes (no
 * quote, backslash, control or non-ASCII byte) are crossed eight bytes at a time: most of a
 * tracker's body is such runs (base64), which a byte-by-byte loop crosses at a fraction of the
 * speed.
 */
public final class JsonBytes {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private JsonBytes() {}

  /** The first index from {@code i} (before {@code end}) that is not JSON whitespace. */
  public static int skipWhitespace(byte[] b, int i, int end) {
    while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  /**
   * The first index from {@code from} whose 8-byte word (before {@code end}) holds a byte that is not
   * plain; at most 7 bytes before {@code end} when all are plain. The caller looks at the bytes
   * from there one by one.
   */
  public static int skipPlainWords(byte[] b, int from, int end) {
    int i = from;
    while (i + 8 <= end && !anySpecial((long) LONGS.get(b, i))) {
      i += 8;
    }
    return i;
  }

  /** Whether any of 8 bytes is a quote, a backslash, a control or a non-ASCII byte. */
  private static boolean anySpecial(long x) {
    long quote = x ^ (ONES * '"');
    long backslash = x ^ (ONES * '\\');
    return ((x | below(x, 0x20) | below(quote, 1) | below(backslash, 1)) & HIGHS) != 0;
  }

  /** High bit set in a byte of the result where that byte of x (under 0x80) is below n (≤ 0x80). */
  private static long below(long x, int n) {
    return (x - ONES * n) & ~x;
  }
}
