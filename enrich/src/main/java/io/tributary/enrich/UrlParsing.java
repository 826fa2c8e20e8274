package io.tributary.enrich;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PAGE_URL → PAGE_URLSCHEME/HOST/PORT/PATH/QUERY/FRAGMENT and PAGE_REFERRER → REFR_URL*.
 *
 * <p>Scheme and host are lowercased; path, query and fragment are kept as sent (not
 * percent-decoded); an empty path is "/"; the port is the explicit one or 80/443 for http(s) and
 * ws(s). Real-world URLs are messy: what {@link URI} rejects (spaces, stray '%', unicode in odd
 * places) is split with a lenient pattern instead. A URL without "scheme://host" (missing scheme,
 * mailto:, javascript:, "http://") sets no parts; no URL ever fails the event.
 */
public final class UrlParsing implements Enrichment {
  private static final Pattern LENIENT = Pattern.compile(
      "([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?", Pattern.DOTALL);

  @Override
  public String name() {
    return "url_parsing";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    ParsedUrl page = parse(event.string(EventField.PAGE_URL));
    if (page != null) {
      set(event, EventField.PAGE_URLSCHEME, page.scheme());
      set(event, EventField.PAGE_URLHOST, page.host());
      set(event, EventField.PAGE_URLPORT, page.port());
      set(event, EventField.PAGE_URLPATH, page.path());
      set(event, EventField.PAGE_URLQUERY, page.query());
      set(event, EventField.PAGE_URLFRAGMENT, page.fragment());
    }
    ParsedUrl referrer = parse(event.string(EventField.PAGE_REFERRER));
    if (referrer != null) {
      set(event, EventField.REFR_URLSCHEME, referrer.scheme());
      set(event, EventField.REFR_URLHOST, referrer.host());
      set(event, EventField.REFR_URLPORT, referrer.port());
      set(event, EventField.REFR_URLPATH, referrer.path());
      set(event, EventField.REFR_URLQUERY, referrer.query());
      set(event, EventField.REFR_URLFRAGMENT, referrer.fragment());
    }
  }

  private static void set(EnrichedEvent event, EventField field, Object value) {
    if (value != null) {
      event.set(field, value);
    }
  }

  /** The parts of a "scheme://host..." URL, or null for anything else (including null). */
  static ParsedUrl parse(String url) {
    if (url == null) {
      return null;
    }
    String s = url.strip();
    if (s.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(s);
      if (uri.getScheme() == null || uri.isOpaque() || uri.getRawAuthority() == null) {
        return null;
      }
      return build(uri.getScheme(), uri.getRawAuthority(), uri.getRawPath(), uri.getRawQuery(),
          uri.getRawFragment());
    } catch (URISyntaxException e) {
      Matcher m = LENIENT.matcher(s);
      if (!m.matches()) {
        return null;
      }
      return build(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
    }
  }

  private static ParsedUrl build(String scheme, String authority, String path, String query,
      String fragment) {
    String lowerScheme = scheme.toLowerCase(Locale.ROOT);
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    String host = hostPort;
    Integer port = null;
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
      host = hostPort.substring(0, colon);
      port = port(hostPort.substring(colon + 1));
    }
    if (host.isEmpty()) {
      return null;
    }
    if (port == null) {
      port = defaultPort(lowerScheme);
    }
    return new ParsedUrl(lowerScheme, host.toLowerCase(Locale.ROOT), port,
        path == null || path.isEmpty() ? "/" : path, emptyToNull(query), emptyToNull(fragment));
  }

  private static Integer port(String digits) {
    if (digits.isEmpty() || digits.length() > 5) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return null;
      }
    }
    int port = Integer.parseInt(digits);
    return port <= 65535 ? port : null;
  }

  private static Integer defaultPort(String scheme) {
    return switch (scheme) {
      case "http", "ws" -> 80;
      case "https", "wss" -> 443;
      default -> null;
    };
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The query string of a URL (between '?' and '#'), or null; works without a scheme too. */
  static String rawQuery(String url) {
    if (url == null) {
      return null;
    }
    int hash = url.indexOf('#');
    int end = hash < 0 ? url.length() : hash;
    int question = url.indexOf('?');
    return question < 0 || question >= end ? null : url.substring(question + 1, end);
  }

  /**
   * Query parameters by lowercased name: the first non-empty value of each, URL-decoded (a value
   * with malformed escapes is kept as sent, '+' as space).
   */
  static Map<String, String> queryParameters(String query) {
    if (query == null || query.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    int start = 0;
    while (start <= query.length()) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? query.length() : amp;
      int eq = query.indexOf('=', start);
      if (eq > start && eq < end - 1) {
        String name = decode(query.substring(start, eq)).toLowerCase(Locale.ROOT);
        if (!out.containsKey(name)) {
          String value = decode(query.substring(eq + 1, end));
          if (!value.isBlank()) {
            out.put(name, value);
          }
        }
      }
      start = end + 1;
    }
    return out;
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s.replace('+', ' ');
    }
  }

  /** The parts of a URL; port, query and fragment may be null. */
  record ParsedUrl(String scheme, String host, Integer port, String path, String query,
      String fragment) {}
}
