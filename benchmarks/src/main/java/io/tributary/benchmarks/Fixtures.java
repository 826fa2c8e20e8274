package io.tributary.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.tributary.core.RawRecord;
import io.tributary.enrich.DirectoryRegistry;
import io.tributary.enrich.EnrichmentPipeline;
import io.tributary.enrich.EnrichmentSettings;
import io.tributary.enrich.EventCheck;
import io.tributary.enrich.EventProcessor;
import io.tributary.enrich.RegistryEntry;
import io.tributary.enrich.SchemaResolver;
import io.tributary.enrich.SelfDescribingValidator;
import io.tributary.enrich.SnowplowAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Fixed, realistic inputs shared by the benchmarks: Segment batches in the shape of
 * shared/bench/load/segment-batch.lua, Snowplow tp2 payloads as the JavaScript tracker sends them,
 * real browser user agents, campaign-tagged page URLs, and a schema directory for the
 * self-describing events. Everything is deterministic so runs compare.
 */
final class Fixtures {
  private Fixtures() {}

  static final Instant RECEIVED_AT = Instant.parse("2026-11-22T12:00:01.250Z");
  static final Clock CLOCK = Clock.fixed(RECEIVED_AT, ZoneOffset.UTC);

  /** The event of segment-batch.lua, byte for byte (~650 bytes): userId, messageId vary. */
  private static final String SEGMENT_EVENT = "{\"type\":\"track\",\"event\":\"Order Completed\","
      + "\"userId\":\"user-%d\",\"anonymousId\":\"4f1c7a2e-9a51-4c1e-8f11-2b9e0c5f6a77\","
      + "\"messageId\":\"%s-%d\",\"timestamp\":\"2026-11-22T12:00:00.000Z\",\"properties\":"
      + "{\"revenue\":19.99,\"currency\":\"EUR\",\"products\":[{\"sku\":\"A-1\",\"qty\":2}],"
      + "\"coupon\":\"WINTER\"},\"context\":{\"ip\":\"203.0.113.7\",\"userAgent\":\"%s\",\"page\":"
      + "{\"url\":\"%s\",\"referrer\":\"%s\"},\"library\":{\"name\":\"analytics.js\",\"version\":"
      + "\"2.1\"}}}";
  private static final String LUA_USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
      + "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";
  private static final String LUA_URL =
      "https://shop.example.com/checkout?utm_source=newsletter&utm_medium=email";
  private static final String LUA_REFERRER = "https://www.google.com/";
  private static final String MESSAGE_ID_PREFIX = "417263958";

  /** 50 distinct user agents of real browsers (desktop, mobile, in-app) and two crawlers. */
  static final List<String> USER_AGENTS = List.of(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
      "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Safari/605.1.15",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_10 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/485.0.0.40.105;FBBV/654321000;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 356.0.0.41.101 (iPhone15,2; iOS 18_0; en_US; en; scale=3.00; 1179x2556; 654321000)",
      "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8 Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 13; 2201117TG) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
      "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
      "Mozilla/5.0 (Linux; Android 11; moto g(30)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.100 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Safari/537.36",
      "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/487.0.0.50.103;]",
      "Mozilla/5.0 (Linux; Android 14; CPH2581) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36 OPR/86.0.4363.59528",
      "Mozilla/5.0 (Linux; U; Android 12; en-US; V2111) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/123.0.6312.80 UCBrowser/13.7.0.1317 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; SM-G990B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.2903.48",
      "Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) 94.0.4606.31/7.0 TV Safari/537.36",
      "Mozilla/5.0 (PlayStation; PlayStation 5/8.40) AppleWebKit/605.1.15 (KHTML, like Gecko)",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edge/44.18363.8131",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36");

