package io.tributary.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.util.regex.Pattern;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * USER_AGENT → BR_FAMILY, BR_VERSION, OS_FAMILY, OS_VERSION, DEVICE_FAMILY (uap-java) and IS_BOT.
 *
 * <p>An absent or blank USER_AGENT sets nothing. Bot detection lives here rather than in a
 * separate enrichment so that it reuses the one cached parse: IS_BOT is true when uap-java's
 * device family is "Spider" or the user agent matches {@link #BOT_PATTERN}, false otherwise.
 * Versions are "major.minor.patch", cut at the first missing part. Results are cached per distinct
 * user agent string in a bounded Caffeine cache (uncached parses cost ~0.1–0.6 ms).
 */
public final class UserAgentEnrichment implements Enrichment {
  /** User agents of bots, scripts and headless browsers that uap-java does not call "Spider". */
  public static final Pattern BOT_PATTERN = Pattern.compile(
      "bot|crawler|spider|slurp|curl|wget|python-requests|headless", Pattern.CASE_INSENSITIVE);

  private static final Parser PARSER = new Parser();

  private final Cache<String, Parsed> cache;

  public UserAgentEnrichment(int cacheSize) {
    if (cacheSize < 0) {
      throw new ConfigException("userAgent.cacheSize must be >= 0, got " + cacheSize);
    }
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  @Override
  public String name() {
    return "user_agent";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    String ua = event.string(EventField.USER_AGENT);
    if (ua == null || ua.isBlank()) {
      return;
    }
    Parsed parsed = cache.get(ua, UserAgentEnrichment::parse);
    event.set(EventField.BR_FAMILY, parsed.browserFamily());
    event.set(EventField.BR_VERSION, parsed.browserVersion());
    event.set(EventField.OS_FAMILY, parsed.osFamily());
    event.set(EventField.OS_VERSION, parsed.osVersion());
    event.set(EventField.DEVICE_FAMILY, parsed.deviceFamily());
    event.set(EventField.IS_BOT, parsed.bot());
  }

  static Parsed parse(String ua) {
    Client client = PARSER.parse(ua);
    String device = client.device == null ? null : client.device.family;
    boolean bot = "Spider".equals(device) || BOT_PATTERN.matcher(ua).find();
    String browserFamily = client.userAgent == null ? null : client.userAgent.family;
    String browserVersion = client.userAgent == null ? null
        : version(client.userAgent.major, client.userAgent.minor, client.userAgent.patch);
    String osFamily = client.os == null ? null : client.os.family;
    String osVersion = client.os == null ? null
        : version(client.os.major, client.os.minor, client.os.patch);
    return new Parsed(browserFamily, browserVersion, osFamily, osVersion, device, bot);
  }

  private static String version(String major, String minor, String patch) {
    if (major == null || major.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(major);
    if (minor != null && !minor.isEmpty()) {
      out.append('.').append(minor);
      if (patch != null && !patch.isEmpty()) {
        out.append('.').append(patch);
      }
    }
    return out.toString();
  }

  record Parsed(String browserFamily, String browserVersion, String osFamily, String osVersion,
      String deviceFamily, boolean bot) {}
}
