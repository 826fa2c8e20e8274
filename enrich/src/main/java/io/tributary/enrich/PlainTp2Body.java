package io.tributary.enrich;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.tributary.core.JsonBytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Tp2Body}'s shape in its plainest form, read byte by byte: every name and value is ASCII
 * without control characters or escapes (what trackers send: ids, URLs encoded by the tracker,
 * base64), so each is one copy of its bytes, where Jackson decodes every string to characters and
 * then to a String.
 *
 * <p>Strict JSON only (whitespace is space, tab, CR and LF; no trailing commas), and a body no larger
 * than {@value #MAX_BODY} bytes and names no longer than {@value #MAX_NAME}, far within Jackson's
 * limits: what it reads, Jackson reads to the same maps. For anything else it returns null and
 * {@link Tp2Body} lets Jackson read the body.
 */
final class PlainTp2Body {
  static final int MAX_BODY = 10 << 20;
  static final int MAX_NAME = 1000;

  private final byte[] b;
  private int i;

  private PlainTp2Body(byte[] body) {
    this.b = body;
  }

  /** One map per element, in order, or null. */
  static List<Map<String, String>> read(byte[] body) {
    return body.length > MAX_BODY ? null : new PlainTp2Body(body).root();
  }

  private List<Map<String, String>> root() {
    if (!skip('{')) {
      return null;
    }
    String schema = null;
    List<Map<String, String>> elements = null;
    do {
      String name = string(MAX_NAME);
      if (name == null || !skip(':')) {
        return null;
      }
      whitespace();
      if (name.equals("schema") && schema == null) {
        schema = string(MAX_BODY);
        if (schema == null) {
          return null;
        }
      } else if (name.equals("data") && elements == null) {
        elements = elements();
        if (elements == null) {
          return null;
        }
      } else {
        return null;
      }
    } while (skip(','));
    if (!skip('}')) {
      return null;
    }
    whitespace();
    return i == b.length ? Tp2Body.usual(schema, elements) : null;
  }

  private List<Map<String, String>> elements() {
    if (!skip('[')) {
      return null;
    }
    List<Map<String, String>> elements = new ArrayList<>();
    if (skip(']')) {
      return elements;
    }
    String[] previous = new String[0];
    do {
      if (!skip('{')) {
        return null;
      }
      Map<String, String> params = new LinkedHashMap<>(64);
      if (!skip('}')) {
        do {
          // Elements name their parameters alike and in the same order: the previous element's
          // name at the same position is reused when equal, its hash already computed (map()
          // switches on every name).
          int k = params.size();
          String name = name(k < previous.length ? previous[k] : null);
          if (name == null || !skip(':')) {
            return null;
          }
          whitespace();
          String value = string(MAX_BODY);
          if (value == null) {
            return null;
          }
          params.put(name, value);
        } while (skip(','));
        if (!skip('}')) {
          return null;
        }
      }
      elements.add(params);
      previous = params.keySet().toArray(previous);
    } while (skip(','));
    return skip(']') ? elements : null;
  }

  /** Skips whitespace, then {@code c} if it is next; whether it was. */
  private boolean skip(char c) {
    whitespace();
    if (i < b.length && b[i] == c) {
      i++;
      return true;
    }
    return false;
  }

  private void whitespace() {
    i = JsonBytes.skipWhitespace(b, i, b.length);
  }

  /** {@link #string} for a name: {@code same} itself when it has the same characters. */
  private String name(String same) {
    String name = string(MAX_NAME);
    if (name != null && same != null && same.equals(name)) {
      return same;
    }
    return name;
  }

  /** A string of ASCII without control characters or escapes at i (after whitespace), or null. */
  private String string(int max) {
    whitespace();
    byte[] b = this.b;
    int n = b.length;
    if (i >= n || b[i] != '"') {
      return null;
    }
    int start = i + 1;
    int j = start;
    j = JsonBytes.skipPlainWords(b, j, n);
    while (j < n) {
      byte c = b[j];
      if (c == '"') {
        if (j - start > max) {
          return null;
        }
        i = j + 1;
        return new String(b, start, j - start, ISO_8859_1);
      }
      if (c < 0x20 || c == '\\') { // controls, escapes and (negative) non-ASCII bytes
        return null;
      }
      j++;
    }
    return null;
  }
}
