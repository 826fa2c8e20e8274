package io.tributary.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** UTF-8 validation without decoding (no allocation), for bodies checked on the request path. */
final class Utf8 {
  /** Eight bytes at a time: JSON bodies are mostly ASCII, which needs no look at each byte. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  private Utf8() {}

  /** Whether any byte is 0 (a word at a time: a zero byte is one whose subtraction borrows). */
  static boolean hasNul(byte[] b) {
    int n = b.length;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long w = (long) LONGS.get(b, i);
      if (((w - LOW_BITS) & ~w & HIGH_BITS) != 0) {
        return true;
      }
    }
    for (; i < n; i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the bytes are well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
   * above U+10FFFF, no truncated sequence. Accepts exactly what the JDK's UTF-8 decoder accepts.
   */
  static boolean isValid(byte[] b) {
    return firstInvalid(b) < 0;
  }

  /** The offset of the first byte of the first ill-formed sequence, or -1 when there is none. */
  static int firstInvalid(byte[] b) {
    int n = b.length;
    int i = 0;
    while (i < n) {
      if (i + 8 <= n && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int more;
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
      } else {
        return i;
      }
      if (i + more >= n) {
        return i;
      }
      int c1 = b[i + 1] & 0xff;
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90)
          || (c == 0xF4 && c1 > 0x8F)) {
        return i;
      }
      for (int k = 1; k <= more; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += more + 1;
    }
    return -1;
  }
}