  /** Landing and in-site pages, most with campaign parameters or click ids. */
  static final List<String> PAGE_URLS = List.of(
      "https://shop.example.com/products/merino-wool-socks?utm_source=newsletter&utm_medium=email&utm_campaign=winter_sale_2026&utm_content=hero_banner",
      "https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=brand_de&utm_term=wool%20socks&gclid=EAIaIQobChMIo9W7x5mQiQMVh5KDBx0cXQ1mEAAYASAAEgLqVPD_BwE",
      "https://shop.example.com/category/men/socks?page=2&sort=price_asc&utm_source=facebook&utm_medium=paid_social&utm_campaign=retargeting_q4&fbclid=IwAR2xVbq0t8L4kFhQ1mZr7Yc0n3uJp5sT9wKd6eXaGhBiCjDlEfM",
      "https://www.example.com/blog/how-to-wash-wool?utm_source=twitter&utm_medium=social&utm_campaign=content&utm_content=thread_1",
      "https://shop.example.com/search?q=merino+socks&utm_source=bing&utm_medium=cpc&utm_campaign=generic&msclkid=7a1d3f0c9b2e4c6a8f5d0e1b2c3a4f5e",
      "https://shop.example.com/products/alpaca-beanie?variant=4417&utm_source=partner-blog&utm_medium=referral&utm_campaign=affiliates",
      "https://shop.example.com/cart?utm_source=newsletter&utm_medium=email&utm_campaign=abandoned_cart&utm_term=reminder_2",
      "https://shop.example.com/checkout?step=payment&utm_source=google&utm_medium=organic#card",
      "https://m.example.com/products/merino-wool-socks?size=43-46&color=charcoal&utm_source=instagram&utm_medium=social&utm_campaign=story_ads",
      "https://shop.example.com/collections/new-in?utm_source=pinterest&utm_medium=social&utm_campaign=spring_preview&utm_content=pin_44");

  /** Referrers: search, social, email, internal, unknown and none. */
  static final List<String> REFERRERS = List.of(
      "https://www.google.com/",
      "https://www.google.co.uk/search?q=merino+wool+socks&hl=en",
      "https://www.facebook.com/",
      "https://t.co/3xQ9zL0aBc",
      "https://www.bing.com/search?q=wool+socks+men&form=QBLH",
      "https://shop.example.com/products/merino-wool-socks",
      "https://mail.google.com/mail/u/0/",
      "https://duckduckgo.com/?q=alpaca+beanie&ia=web",
      "https://partner-blog.example.org/best-winter-socks-2026",
      "https://l.instagram.com/?u=https%3A%2F%2Fshop.example.com%2F");

  private static final String PAGE_TITLES = "Merino wool socks | Example Shop";

  // ---- Segment ----------------------------------------------------------------------------------

  /** A /v1/batch body of {@code n} events exactly as segment-batch.lua builds it. */
  static byte[] segmentBatchLikeLua(int n) {
    return segmentBatch(n, 0, false);
  }

  /**
   * A /v1/batch body of {@code n} events of the segment-batch.lua shape; when {@code varied}, the
   * user agent, page URL and referrer of event i come from the lists above (starting at {@code
   * offset}) instead of the script's constants.
   */
  static byte[] segmentBatch(int n, int offset, boolean varied) {
    StringBuilder body = new StringBuilder(n * 700).append("{\"batch\":[");
    for (int i = 0; i < n; i++) {
      int counter = offset + i + 1;
      if (i > 0) {
        body.append(',');
      }
      body.append(String.format(SEGMENT_EVENT, counter % 1000, MESSAGE_ID_PREFIX, counter,
          varied ? USER_AGENTS.get((offset + i) % USER_AGENTS.size()) : LUA_USER_AGENT,
          varied ? PAGE_URLS.get((offset + i) % PAGE_URLS.size()) : LUA_URL,
          varied ? REFERRERS.get((offset + i) % REFERRERS.size()) : LUA_REFERRER));
    }
    body.append("],\"sentAt\":\"2026-11-22T12:00:01.000Z\"}");
    return body.toString().getBytes(UTF_8);
  }

