package io.tributary.enrich;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * PAGE_URL → PAGE_URLSCHEME/HOST/PORT/PATH/QUERY/FRAGMENT and PAGE_REFERRER → REFR_URL*.
 *
 * <p>Scheme and host are lowercased; path, query and fragment are kept as sent (not
 * percent-decoded); an empty path is "/"; the port is the explicit one or 80/443 for http(s) and
 * ws(s). Real-world URLs are messy: spaces, stray '%' and unicode in odd places are kept as sent
 * in their part. A URL without "scheme://host" (missing scheme, mailto:, javascript:, "http://")
 * sets no parts; no URL ever fails the event.
 */
public final class UrlParsing implements Enrichment {
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

  /**
   * The parts of a "scheme://host..." URL, or null for anything else (including null).
   *
   * <p>Split by hand as RFC 3986's appendix B does: the authority runs to the first '/', '?' or
   * '#', the path to the first '?' or '#', the query to the first '#'. For any URL {@link
   * java.net.URI} accepts that is exactly its raw components, and for the rest what the lenient
   * pattern this replaced gave; parsing with {@code URI} first was 11–18 % of an event's
   * enrichment.
   */
  static ParsedUrl parse(String url) {
    if (url == null) {
      return null;
    }
    // The referrer is parsed here for its parts, then by referer classification for its host and
    // query: the second time gets the first's result. Keyed by identity, the same String.
    Last last = LAST.get();
    if (last.url != url) {
      last.parsed = parseUncached(url);
      last.url = url;
    }
    return last.parsed;
  }

  private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

  /** The last URL a thread parsed and its parts (null when it has none). */
  private static final class Last {
    String url;
    ParsedUrl parsed;
  }

  static ParsedUrl parseUncached(String url) {
    String s = url.strip();
    int sep = s.indexOf("://");
    if (sep < 1 || !isScheme(s, sep)) {
      return null;
    }
    int n = s.length();
    int authorityEnd = sep + 3;
    while (authorityEnd < n && "/?#".indexOf(s.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    int pathEnd = authorityEnd;
    while (pathEnd < n && s.charAt(pathEnd) != '?' && s.charAt(pathEnd) != '#') {
      pathEnd++;
    }
    int hash = s.indexOf('#', pathEnd);
    String query = pathEnd < n && s.charAt(pathEnd) == '?'
        ? s.substring(pathEnd + 1, hash < 0 ? n : hash) : null;
    String fragment = hash < 0 ? null : s.substring(hash + 1);
    return build(s.substring(0, sep), s.substring(sep + 3, authorityEnd),
        s.substring(authorityEnd, pathEnd), query, fragment);
  }

  /** s[0, end) is a URI scheme: a letter, then letters, digits, '+', '-' or '.'. */
  private static boolean isScheme(String s, int end) {
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
        return false;
      }
    }
    return true;
  }

  static ParsedUrl build(String scheme, String authority, String path, String query,
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
