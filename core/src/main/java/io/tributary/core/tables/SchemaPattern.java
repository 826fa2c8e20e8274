package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Iglu schema URI in which each part of the SchemaVer may be {@code *}: {@code
 * iglu:com.acme/checkout/jsonschema/1-*-*} matches every revision and addition of model 1, {@code
 * iglu:com.acme/checkout/jsonschema/1-0-2} only that version. Vendor, name and format match exactly.
 */
public final class SchemaPattern {
  private static final Pattern SYNTAX = Pattern.compile(
      "iglu:([^/\\s]+)/([^/\\s]+)/([^/\\s]+)/([0-9]{1,9}|\\*)-([0-9]{1,9}|\\*)-([0-9]{1,9}|\\*)");
  private static final Pattern URI =
      Pattern.compile("iglu:([^/]+)/([^/]+)/([^/]+)/([0-9]{1,9})-([0-9]{1,9})-([0-9]{1,9})");

  private final String text;
  private final String prefix;
  private final int[] version = new int[3];

  private SchemaPattern(String text, Matcher m) {
    this.text = text;
    this.prefix = m.group(1) + "/" + m.group(2) + "/" + m.group(3);
    for (int i = 0; i < 3; i++) {
      String part = m.group(4 + i);
      version[i] = part.equals("*") ? -1 : Integer.parseInt(part);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not {@code iglu:vendor/name/format/M-R-A}
   *     with each of M, R, A a number or {@code *}
   */
  public static SchemaPattern parse(String text) {
    requireNonNull(text, "schema pattern is null");
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a schema pattern like "
          + "iglu:com.acme/checkout/jsonschema/1-*-* (vendor/name/format/MODEL-REVISION-ADDITION,"
          + " each version part a number or *)");
    }
    return new SchemaPattern(text, m);
  }

  /** Whether {@code schemaUri} is an Iglu URI this pattern matches; false for null. */
  public boolean matches(String schemaUri) {
    if (schemaUri == null) {
      return false;
    }
    Matcher m = URI.matcher(schemaUri);
    if (!m.matches() || !(m.group(1) + "/" + m.group(2) + "/" + m.group(3)).equals(prefix)) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      if (version[i] >= 0 && version[i] != Integer.parseInt(m.group(4 + i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
