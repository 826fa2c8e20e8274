package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PAGE_REFERRER → REFR_MEDIUM (search, social, email, internal, unknown), REFR_SOURCE ("Google",
 * "Facebook", "Gmail", ...) and, for search engines, REFR_TERM from the engine's query parameter.
 *
 * <p>Internal: the referrer's host is the page's host (ignoring a leading "www.") or one of the
 * internal domains or a subdomain of one. Otherwise the host is looked up in {@code referers.json}
 * (next to this class), most specific first: "mail.google.com" (Gmail) wins over "google.*"
 * (Google). A domain matches itself and its subdomains; "name.*" matches "name." followed by any
 * top-level domain of one or two short labels (google.com, google.co.uk, google.com.br). A referrer
 * that matches nothing, or has no host, is "unknown".
 */
public final class RefererClassification implements Enrichment {
  static final String RESOURCE = "referers.json";

  private static final Referers REFERERS = Referers.load();

  private final Set<String> internalDomains;

  public RefererClassification(Set<String> internalDomains) {
    requireNonNull(internalDomains, "internalDomains is null");
    this.internalDomains = internalDomains.stream()
        .map(d -> stripWww(d.strip().toLowerCase(Locale.ROOT)))
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public String name() {
    return "referer_classification";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    String referrer = event.string(EventField.PAGE_REFERRER);
    if (referrer == null) {
      return;
    }
    UrlParsing.ParsedUrl url = UrlParsing.parse(referrer);
    String host = url == null ? null : url.host();
    if (host == null) {
      event.set(EventField.REFR_MEDIUM, "unknown");
      return;
    }
    if (isInternal(stripWww(host), pageHost(event))) {
      event.set(EventField.REFR_MEDIUM, "internal");
      return;
    }
    Source source = REFERERS.find(host);
    if (source == null) {
      event.set(EventField.REFR_MEDIUM, "unknown");
      return;
    }
    event.set(EventField.REFR_MEDIUM, source.medium());
    event.set(EventField.REFR_SOURCE, source.name());
    if (!source.parameters().isEmpty()) {
      Map<String, String> params = UrlParsing.queryParameters(url.query());
      for (String parameter : source.parameters()) {
        String term = params.get(parameter);
        if (term != null) {
          event.set(EventField.REFR_TERM, term);
          break;
        }
      }
    }
  }

  private static String pageHost(EnrichedEvent event) {
    String host = event.string(EventField.PAGE_URLHOST);
    if (host == null) {
      UrlParsing.ParsedUrl page = UrlParsing.parse(event.string(EventField.PAGE_URL));
      host = page == null ? null : page.host();
    }
    return host == null ? null : stripWww(host.toLowerCase(Locale.ROOT));
  }

  private boolean isInternal(String host, String pageHost) {
    if (host.equals(pageHost)) {
      return true;
    }
    for (String domain : internalDomains) {
      if (host.equals(domain) || host.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }

  private static String stripWww(String host) {
    return host.startsWith("www.") ? host.substring(4) : host;
  }

  /** A known referrer: its medium, display name and search-term parameters (in priority order). */
  record Source(String medium, String name, List<String> parameters) {}

  /** The referer list: exact domains and "name.*" wildcards. */
  record Referers(Map<String, Source> domains, Map<String, Source> wildcards) {
    static Referers load() {
      try (InputStream in = RefererClassification.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource " + RESOURCE + " is missing");
        }
        return parse(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }

    static Referers parse(JsonNode root) {
      Map<String, Source> domains = new HashMap<>();
      Map<String, Source> wildcards = new HashMap<>();
      root.fields().forEachRemaining(medium -> medium.getValue().fields().forEachRemaining(entry -> {
        List<String> parameters = new ArrayList<>();
        entry.getValue().path("parameters").forEach(p -> parameters.add(p.asText()));
        Source source = new Source(medium.getKey(), entry.getKey(), List.copyOf(parameters));
        for (JsonNode d : entry.getValue().path("domains")) {
          String domain = d.asText().toLowerCase(Locale.ROOT);
          boolean wildcard = domain.endsWith(".*");
          Map<String, Source> target = wildcard ? wildcards : domains;
          String key = wildcard ? domain.substring(0, domain.length() - 2) : domain;
          Source previous = target.put(key, source);
          if (previous != null) {
            throw new IllegalStateException(RESOURCE + ": domain " + domain + " is listed for both "
                + previous.name() + " and " + source.name());
          }
        }
      }));
      return new Referers(Map.copyOf(domains), Map.copyOf(wildcards));
    }

    /** The source of a lowercase host, most specific match first, or null. */
    Source find(String host) {
      for (int start = 0; start >= 0; ) {
        String candidate = host.substring(start);
        Source exact = domains.get(candidate);
        if (exact != null) {
          return exact;
        }
        int dot = candidate.indexOf('.');
        if (dot < 0) {
          return null;
        }
        if (!wildcards.isEmpty() && isTopLevel(candidate.substring(dot + 1))) {
          Source wildcard = wildcards.get(candidate.substring(0, dot));
          if (wildcard != null) {
            return wildcard;
          }
        }
        start += dot + 1;
      }
      return null;
    }

    /** "com", "de", "co.uk", "com.br": one or two labels of at most three letters. */
    static boolean isTopLevel(String suffix) {
      int n = suffix.length();
      int dot = suffix.indexOf('.');
      if (dot < 0) {
        return isShortLabel(suffix, 0, n);
      }
      return suffix.indexOf('.', dot + 1) < 0 && isShortLabel(suffix, 0, dot)
          && isShortLabel(suffix, dot + 1, n);
    }

    /** s[from, to) is one to three letters. */
    private static boolean isShortLabel(String s, int from, int to) {
      if (to == from || to - from > 3) {
        return false;
      }
      for (int i = from; i < to; i++) {
        if (!Character.isLetter(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }
  }
}
