package io.tributary.core.tables;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Safe snake_case identifiers: ASCII lower-case letters, digits and single underscores, never
 * starting with a digit (then {@code _} is put first), at most {@link #MAX_LENGTH} characters. A
 * camelCase boundary becomes {@code _} ({@code orderId} → {@code order_id}, {@code HTTPStatus} →
 * {@code http_status}); every other character (space, punctuation, non-ASCII) separates words. A name
 * with nothing left becomes {@code <fallback>_<crc32 of the name in hex>}, so it is stable.
 */
public final class Names {
  public static final int MAX_LENGTH = 120;

  private Names() {}

  public static String snakeCase(String name, String fallback) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    int n = name.length();
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean upper = c >= 'A' && c <= 'Z';
      if (upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        if (upper && i > 0 && wordBreakBefore(name, i)) {
          separate(out);
        }
        out.append(upper ? (char) (c + ('a' - 'A')) : c);
      } else {
        separate(out);
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == '_') {
      end--;
    }
    out.setLength(Math.min(end, MAX_LENGTH));
    if (out.length() == 0) {
      CRC32 crc = new CRC32();
      crc.update(name.getBytes(StandardCharsets.UTF_8));
      return fallback + "_" + Long.toHexString(crc.getValue());
    }
    if (out.charAt(0) >= '0' && out.charAt(0) <= '9') {
      out.insert(0, '_');
    }
    return out.toString();
  }

  private static boolean wordBreakBefore(String s, int i) {
    char prev = s.charAt(i - 1);
    if (prev >= 'a' && prev <= 'z') {
      return true;
    }
    // An upper-case letter after another or a digit starts a word only if a lower-case one follows:
    // HTTPStatus → http_status, v2Name → v2_name, but 3D → 3d.
    boolean prevUpperOrDigit = (prev >= 'A' && prev <= 'Z') || (prev >= '0' && prev <= '9');
    char next = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
    return prevUpperOrDigit && next >= 'a' && next <= 'z';
  }

  private static void separate(StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
      out.append('_');
    }
  }

  /** The identifier quoted for SQL; names made here never need escaping, others are escaped. */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
