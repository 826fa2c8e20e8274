package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlParsingTest {
  private final UrlParsing parsing = new UrlParsing();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      https://www.example.com/products/shoes?color=red&size=9#reviews | https | www.example.com | 443  | /products/shoes | color=red&size=9 | reviews
      http://example.com                                              | http  | example.com     | 80   | /               | -                | -
      HTTP://Example.COM:8080/A/B?Q=1                                 | http  | example.com     | 8080 | /A/B            | Q=1              | -
      https://user:secret@example.com:8443/                           | https | example.com     | 8443 | /               | -                | -
      https://example.com/search?q=red shoes&page=2                   | https | example.com     | 443  | /search         | q=red shoes&page=2 | -
      https://example.com/100%/off?x=%zz                              | https | example.com     | 443  | /100%/off       | x=%zz            | -
      https://例え.jp/パス?キー=値                                       | https | 例え.jp          | 443  | /パス            | キー=値            | -
      https://my_host.example.com/path                                | https | my_host.example.com | 443 | /path       | -                | -
      http://[2001:db8::1]:8080/x                                     | http  | [2001:db8::1]   | 8080 | /x              | -                | -
      https://example.com?                                            | https | example.com     | 443  | /               | -                | -
      https://example.com/#/app/route?tab=1                           | https | example.com     | 443  | /               | -                | /app/route?tab=1
      android-app://com.google.android.gm/                            | android-app | com.google.android.gm | - | /   | -                | -
      ftp://files.example.com/pub/file.txt                            | ftp   | files.example.com | -  | /pub/file.txt   | -                | -
      https://example.com:99999/                                      | https | example.com     | 443  | /               | -                | -
      """)
  void splitsPageUrls(String url, String scheme, String host, Integer port, String path,
      String query, String fragment) {
    EnrichedEvent event = new EnrichedEvent().set(EventField.PAGE_URL, url);
    parsing.enrich(event);

    assertThat(event.string(EventField.PAGE_URLSCHEME)).isEqualTo(scheme);
    assertThat(event.string(EventField.PAGE_URLHOST)).isEqualTo(host);
    assertThat(event.get(EventField.PAGE_URLPORT)).isEqualTo(port);
    assertThat(event.string(EventField.PAGE_URLPATH)).isEqualTo(path);
    assertThat(event.string(EventField.PAGE_URLQUERY)).isEqualTo(query);
    assertThat(event.string(EventField.PAGE_URLFRAGMENT)).isEqualTo(fragment);
  }

  @ParameterizedTest
  @ValueSource(strings = {"www.example.com/page", "/relative/path?x=1", "mailto:someone@example.com",
      "javascript:void(0)", "", "   ", "not a url at all", "://missing-scheme.com", "http://"})
  void urlsWithoutSchemeAndHostSetNoPartsAndDoNotFail(String url) {
    EnrichedEvent event = new EnrichedEvent().set(EventField.PAGE_URL, url);
    parsing.enrich(event);

    assertThat(event.values()).containsOnlyKeys(EventField.PAGE_URL);
  }

  @Test
  void parsesTheReferrerIntoRefrFields() {
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.PAGE_REFERRER, "https://www.google.co.uk/search?q=tributary#top");
    parsing.enrich(event);

    assertThat(event.values()).containsOnly(
        Map.entry(EventField.PAGE_REFERRER, "https://www.google.co.uk/search?q=tributary#top"),
        Map.entry(EventField.REFR_URLSCHEME, "https"),
        Map.entry(EventField.REFR_URLHOST, "www.google.co.uk"),
        Map.entry(EventField.REFR_URLPORT, 443),
        Map.entry(EventField.REFR_URLPATH, "/search"),
        Map.entry(EventField.REFR_URLQUERY, "q=tributary"),
        Map.entry(EventField.REFR_URLFRAGMENT, "top"));
  }

  @Test
  void absentUrlsAreSkipped() {
    EnrichedEvent event = new EnrichedEvent();
    parsing.enrich(event);
    assertThat(event.values()).isEmpty();
  }

  @Test
  void queryParametersAreDecodedFirstValueWinsAndNamesIgnoreCase() {
    assertThat(UrlParsing.queryParameters("A=1&a=2&b=x+y%20z&c=&=orphan&d&e=%E2%9C%93&bad=%zz"))
        .containsOnly(Map.entry("a", "1"), Map.entry("b", "x y z"), Map.entry("e", "✓"),
            Map.entry("bad", "%zz"));
    assertThat(UrlParsing.rawQuery("example.com/p?x=1#frag?no")).isEqualTo("x=1");
    assertThat(UrlParsing.rawQuery("https://example.com/p#frag")).isNull();
  }

  @Test
  void splitsAsJavaNetUriThenTheLenientPatternDid() {
    List<String> urls = new ArrayList<>(List.of("", " ", "://x", "1http://x", "h:ttp://x",
        "http//x", "http:/x", "http://", "http:///p", "http://@/", "http://u@h:1:2/p",
        "http://h#a#b", "http://h?a?b#c?d", "http://h/p q?x y#z w", "http://[::1", "http://h:/",
        "mailto:a@b.c", "javascript:alert(1)", "//h/p", " \thttps://h/\n", "a+b-c.d://h/",
        "http://h\u2028x/", "http://h/%zz%", "HTTPS://H.COM:443", "http://h:0065535/",
        "http://é.fr/é?é#é", "http://a b/", "ws://h", "wss://h:8/p"));
    Random random = new Random(20261122);
    String[] pieces = {"http", "S", "://", ":", "/", "//", "?", "#", "@", "[", "]", "%", "%2F",
        ".", " ", "\t", "a", "Z", "9", "-", "+", "_", "é", "例", "\n", "&", "="};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder url = new StringBuilder(i % 2 == 0 ? "https://" : "");
      for (int k = random.nextInt(12); k > 0; k--) {
        url.append(pieces[random.nextInt(pieces.length)]);
      }
      urls.add(url.toString());
    }
    for (String url : urls) {
      assertThat(UrlParsing.parse(url)).as(url).isEqualTo(referenceParse(url));
    }
  }

  private static final Pattern LENIENT = Pattern.compile(
      "([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?", Pattern.DOTALL);

  // UrlParsing.parse as it was: java.net.URI, and the lenient pattern for what URI rejects.
  private static UrlParsing.ParsedUrl referenceParse(String url) {
    String s = url.strip();
    if (s.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(s);
      if (uri.getScheme() == null || uri.isOpaque() || uri.getRawAuthority() == null) {
        return null;
      }
      return UrlParsing.build(uri.getScheme(), uri.getRawAuthority(), uri.getRawPath(),
          uri.getRawQuery(), uri.getRawFragment());
    } catch (URISyntaxException e) {
      Matcher m = LENIENT.matcher(s);
      if (!m.matches()) {
        return null;
      }
      return UrlParsing.build(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
    }
  }

  @Test
  void parseGivesTheSamePartsAsParsingAfresh() {
    Random random = new Random(13);
    String[] urls = {"https://www.google.com/", "https://www.bing.com/search?q=wool+socks&form=QBLH",
        "HTTP://Example.COM:8080/A/B?Q=1#f", "mailto:a@b.c", "", " https://x.example ", "http://"};
    String previous = null;
    for (int n = 0; n < 5_000; n++) {
      // The same String again, an equal copy, or another URL: each parses as it would afresh.
      String url = previous != null && random.nextBoolean() ? previous
          : random.nextBoolean() ? new String(urls[random.nextInt(urls.length)])
          : urls[random.nextInt(urls.length)];
      assertThat(UrlParsing.parse(url)).as(url).isEqualTo(UrlParsing.parseUncached(url));
      previous = url;
    }
    assertThat(UrlParsing.parse(null)).isNull();
  }
}