  /** The raw record the collector makes of a /v1/batch request. */
  static RawRecord segmentRecord(String id, byte[] body) {
    return new RawRecord(id, "web", "segment", "/v1/batch", RECEIVED_AT, "203.0.113.7",
        "analytics-node/2.1", "application/json", body);
  }

  // ---- Snowplow ---------------------------------------------------------------------------------

  /**
   * A tp2 POST body of {@code n} events as the JavaScript tracker v3 sends them: self-describing
   * add_to_cart events (ue_px, base64) with a web_page and a product entity (cx, base64).
   */
  static byte[] snowplowTp2(int n, int offset) {
    StringBuilder body = new StringBuilder(n * 1400).append(
        "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4\",\"data\":[");
    long dtm = RECEIVED_AT.toEpochMilli() - 5_000;
    for (int i = 0; i < n; i++) {
      int k = offset + i;
      if (i > 0) {
        body.append(',');
      }
      String ue = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
          + "\"data\":{\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\",\"data\":{\"sku\":\"MWS-"
          + (1000 + k % 37) + "\",\"name\":\"Merino wool socks\",\"quantity\":" + (1 + k % 3)
          + ",\"unitPrice\":19.99,\"currency\":\"EUR\",\"category\":\"socks\"}}}";
      String cx = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0\","
          + "\"data\":[{\"schema\":\"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0\","
          + "\"data\":{\"id\":\"" + uuid("page", k / 5) + "\"}},"
          + "{\"schema\":\"iglu:com.acme/product/jsonschema/1-0-0\",\"data\":{\"sku\":\"MWS-"
          + (1000 + k % 37) + "\",\"brand\":\"Example\",\"price\":19.99,\"inStock\":true}}]}";
      body.append('{')
          .append(param("e", "ue")).append(',')
          .append(param("eid", uuid("event", k))).append(',')
          .append(param("tv", "js-3.24.2")).append(',')
          .append(param("tna", "sp1")).append(',')
          .append(param("aid", "example-shop")).append(',')
          .append(param("p", "web")).append(',')
          .append(param("cookie", "1")).append(',')
          .append(param("cs", "UTF-8")).append(',')
          .append(param("lang", "de-DE")).append(',')
          .append(param("res", "1920x1080")).append(',')
          .append(param("cd", "24")).append(',')
          .append(param("tz", "Europe/Berlin")).append(',')
          .append(param("dtm", Long.toString(dtm + i * 350L))).append(',')
          .append(param("vp", "1280x720")).append(',')
          .append(param("ds", "1280x4200")).append(',')
          .append(param("vid", Integer.toString(1 + k % 4))).append(',')
          .append(param("sid", uuid("session", k / 10))).append(',')
          .append(param("duid", uuid("domain-user", k / 10))).append(',')
          .append(param("uid", k % 3 == 0 ? "" : "customer-" + (k % 97))).append(',')
          .append(param("url", PAGE_URLS.get(k % PAGE_URLS.size()))).append(',')
          .append(param("refr", REFERRERS.get(k % REFERRERS.size()))).append(',')
          .append(param("page", PAGE_TITLES)).append(',')
          .append(param("ue_px", base64Url(ue))).append(',')
          .append(param("cx", base64Url(cx))).append(',')
          .append(param("stm", Long.toString(RECEIVED_AT.toEpochMilli() - 200)))
          .append('}');
    }
    return body.append("]}").toString().getBytes(UTF_8);
  }

  /** The raw record the collector makes of a tp2 POST from one browser (its user agent). */
  static RawRecord snowplowRecord(String id, byte[] body, String userAgent) {
    return new RawRecord(id, "web", "snowplow", "/com.snowplowanalytics.snowplow/tp2", RECEIVED_AT,
        "198.51.100.23", userAgent, "application/json; charset=UTF-8", body, null,
        Map.of("referer", "https://shop.example.com/", "origin", "https://shop.example.com"),
        uuid("network-user", id.hashCode()), null);
  }

