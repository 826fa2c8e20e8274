package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserAgentEnrichmentTest {
  private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
      + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36";

  private final UserAgentEnrichment enrichment = new UserAgentEnrichment(100);

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36 | Chrome | 120.0.6099 | Windows | 10 | Other | false
      Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1 | Mobile Safari | 17.2 | iOS | 17.2.1 | iPhone | false
      Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0 | Firefox | 121.0 | Ubuntu | - | Other | false
      Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15 | Safari | 17.1 | Mac OS X | 10.15.7 | Mac | false
      Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91 | Edge | 120.0.2210 | Windows | 10 | Other | false
      Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36 | Chrome Mobile | 120.0.6099 | Android | 14 | Pixel 8 | false
      Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36 | Samsung Internet | 23.0 | Android | 13 | Samsung SM-S918B | false
      Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1 | Mobile Safari | 16.6 | iOS | 16.6 | iPad | false
      Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko | IE | 11.0 | Windows | 7 | Other | false
      Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) | Googlebot | 2.1 | Other | - | Spider | true
      Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) | bingbot | 2.0 | Other | - | Spider | true
      Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp) | Yahoo! Slurp | - | Other | - | Spider | true
      curl/8.4.0 | curl | 8.4.0 | Other | - | Other | true
      Wget/1.21.4 | Wget | 1.21.4 | Other | - | Other | true
      python-requests/2.31.0 | Python Requests | 2.31 | Other | - | Other | true
      Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36 | HeadlessChrome | 120.0.6099 | Linux | - | Other | true
      """)
  void parsesRealUserAgents(String ua, String browser, String browserVersion, String os,
      String osVersion, String device, boolean bot) {
    EnrichedEvent event = enrich(ua);

    assertThat(event.string(EventField.BR_FAMILY)).isEqualTo(browser);
    assertThat(event.string(EventField.BR_VERSION)).isEqualTo(browserVersion);
    assertThat(event.string(EventField.OS_FAMILY)).isEqualTo(os);
    assertThat(event.string(EventField.OS_VERSION)).isEqualTo(osVersion);
    assertThat(event.string(EventField.DEVICE_FAMILY)).isEqualTo(device);
    assertThat(event.get(EventField.IS_BOT)).isEqualTo(bot);
  }

  @Test
  void absentOrBlankUserAgentSetsNothing() {
    EnrichedEvent none = new EnrichedEvent();
    enrichment.enrich(none);
    assertThat(none.values()).isEmpty();

    assertThat(enrich("  ").values()).containsOnlyKeys(EventField.USER_AGENT);
  }

  @Test
  void botPatternCatchesScriptsUapDoesNotCallSpiders() {
    assertThat(UserAgentEnrichment.BOT_PATTERN.matcher("MyCrawler/1.0").find()).isTrue();
    assertThat(UserAgentEnrichment.BOT_PATTERN.matcher("Mozilla/5.0 HeadlessChrome").find()).isTrue();
    assertThat(UserAgentEnrichment.BOT_PATTERN.matcher(CHROME_WINDOWS).find()).isFalse();
  }

  @Test
  void cachedResultsAreTheSameAsFreshOnes() {
    EnrichedEvent first = enrich(CHROME_WINDOWS);
    EnrichedEvent second = enrich(CHROME_WINDOWS);

    assertThat(second.values()).isEqualTo(first.values());
    assertThat(second.values()).isEqualTo(withFreshParser(CHROME_WINDOWS).values());
  }

  @Test
  void aZeroSizedCacheStillWorksAndANegativeOneIsRefused() {
    EnrichedEvent event = new EnrichedEvent().set(EventField.USER_AGENT, "curl/8.4.0");
    new UserAgentEnrichment(0).enrich(event);
    assertThat(event.string(EventField.BR_FAMILY)).isEqualTo("curl");

    assertThatThrownBy(() -> new UserAgentEnrichment(-1)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void oneInstanceServesManyThreads() throws Exception {
    List<String> uas = List.of(CHROME_WINDOWS, "curl/8.4.0", "Wget/1.21.4",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    Map<String, Map<EventField, Object>> expected = new HashMap<>();
    for (String ua : uas) {
      expected.put(ua, withFreshParser(ua).values());
    }
    UserAgentEnrichment shared = new UserAgentEnrichment(2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            String ua = uas.get((i + offset) % uas.size());
            EnrichedEvent event = new EnrichedEvent().set(EventField.USER_AGENT, ua);
            shared.enrich(event);
            if (!event.values().equals(expected.get(ua))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private EnrichedEvent enrich(String ua) {
    EnrichedEvent event = new EnrichedEvent().set(EventField.USER_AGENT, ua);
    enrichment.enrich(event);
    return event;
  }

  private static EnrichedEvent withFreshParser(String ua) {
    UserAgentEnrichment.Parsed parsed = UserAgentEnrichment.parse(ua);
    EnrichedEvent event = new EnrichedEvent().set(EventField.USER_AGENT, ua);
    event.set(EventField.BR_FAMILY, parsed.browserFamily());
    event.set(EventField.BR_VERSION, parsed.browserVersion());
    event.set(EventField.OS_FAMILY, parsed.osFamily());
    event.set(EventField.OS_VERSION, parsed.osVersion());
    event.set(EventField.DEVICE_FAMILY, parsed.deviceFamily());
    event.set(EventField.IS_BOT, parsed.bot());
    return event;
  }
}
