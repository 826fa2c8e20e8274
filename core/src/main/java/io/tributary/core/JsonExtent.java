package io.tributary.core;

/**
 * Finds where a JSON object or array ends without tokenising it: what the raw-line decoder needs
 * for the embedded body, which the protocol adapter parses afterwards anyway.
 *
 * <p>Accepts only strict RFC 8259 JSON, stricter than Jackson with its default features: UTF-8 is
 * checked fully (Jackson only checks continuation bytes), at most {@value #MAX_DEPTH} levels,
 * numbers of at most {@value #MAX_NUMBER} characters, names of printable ASCII without escapes of
 * at most {@value #MAX_NAME} bytes and strings of at most {@value #MAX_STRING} (Jackson's limits are
 * higher). So whenever it finds an end, Jackson accepts the same value
 * and ends at the same byte; for anything else it answers -1 and the caller lets Jackson read the
 * value, which also names the error.
 */
final class JsonExtent {
  static final int MAX_DEPTH = 63;
  static final int MAX_NUMBER = 100;
  static final int MAX_NAME = 1000;
  static final int MAX_STRING = 1 << 20;

  /** 1 for bytes that end or interrupt a run of plain string bytes: '"', '\\', controls, non-ASCII. */
  private static final boolean[] SPECIAL = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      SPECIAL[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    }
  }

  private JsonExtent() {}

  /**
   * The index just after the object or array that starts at {@code from}, or -1 when there is
   * none there or it is not plainly valid (see the class comment).
   */
  static int end(byte[] b, int from) {
    int n = b.length;
    if (from < 0 || from >= n || (b[from] != '{' && b[from] != '[')) {
      return -1;
    }
    int i = from;
    int depth = 0;
    long objects = 0; // bit d set: the container at depth d is an object
    boolean expectName = false;
    while (true) {
      // A value (or, in an object, a name and ':' then a value) starts at i.
      if (expectName) {
        if (i >= n || b[i] != '"' || (i = name(b, i + 1, n)) < 0) {
          return -1;
        }
        i = JsonBytes.skipWhitespace(b, i, n);
        if (i >= n || b[i] != ':') {
          return -1;
        }
        i = JsonBytes.skipWhitespace(b, i + 1, n);
      }
      if (i >= n) {
        return -1;
      }
      int c = b[i];
      if (c == '{' || c == '[') {
        if (++depth > MAX_DEPTH) {
          return -1;
        }
        objects = c == '{' ? objects | 1L << depth : objects & ~(1L << depth);
        i = JsonBytes.skipWhitespace(b, i + 1, n);
        if (i < n && b[i] == (c == '{' ? '}' : ']')) {
          depth--;
          i++;
        } else {
          expectName = c == '{';
          continue;
        }
      } else if (c == '"') {
        i = string(b, i + 1, n, MAX_STRING);
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        i = number(b, i, n);
      } else if (c == 't') {
        i = literal(b, i, n, "true");
      } else if (c == 'f') {
        i = literal(b, i, n, "false");
      } else if (c == 'n') {
        i = literal(b, i, n, "null");
      } else {
        return -1;
      }
      if (i < 0) {
        return -1;
      }
      // After a value: ',' then the next one, or the end of one or more containers.
      if (depth == 0) {
        return i; // the top-level container was empty
      }
      while (true) {
        i = JsonBytes.skipWhitespace(b, i, n);
        if (i >= n) {
          return -1;
        }
        boolean inObject = (objects & 1L << depth) != 0;
        if (b[i] == ',') {
          i = JsonBytes.skipWhitespace(b, i + 1, n);
          expectName = inObject;
          break;
        }
        if (b[i] != (inObject ? '}' : ']')) {
          return -1;
        }
        i++;
        if (--depth == 0) {
          return i;
        }
      }
    }
  }

  /**
   * A name of printable ASCII without escapes, from just after the opening quote to just after the
   * closing one, or -1: Jackson decodes names, and rejects some escapes there that it skips in values
   * (an unpaired surrogate).
   */
  private static int name(byte[] b, int i, int n) {
    int start = i;
    while (i < n && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\' && b[i] < 0x7f) {
      i++;
    }
    return i < n && b[i] == '"' && i - start <= MAX_NAME ? i + 1 : -1;
  }

  /** From just after the opening quote to just after the closing one, or -1. */
  private static int string(byte[] b, int i, int n, int max) {
    int start = i;
    while (true) {
      i = JsonBytes.skipPlainWords(b, i, n);
      while (i < n && !SPECIAL[b[i] & 0xFF]) {
        i++;
      }
      if (i >= n || i - start > max) {
        return -1;
      }
      int c = b[i] & 0xFF;
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        i = escape(b, i + 1, n);
      } else if (c >= 0x80) {
        i = utf8(b, i, c, n);
      } else {
        return -1; // a control character
      }
      if (i < 0) {
        return -1;
      }
    }
  }

  private static int escape(byte[] b, int i, int n) {
    if (i >= n) {
      return -1;
    }
    switch (b[i]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return i + 1;
      }
      case 'u' -> {
        if (i + 4 >= n) {
          return -1;
        }
        for (int k = 1; k <= 4; k++) {
          int h = b[i + k];
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
            return -1;
          }
        }
        return i + 5;
      }
      default -> {
        return -1;
      }
    }
  }

  /** One well-formed UTF-8 sequence of 2 to 4 bytes starting with {@code lead}, or -1. */
  private static int utf8(byte[] b, int i, int lead, int n) {
    int length;
    int min = 0x80;
    int max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      min = lead == 0xE0 ? 0xA0 : 0x80; // no overlong forms
      max = lead == 0xED ? 0x9F : 0xBF; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      min = lead == 0xF0 ? 0x90 : 0x80;
      max = lead == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
    } else {
      return -1;
    }
    if (i + length > n) {
      return -1;
    }
    int second = b[i + 1] & 0xFF;
    if (second < min || second > max) {
      return -1;
    }
    for (int k = 2; k < length; k++) {
      if ((b[i + k] & 0xC0) != 0x80) {
        return -1;
      }
    }
    return i + length;
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? from i, or -1. */
  private static int number(byte[] b, int i, int n) {
    int start = i;
    if (b[i] == '-') {
      i++;
    }
    if (i < n && b[i] == '0') {
      i++;
    } else {
      int digits = digits(b, i, n);
      if (digits == i) {
        return -1;
      }
      i = digits;
    }
    if (i < n && b[i] == '.') {
      int digits = digits(b, i + 1, n);
      if (digits == i + 1) {
        return -1;
      }
      i = digits;
    }
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < n && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int digits = digits(b, i, n);
      if (digits == i) {
        return -1;
      }
      i = digits;
    }
    return i - start > MAX_NUMBER ? -1 : i;
  }

  private static int digits(byte[] b, int i, int n) {
    while (i < n && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }

  private static int literal(byte[] b, int i, int n, String word) {
    if (i + word.length() > n) {
      return -1;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        return -1;
      }
    }
    return i + word.length();
  }
}