  private static String param(String name, String value) {
    return "\"" + name + "\":\"" + value + "\"";
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
  }

  static String uuid(String kind, int n) {
    return UUID.nameUUIDFromBytes((kind + "/" + n).getBytes(UTF_8)).toString();
  }

  // ---- Enrich wiring ----------------------------------------------------------------------------

  /** A schema directory holding the schemas the Snowplow fixtures reference; delete when done. */
  static Path schemaDirectory() {
    try {
      Path root = Files.createTempDirectory("tributary-bench-schemas");
      writeSchema(root, "com.acme", "add_to_cart", """
          "type": "object",
          "properties": {
            "sku": {"type": "string", "pattern": "^[A-Z]{2,4}-[0-9]{1,6}$"},
            "name": {"type": "string", "maxLength": 255},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
            "unitPrice": {"type": "number", "minimum": 0},
            "currency": {"type": "string", "enum": ["EUR", "USD", "GBP", "CHF"]},
            "category": {"type": ["string", "null"], "maxLength": 64}
          },
          "required": ["sku", "quantity", "unitPrice", "currency"],
          "additionalProperties": false""");
      writeSchema(root, "com.acme", "product", """
          "type": "object",
          "properties": {
            "sku": {"type": "string", "maxLength": 32},
            "brand": {"type": ["string", "null"], "maxLength": 64},
            "price": {"type": "number", "minimum": 0},
            "inStock": {"type": "boolean"}
          },
          "required": ["sku", "price"],
          "additionalProperties": false""");
      writeSchema(root, "com.snowplowanalytics.snowplow", "web_page", """
          "type": "object",
          "properties": {"id": {"type": "string", "format": "uuid"}},
          "required": ["id"],
          "additionalProperties": false""");
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeSchema(Path root, String vendor, String name, String body)
      throws IOException {
    Path dir = root.resolve("schemas").resolve(vendor).resolve(name).resolve("jsonschema");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("1-0-0"), "{\n"
        + "\"$schema\": \"http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#\",\n"
        + "\"self\": {\"vendor\": \"" + vendor + "\", \"name\": \"" + name
        + "\", \"format\": \"jsonschema\", \"version\": \"1-0-0\"},\n" + body + "\n}\n");
  }

  static void deleteRecursively(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The enrich stage's checks as the app wires them (no tracking plan, no geo, no PII). */
  static final class Enrich {
    final SelfDescribingValidator validator;
    final EnrichmentPipeline pipeline;
    final List<EventCheck> checks;
    final EventProcessor processor;

    Enrich(Path schemas) {
      SchemaResolver resolver = new SchemaResolver(
          List.of(new RegistryEntry(new DirectoryRegistry("bench", schemas), 0)));
      validator = new SelfDescribingValidator(resolver);
      pipeline = EnrichmentPipeline.standard(EnrichmentSettings.defaults());
      List<String> names = pipeline.enrichments().stream().map(e -> e.name()).toList();
      List<String> expected = List.of("url_parsing", "campaign_attribution",
          "referer_classification", "user_agent", "event_fingerprint");
      if (!names.equals(expected)) {
        throw new IllegalStateException("default enrichments changed: " + names);
      }
      checks = new ArrayList<>();
      checks.add(validator::validate);
      checks.add(pipeline::apply);
      processor = new EventProcessor(new SnowplowAdapter(), checks, CLOCK);
    }

    /** Processes a raw line and fails unless every event is good (the benchmark's premise). */
    EventProcessor.Output processAllGood(byte[] line, int expectedEvents) {
      EventProcessor.Output out = processor.process(line);
      if (!out.bad().isEmpty() || out.good().size() != expectedEvents) {
        throw new IllegalStateException("fixture is not all good: " + out.good().size()
            + " good, bad: " + out.bad().stream().map(b -> b.messages()).toList());
      }
      return out;
    }
  }
}
