package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Json;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefererClassificationTest {
  private static final String PAGE = "https://www.shop.example/products?id=1";

  private final RefererClassification referer =
      new RefererClassification(Set.of("example.org", "WWW.Checkout.Example"));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      https://www.google.com/                                  | search   | Google      | -
      https://www.google.co.uk/search?q=red+shoes&hl=en        | search   | Google      | red shoes
      https://www.google.com.br/url?sa=t&q=t%C3%AAnis           | search   | Google      | tênis
      android-app://com.google.android.googlequicksearchbox/   | search   | Google      | -
      https://www.bing.com/search?q=tributary+events&form=QBLH | search   | Bing        | tributary events
      https://search.yahoo.com/search?p=analytics&fr=yfp       | search   | Yahoo!      | analytics
      https://duckduckgo.com/?q=privacy+analytics              | search   | DuckDuckGo  | privacy analytics
      https://yandex.ru/search/?text=%D0%BA%D0%BE%D1%82        | search   | Yandex      | кот
      https://www.baidu.com/s?wd=shoes                         | search   | Baidu       | shoes
      https://www.facebook.com/                                | social   | Facebook    | -
      https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example | social   | Facebook    | -
      https://m.facebook.com/story.php                         | social   | Facebook    | -
      https://t.co/AbCdEf                                      | social   | Twitter     | -
      https://x.com/someone/status/1                           | social   | Twitter     | -
      https://www.linkedin.com/feed/                           | social   | LinkedIn    | -
      https://old.reddit.com/r/analytics/                      | social   | Reddit      | -
      https://news.ycombinator.com/item?id=1                   | social   | Hacker News | -
      https://www.pinterest.co.uk/pin/1/                       | social   | Pinterest   | -
      https://mail.google.com/mail/u/0/                        | email    | Gmail       | -
      android-app://com.google.android.gm/                     | email    | Gmail       | -
      https://outlook.live.com/mail/0/inbox                    | email    | Outlook.com | -
      https://mail.yahoo.com/d/folders/1                       | email    | Yahoo! Mail | -
      https://mail.proton.me/u/0/inbox                         | email    | Proton Mail | -
      https://www.shop.example/cart                            | internal | -           | -
      https://shop.example/                                    | internal | -           | -
      https://blog.example.org/post                            | internal | -           | -
      https://checkout.example/pay                             | internal | -           | -
      https://some-blog.example.net/review                     | unknown  | -           | -
      https://googleusercontent.com.evil.example/              | unknown  | -           | -
      https://notgoogle.com/                                   | unknown  | -           | -
      not a url                                                | unknown  | -           | -
      """)
  void classifiesReferrers(String referrer, String medium, String source, String term) {
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.PAGE_URL, PAGE)
        .set(EventField.PAGE_REFERRER, referrer);
    referer.enrich(event);

    assertThat(event.string(EventField.REFR_MEDIUM)).isEqualTo(medium);
    assertThat(event.string(EventField.REFR_SOURCE)).isEqualTo(source);
    assertThat(event.string(EventField.REFR_TERM)).isEqualTo(term);
  }

  @Test
  void usesThePageHostAlreadyParsed() {
    EnrichedEvent event = new EnrichedEvent()
        .set(EventField.PAGE_URLHOST, "www.google.com")
        .set(EventField.PAGE_REFERRER, "https://www.google.com/search?q=x");
    referer.enrich(event);
    assertThat(event.string(EventField.REFR_MEDIUM)).isEqualTo("internal");
  }

  @Test
  void absentReferrerSetsNothing() {
    EnrichedEvent event = new EnrichedEvent().set(EventField.PAGE_URL, PAGE);
    referer.enrich(event);
    assertThat(event.values()).containsOnlyKeys(EventField.PAGE_URL);
  }

  @Test
  void theBundledListLoadsAndHasEveryMedium() {
    RefererClassification.Referers list = RefererClassification.Referers.load();

    assertThat(list.domains().values()).extracting(RefererClassification.Source::medium)
        .contains("search", "social", "email");
    assertThat(list.domains().size() + list.wildcards().size()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void aDomainListedTwiceIsRefused() {
    String json = """
        {"search": {"A": {"domains": ["a.com"], "parameters": ["q"]}},
         "social": {"B": {"domains": ["a.com"], "parameters": []}}}""";
    assertThatThrownBy(() -> RefererClassification.Referers.parse(Json.parseOrNull(json)))
        .hasMessageContaining("a.com").hasMessageContaining("A").hasMessageContaining("B");
  }

  /** The top-level test as it was written before, with String.split. */
  private static boolean isTopLevelBySplit(String suffix) {
    String[] labels = suffix.split("\\.", -1);
    if (labels.length > 2) {
      return false;
    }
    for (String label : labels) {
      if (label.isEmpty() || label.length() > 3) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        if (!Character.isLetter(label.charAt(i))) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void topLevelSuffixesAreThoseTheSplitFound() {
    java.util.Random random = new java.util.Random(9);
    String pieces = "abcxyz..9-\u00e9\u4f8b";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder s = new StringBuilder();
      for (int k = random.nextInt(9); k > 0; k--) {
        s.append(pieces.charAt(random.nextInt(pieces.length())));
      }
      String suffix = s.toString();
      assertThat(RefererClassification.Referers.isTopLevel(suffix)).as(suffix)
          .isEqualTo(isTopLevelBySplit(suffix));
    }
  }
}
