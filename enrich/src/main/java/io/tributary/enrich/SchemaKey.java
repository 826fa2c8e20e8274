package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of a schema in an Iglu registry: {@code iglu:<vendor>/<name>/<format>/<M-R-A>}, with
 * the version in SchemaVer (model, revision, addition).
 */
public record SchemaKey(
    String vendor, String name, String format, int model, int revision, int addition) {
  private static final Pattern VENDOR = Pattern.compile("[a-zA-Z0-9\\-_.]+");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9\\-_]+");
  private static final Pattern URI = Pattern.compile(
      "iglu:([^/]+)/([^/]+)/([^/]+)/([0-9]{1,9})-([0-9]{1,9})-([0-9]{1,9})");

  public SchemaKey {
    requireNonNull(vendor, "vendor is null");
    requireNonNull(name, "name is null");
    requireNonNull(format, "format is null");
    // "." and ".." would match the vendor pattern and escape a registry's directory.
    if (!VENDOR.matcher(vendor).matches() || vendor.equals(".") || vendor.equals("..")) {
      throw new IllegalArgumentException(
          "invalid schema vendor '" + vendor + "': must match [a-zA-Z0-9-_.]+ and not be . or ..");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid schema name '" + name + "': must match [a-zA-Z0-9-_]+");
    }
    if (!NAME.matcher(format).matches()) {
      throw new IllegalArgumentException(
          "invalid schema format '" + format + "': must match [a-zA-Z0-9-_]+");
    }
    if (model < 0 || revision < 0 || addition < 0) {
      throw new IllegalArgumentException("invalid schema version " + model + "-" + revision + "-"
          + addition + ": model, revision and addition must not be negative");
    }
  }

  /**
   * Parses an Iglu URI such as {@code iglu:com.acme/button_press/jsonschema/1-0-0}.
   *
   * @throws IllegalArgumentException naming the URI and the expected form
   */
  public static SchemaKey parse(String uri) {
    if (uri != null) {
      SchemaKey known = PARSED.getIfPresent(uri);
      if (known != null) {
        return known;
      }
    }
    SchemaKey key = parseUncached(uri);
    PARSED.put(uri, key);
    return key;
  }

  /** Trackers send the same few URIs again and again: parse each once. Bounded; only valid keys. */
  private static final com.github.benmanes.caffeine.cache.Cache<String, SchemaKey> PARSED =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

  private static SchemaKey parseUncached(String uri) {
    if (uri == null) {
      throw new IllegalArgumentException("invalid Iglu URI: null; expected "
          + "iglu:<vendor>/<name>/<format>/<model>-<revision>-<addition>");
    }
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid Iglu URI '" + uri + "': expected "
          + "iglu:<vendor>/<name>/<format>/<model>-<revision>-<addition>, "
          + "e.g. iglu:com.acme/button_press/jsonschema/1-0-0");
    }
    try {
      return new SchemaKey(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)),
          Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid Iglu URI '" + uri + "': " + e.getMessage(), e);
    }
  }

  /** The SchemaVer version, {@code M-R-A}. */
  public String version() {
    return model + "-" + revision + "-" + addition;
  }

  /** {@code vendor/name/format/M-R-A}: the schema's path in a registry. */
  public String path() {
    return vendor + "/" + name + "/" + format + "/" + version();
  }

  /** {@code iglu:vendor/name/format/M-R-A}. */
  public String toUri() {
    return "iglu:" + path();
  }

  @Override
  public String toString() {
    return toUri();
  }
}
