package io.tributary.enrich;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.JsonBytes;

/**
 * A JSON object or array in its plainest form read into a tree byte by byte: the self-describing
 * JSON trackers send in ue_px and cx (base64-decoded), whose names and strings are ASCII without
 * control characters or escapes and whose numbers are integers of up to 18 digits or decimals of a
 * few digits. Jackson's {@code readTree} tokenises each name through its symbol table and each
 * string and number through a text buffer, then builds the same nodes.
 *
 * <p>Strict JSON only (whitespace is space, tab, CR and LF; no trailing commas, leading zeros,
 * non-finite numbers, duplicate names or trailing content), nesting up to {@value #MAX_DEPTH}, far
 * within Jackson's limits: what it reads, Jackson's {@code readTree} reads to the same tree (same
 * node classes, values and key orders), with the nodes made by the same factory. For anything else
 * it returns null and the caller lets Jackson read the bytes, which gives its messages.
 */
final class PlainJsonTree {
  static final int MAX_DEPTH = 64;
  static final int MAX_LENGTH = 10 << 20;
  private static final int MAX_NAME = 1000;
  private static final int MAX_NUMBER = 40;

  private final byte[] b;
  private final JsonNodeFactory nodes;
  private int i;

  private PlainJsonTree(byte[] json, JsonNodeFactory nodes) {
    this.b = json;
    this.nodes = nodes;
  }

  /** The object or array in {@code json}, or null when it is not read here. */
  static JsonNode read(byte[] json, JsonNodeFactory nodes) {
    if (json.length > MAX_LENGTH) {
      return null;
    }
    PlainJsonTree reader = new PlainJsonTree(json, nodes);
    reader.whitespace();
    if (reader.i >= json.length || (json[reader.i] != '{' && json[reader.i] != '[')) {
      return null;
    }
    JsonNode root = reader.value(0);
    if (root == null) {
      return null;
    }
    reader.whitespace();
    return reader.i == json.length ? root : null;
  }

  /** The value at i (after whitespace), or null. */
  private JsonNode value(int depth) {
    whitespace();
    if (i >= b.length) {
      return null;
    }
    switch (b[i]) {
      case '{':
        return depth < MAX_DEPTH ? object(depth + 1) : null;
      case '[':
        return depth < MAX_DEPTH ? array(depth + 1) : null;
      case '"': {
        String s = string(MAX_LENGTH);
        return s == null ? null : nodes.textNode(s);
      }
      case 't':
        return literal("true") ? nodes.booleanNode(true) : null;
      case 'f':
        return literal("false") ? nodes.booleanNode(false) : null;
      case 'n':
        return literal("null") ? nodes.nullNode() : null;
      default:
        return number();
    }
  }

  private ObjectNode object(int depth) {
    i++; // '{'
    ObjectNode object = nodes.objectNode();
    if (skip('}')) {
      return object;
    }
    do {
      whitespace();
      String name = name();
      if (name == null || !skip(':')) {
        return null;
      }
      JsonNode value = value(depth);
      if (value == null || object.replace(name, value) != null) {
        return null; // Jackson keeps the last of duplicate names: left to it
      }
    } while (skip(','));
    return skip('}') ? object : null;
  }

  private ArrayNode array(int depth) {
    i++; // '['
    ArrayNode array = nodes.arrayNode();
    if (skip(']')) {
      return array;
    }
    do {
      JsonNode value = value(depth);
      if (value == null) {
        return null;
      }
      array.add(value);
    } while (skip(','));
    return skip(']') ? array : null;
  }

  /**
   * {@link #string} for a name: the same few names recur in every document, so the last String
   * made of each hash slot is reused when it has the same characters, its hash already computed
   * (the object's map hashes every name). Racy by design: a String is safe to publish that way.
   */
  private String name() {
    byte[] b = this.b;
    int n = b.length;
    if (i >= n || b[i] != '"') {
      return null;
    }
    int start = i + 1;
    int hash = 0;
    for (int j = start; j < n && j - start <= MAX_NAME; j++) {
      byte c = b[j];
      if (c == '"') {
        int length = j - start;
        i = j + 1;
        String[] names = NAMES;
        int slot = (hash ^ (hash >>> 16)) & (names.length - 1);
        String cached = names[slot];
        if (cached != null && same(cached, start, length)) {
          return cached;
        }
        String name = new String(b, start, length, ISO_8859_1);
        names[slot] = name;
        return name;
      }
      if (c < 0x20 || c == '\\') {
        return null;
      }
      hash = 31 * hash + c;
    }
    return null;
  }

  private static final String[] NAMES = new String[512];

  private boolean same(String s, int start, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (s.charAt(k) != b[start + k]) {
        return false;
      }
    }
    return true;
  }

  /** A string of ASCII without control characters or escapes at i, or null. */
  private String string(int max) {
    byte[] b = this.b;
    int n = b.length;
    if (i >= n || b[i] != '"') {
      return null;
    }
    int start = i + 1;
    int j = JsonBytes.skipPlainWords(b, start, n);
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

  /** true, false or null at i, followed by a delimiter. */
  private boolean literal(String word) {
    int n = word.length();
    if (i + n > b.length) {
      return false;
    }
    for (int k = 1; k < n; k++) {
      if (b[i + k] != word.charAt(k)) {
        return false;
      }
    }
    if (!delimiter(i + n)) {
      return false;
    }
    i += n;
    return true;
  }

  /**
   * A JSON number at i, followed by a delimiter: an integer of up to 18 digits is an int node when
   * it fits an int, else a long node; a number with a fraction or an exponent is a double node of
   * {@link Double#parseDouble} (as Jackson gives both by default), unless it is not finite.
   */
  private JsonNode number() {
    byte[] b = this.b;
    int n = b.length;
    int start = i;
    int j = i;
    boolean negative = j < n && b[j] == '-';
    if (negative) {
      j++;
    }
    int intStart = j;
    long value = 0;
    while (j < n && b[j] >= '0' && b[j] <= '9') {
      value = value * 10 + (b[j] - '0');
      j++;
    }
    int digits = j - intStart;
    if (digits == 0 || (digits > 1 && b[intStart] == '0')) {
      return null;
    }
    boolean integer = true;
    if (j < n && b[j] == '.') {
      integer = false;
      int fractionStart = ++j;
      while (j < n && b[j] >= '0' && b[j] <= '9') {
        j++;
      }
      if (j == fractionStart) {
        return null;
      }
    }
    if (j < n && (b[j] == 'e' || b[j] == 'E')) {
      integer = false;
      j++;
      if (j < n && (b[j] == '+' || b[j] == '-')) {
        j++;
      }
      int exponentStart = j;
      while (j < n && b[j] >= '0' && b[j] <= '9') {
        j++;
      }
      if (j == exponentStart) {
        return null;
      }
    }
    if (!delimiter(j) || j - start > MAX_NUMBER) {
      return null;
    }
    i = j;
    if (integer) {
      if (digits > 18) {
        return null;
      }
      long signed = negative ? -value : value;
      return signed == (int) signed ? nodes.numberNode((int) signed) : nodes.numberNode(signed);
    }
    double d = Double.parseDouble(new String(b, start, j - start, ISO_8859_1));
    return Double.isFinite(d) ? nodes.numberNode(d) : null;
  }

  /** Whether a scalar may end before index j: at the end, whitespace, ',', ']' or '}'. */
  private boolean delimiter(int j) {
    if (j >= b.length) {
      return true;
    }
    byte c = b[j];
    return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
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
}
