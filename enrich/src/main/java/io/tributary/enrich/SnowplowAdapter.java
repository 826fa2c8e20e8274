package io.tributary.enrich;

import static io.tributary.core.EventField.*;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.EventTimes;
import io.tributary.core.RawRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a request collected from an unmodified Snowplow tracker, or from an Iglu webhook, into
 * canonical events, following Snowplow's tracker protocol and its enrich's adapters:
 *
 * <ul>
 *   <li>{@code /com.snowplowanalytics.snowplow/tp2}: a body {@code {"schema": payload_data 1-0-*,
 *       "data": [{param: value}, ...]}}, one event per element, with any querystring parameters
 *       overriding the element's; without a body, the querystring is one event.
 *   <li>{@code /i}, {@code /ice.png}, {@code /com.snowplowanalytics.snowplow/tp1}: the querystring is
 *       one event; a body is ignored.
 *   <li>{@code /com.snowplowanalytics.iglu/v1}: one self-describing event per request (or per element
 *       of a JSON array body) whose schema is the {@code schema} parameter and whose data is the other
 *       parameters, the JSON body or the form body; or a self-describing JSON body.
 * </ul>
 *
 * <p>Pure, deterministic and thread-safe: the same record always yields the same events, with event
 * ids derived from the record id when the tracker sent none. A problem drops only the event it is in.
 * Unknown parameters, and known ones with no canonical column yet (tr_*, ti_*, pp_*, f_*, tna, fp,
 * cd, cs, ds, ...), are ignored; an empty value counts as absent.
 */
public final class SnowplowAdapter {
  static final String TP2_PATH = "/com.snowplowanalytics.snowplow/tp2";
  static final String TP1_PATH = "/com.snowplowanalytics.snowplow/tp1";
  static final String IGLU_PATH = "/com.snowplowanalytics.iglu/v1";
  /** The tracker version Snowplow gives events made by the Iglu webhook. */
  static final String IGLU_TRACKER = "com.snowplowanalytics.iglu-v1";
  static final String PAYLOAD_DATA_1_0 =
      "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-";
  private static final String UNSTRUCT_EVENT_1_0 =
      "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-";
  private static final String CONTEXTS_1_0 =
      "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-";
  /** Webhook query parameters that describe the event rather than its data (as in Snowplow). */
  private static final List<String> IGLU_EVENT_PARAMS =
      List.of("nuid", "aid", "cv", "eid", "ttm", "url");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final int MAX_QUOTED = 100;

  private final Map<String, String> pathAliases;

  /** An adapter for the standard collector paths only. */
  public SnowplowAdapter() {
    this(Map.of());
  }

  /**
   * @param pathAliases custom collector paths (as configured for first-party tracking, e.g.
   *     {@code /com.acme/t}) → the standard path they stand for, e.g. {@link #TP2_PATH}
   */
  public SnowplowAdapter(Map<String, String> pathAliases) {
    this.pathAliases = Map.copyOf(requireNonNull(pathAliases, "pathAliases is null"));
  }

  /** The events in the request and the reasons the others failed; never throws for bad input. */
  public AdapterResult adapt(RawRecord raw) {
    String path = pathAliases.getOrDefault(raw.path(), raw.path());
    return switch (path) {
      case TP2_PATH -> tp2(raw);
      case TP1_PATH, "/i", "/ice.png" -> tp1(raw);
      case IGLU_PATH -> IgluWebhook.adapt(raw);
      default -> noAdapter(path);
    };
  }

  private static AdapterResult noAdapter(String path) {
    int slash = path.indexOf('/', 1);
    if (path.startsWith("/") && slash > 1 && slash < path.length() - 1
        && path.indexOf('/', slash + 1) < 0) {
      return AdapterResult.failure(BadRowType.ADAPTER_FAILURE, "no adapter for vendor "
          + path.substring(1, slash) + " version " + path.substring(slash + 1));
    }
    return AdapterResult.failure(
        BadRowType.ADAPTER_FAILURE, "no adapter for path " + quote(path) + ": expected /{vendor}/{version}");
  }

  private static AdapterResult tp1(RawRecord raw) {
    Map<String, String> params = Params.parse(raw.query());
    if (params.isEmpty()) {
      return AdapterResult.failure(BadRowType.TRACKER_PROTOCOL_VIOLATION,
          "empty querystring: not a tracker protocol event");
    }
    Events out = new Events();
    out.add(raw, 0, "", params, null, new ArrayList<>());
    return out.result();
  }

  private static AdapterResult tp2(RawRecord raw) {
    Map<String, String> query = Params.parse(raw.query());
    List<Map<String, String>> elements = Tp2Body.read(JSON.getFactory(), raw.body());
    if (elements == null) {
      return tp2Tree(raw, query);
    }
    Events out = new Events();
    for (int i = 0; i < elements.size(); i++) {
      Map<String, String> params = elements.get(i);
      params.putAll(query);
      out.add(raw, i, "data[" + i + "] ", params, null, new ArrayList<>());
    }
    return out.result();
  }

  /** tp2 through a JSON tree: any body, and the message for each way it can be wrong. */
  static AdapterResult tp2Tree(RawRecord raw, Map<String, String> query) {
    JsonNode root;
    try {
      root = JSON.readTree(raw.body());
    } catch (IOException e) {
      return violation("body is not valid JSON: " + jsonMessage(e));
    }
    if (root == null || root.isMissingNode()) {
      if (query.isEmpty()) {
        return violation("empty body and empty querystring: not a tracker protocol event");
      }
      Events out = new Events();
      out.add(raw, 0, "", query, null, new ArrayList<>());
      return out.result();
    }
    JsonNode schema = root.get("schema");
    if (!root.isObject() || schema == null || !schema.isTextual() || !root.has("data")) {
      return violation("body is not a self-describing JSON {\"schema\": ..., \"data\": ...}");
    }
    if (!isRevisionOf(schema.asText(), PAYLOAD_DATA_1_0)) {
      return violation("body schema " + quote(schema.asText()) + " is not " + PAYLOAD_DATA_1_0 + "*");
    }
    JsonNode data = root.get("data");
    if (!data.isArray()) {
      return violation("body data is not an array of events");
    }
    Events out = new Events();
    for (int i = 0; i < data.size(); i++) {
      String where = "data[" + i + "] ";
      JsonNode element = data.get(i);
      if (!element.isObject()) {
        out.failures.add(new Failure(BadRowType.TRACKER_PROTOCOL_VIOLATION,
            where + "is not an object of parameters"));
        continue;
      }
      List<String> problems = new ArrayList<>();
      Map<String, String> params = new LinkedHashMap<>(element.size() * 2);
      for (Map.Entry<String, JsonNode> field : element.properties()) {
        JsonNode value = field.getValue();
        if (value.isValueNode() && !value.isNull()) {
          params.put(field.getKey(), value.asText());
        } else if (value.isContainerNode()) {
          problems.add(field.getKey() + ": value is not a string");
        }
      }
      params.putAll(query);
      out.add(raw, i, where, params, null, problems);
    }
    return out.result();
  }

  private static AdapterResult violation(String message) {
    return AdapterResult.failure(BadRowType.TRACKER_PROTOCOL_VIOLATION, message);
  }

  // ---- One event ------------------------------------------------------------------------------

  /** Accumulates the events and failures of one request. */
  static final class Events {
    final List<EnrichedEvent> events = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();

    /**
     * Maps one event's parameters; adds the event, or one failure listing all its problems
     * (including those the caller found already), prefixed with {@code where}.
     *
     * @param unstruct a ready {schema, data} self-describing event (Iglu webhook), or null to read
     *     ue_pr / ue_px
     */
    void add(RawRecord raw, int index, String where, Map<String, String> params, JsonNode unstruct,
        List<String> problems) {
      EnrichedEvent event = map(raw, index, params, unstruct, problems);
      if (problems.isEmpty()) {
        events.add(event);
        return;
      }
      failures.add(new Failure(BadRowType.TRACKER_PROTOCOL_VIOLATION,
          where + String.join("; ", problems)));
    }

    AdapterResult result() {
      return new AdapterResult(events, failures);
    }
  }

  static EnrichedEvent map(RawRecord raw, int index, Map<String, String> params, JsonNode unstruct,
      List<String> problems) {
    EnrichedEvent ev = new EnrichedEvent();
    String e = null;
    String eid = null;
    String ip = raw.ip();
    String ua = raw.userAgent();
    String nuid = null;
    String tnuid = null;
    String url = null;
    Instant created = null;
    Instant sent = null;
    Instant trueTime = null;
    JsonNode uePr = null;
    JsonNode uePx = null;
    JsonNode co = null;
    JsonNode cx = null;
    boolean ueSent = false;
    for (Map.Entry<String, String> param : params.entrySet()) {
      String v = param.getValue();
      if (v == null || v.isEmpty()) {
        continue;
      }
      String name = param.getKey();
      switch (name) {
        case "e" -> e = v;
        case "eid" -> eid = v;
        case "aid" -> ev.set(APP_ID, v);
        case "p" -> ev.set(PLATFORM, v);
        case "tv" -> ev.set(TRACKER, v);
        case "uid" -> ev.set(USER_ID, v);
        case "duid" -> ev.set(DOMAIN_USERID, v);
        case "nuid" -> nuid = v;
        case "tnuid" -> tnuid = v;
        case "sid" -> ev.set(DOMAIN_SESSIONID, v);
        case "vid" -> ev.set(DOMAIN_SESSIONIDX, integer(name, v, problems));
        case "dtm" -> created = millis(name, v, problems);
        case "stm" -> sent = millis(name, v, problems);
        case "ttm" -> trueTime = millis(name, v, problems);
        case "url" -> url = v;
        case "refr" -> ev.set(PAGE_REFERRER, v);
        case "page" -> ev.set(PAGE_TITLE, v);
        case "res" -> dimensions(ev, DVCE_SCREENWIDTH, DVCE_SCREENHEIGHT, name, v, problems);
        case "vp" -> dimensions(ev, BR_VIEWWIDTH, BR_VIEWHEIGHT, name, v, problems);
        case "lang" -> ev.set(BR_LANG, v);
        case "tz" -> ev.set(OS_TIMEZONE, v);
        case "se_ca" -> ev.set(SE_CATEGORY, v);
        case "se_ac" -> ev.set(SE_ACTION, v);
        case "se_la" -> ev.set(SE_LABEL, v);
        case "se_pr" -> ev.set(SE_PROPERTY, v);
        case "se_va" -> ev.set(SE_VALUE, decimal(name, v, problems));
        // Legacy structured-event names, still mapped by Snowplow; the se_* names win.
        case "ev_ca" -> setIfAbsent(ev, SE_CATEGORY, v);
        case "ev_ac" -> setIfAbsent(ev, SE_ACTION, v);
        case "ev_la" -> setIfAbsent(ev, SE_LABEL, v);
        case "ev_pr" -> setIfAbsent(ev, SE_PROPERTY, v);
        case "ev_va" -> setIfAbsent(ev, SE_VALUE, decimal(name, v, problems));
        case "ue_pr" -> {
          ueSent = true;
          uePr = SelfDescribing.unstruct(name, v, false, problems);
        }
        case "ue_px" -> {
          ueSent = true;
          uePx = SelfDescribing.unstruct(name, v, true, problems);
        }
        case "co" -> co = SelfDescribing.contexts(name, v, false, problems);
        case "cx" -> cx = SelfDescribing.contexts(name, v, true, problems);
        case "ip" -> ip = firstIp(v);
        case "ua" -> ua = v;
        default -> { }
      }
    }
    String eventType = eventType(e, problems);
    if (unstruct == null) {
      unstruct = uePx != null ? uePx : uePr;
    }
    if ("unstruct".equals(eventType) && unstruct == null && !ueSent) {
      problems.add("e: \"ue\" needs a ue_px or ue_pr parameter");
    }
    if (!problems.isEmpty()) {
      return ev;
    }
    String schema = unstruct == null ? null : unstruct.get("schema").asText();
    ev.set(EVENT_ID, eid != null && !eid.isBlank() ? eid : derivedId(raw.id(), index))
        .set(SOURCE, raw.source())
        .set(PROTOCOL, "snowplow")
        .set(RAW_ID, raw.id())
        .set(EVENT_TYPE, eventType)
        .set(EVENT_NAME, "unstruct".equals(eventType) ? SelfDescribing.igluName(schema)
            : "struct".equals(eventType) ? "event" : eventType)
        .set(EVENT_SCHEMA, "unstruct".equals(eventType) ? schema : null)
        .set(UNSTRUCT_EVENT, unstruct)
        .set(CONTEXTS, cx != null ? cx : co)
        .set(NETWORK_USERID, tnuid != null ? tnuid : nuid != null ? nuid : raw.networkUserId())
        // Snowplow takes the page URL from the request's Referer when the tracker sent none: a
        // pixel in a page is requested with that page as its referer. page_referrer comes only
        // from refr.
        .set(PAGE_URL, url != null ? url : nonEmpty(raw.headers().get("referer")))
        .set(IP, ip)
        .set(USER_AGENT, ua)
        .set(RECEIVED_AT, raw.receivedAt())
        .set(ORIGINAL_TIMESTAMP, created)
        .set(SENT_AT, sent)
        .set(TRUE_TIMESTAMP, trueTime)
        .set(EVENT_TIME, EventTimes.derive(raw.receivedAt(), sent, created, trueTime));
    return ev;
  }

  private static String eventType(String e, List<String> problems) {
    if (e == null) {
      problems.add("e: missing; the event type is required");
      return null;
    }
    return switch (e) {
      case "pv" -> "page_view";
      case "pp" -> "page_ping";
      case "se", "ev" -> "struct";
      case "ue" -> "unstruct";
      case "tr" -> "transaction";
      case "ti" -> "transaction_item";
      default -> {
        problems.add("e: " + quote(e) + " is not an event type (pv, pp, se, ue, tr, ti)");
        yield null;
      }
    };
  }

  /** Id for an event sent without eid: stable for a given raw record and position. */
  static String derivedId(String rawId, int index) {
    return UUID.nameUUIDFromBytes((rawId + "/" + index).getBytes(UTF_8)).toString();
  }

  private static void setIfAbsent(EnrichedEvent ev, EventField field, Object value) {
    if (!ev.has(field)) {
      ev.set(field, value);
    }
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A forwarded-for style list ("client, proxy1, proxy2") names the client first. */
  private static String firstIp(String v) {
    int comma = v.indexOf(',');
    return comma < 0 ? v.strip() : v.substring(0, comma).strip();
  }

  private static Integer integer(String name, String v, List<String> problems) {
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException ex) {
      problems.add(name + ": " + quote(v) + " is not an integer");
      return null;
    }
  }

  /** Like Snowplow: any decimal notation BigDecimal reads; no NaN, infinities or hex. */
  private static Double decimal(String name, String v, List<String> problems) {
    try {
      double d = new BigDecimal(v.strip()).doubleValue();
      if (!Double.isInfinite(d)) {
        return d;
      }
    } catch (NumberFormatException ex) {
      // reported below
    }
    problems.add(name + ": " + quote(v) + " is not a number");
    return null;
  }

  /** Epoch milliseconds as the tracker protocol sends them, within years 1 to 9999. */
  private static Instant millis(String name, String v, List<String> problems) {
    try {
      long ms = Long.parseLong(v);
      if (ms >= -62_135_596_800_000L && ms <= 253_402_300_799_999L) {
        return Instant.ofEpochMilli(ms);
      }
      problems.add(name + ": " + v + " ms since epoch is outside years 1 to 9999");
    } catch (NumberFormatException ex) {
      problems.add(name + ": " + quote(v) + " is not a timestamp in ms since epoch");
    }
    return null;
  }

  /** "WIDTHxHEIGHT", both non-negative integers. */
  private static void dimensions(EnrichedEvent ev, EventField width, EventField height, String name,
      String v, List<String> problems) {
    int x = v.indexOf('x');
    if (x > 0 && x < v.length() - 1 && digits(v, 0, x) && digits(v, x + 1, v.length())) {
      try {
        ev.set(width, Integer.valueOf(v.substring(0, x)));
        ev.set(height, Integer.valueOf(v.substring(x + 1)));
        return;
      } catch (NumberFormatException ex) {
        // too large: reported below
      }
    }
    problems.add(name + ": " + quote(v) + " is not WIDTHxHEIGHT in integer pixels");
  }

  static boolean digits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code uri} is {@code prefix} (ending "1-0-") followed by a revision number. */
  static boolean isRevisionOf(String uri, String prefix) {
    return uri.startsWith(prefix) && digits(uri, prefix.length(), uri.length());
  }

  static String quote(String v) {
    String s = v.length() <= MAX_QUOTED ? v : v.substring(0, MAX_QUOTED) + "...";
    return "\"" + s + "\"";
  }

  static String jsonMessage(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  // ---- Self-describing JSON in parameters ------------------------------------------------------

  /** Reads ue_pr / ue_px / co / cx: plain or base64 JSON in Snowplow's envelopes. */
  static final class SelfDescribing {
    private SelfDescribing() {}

    /** The inner {schema, data} of an unstruct_event envelope, or null after adding a problem. */
    static JsonNode unstruct(String name, String value, boolean base64, List<String> problems) {
      JsonNode envelope = envelope(name, value, base64, UNSTRUCT_EVENT_1_0, problems);
      if (envelope == null) {
        return null;
      }
      JsonNode event = envelope.get("data");
      if (!isSelfDescribing(event)) {
        problems.add(name + ": data is not a self-describing event "
            + "{\"schema\": \"iglu:vendor/name/format/M-R-A\", \"data\": ...}");
        return null;
      }
      return event;
    }

    /** The array of entities of a contexts envelope, or null after adding a problem. */
    static JsonNode contexts(String name, String value, boolean base64, List<String> problems) {
      JsonNode envelope = envelope(name, value, base64, CONTEXTS_1_0, problems);
      if (envelope == null) {
        return null;
      }
      JsonNode entities = envelope.get("data");
      if (!entities.isArray()) {
        problems.add(name + ": data is not an array of entities");
        return null;
      }
      int before = problems.size();
      for (int i = 0; i < entities.size(); i++) {
        if (!isSelfDescribing(entities.get(i))) {
          problems.add(name + ": data[" + i + "] is not a self-describing entity "
              + "{\"schema\": \"iglu:vendor/name/format/M-R-A\", \"data\": ...}");
        }
      }
      return problems.size() > before || entities.isEmpty() ? null : entities;
    }

    private static JsonNode envelope(String name, String value, boolean base64, String schemaPrefix,
        List<String> problems) {
      JsonNode node;
      try {
        node = base64 ? readTree(Base64Lenient.decode(value)) : JSON.readTree(value);
      } catch (IllegalArgumentException e) {
        problems.add(name + ": invalid base64: " + e.getMessage());
        return null;
      } catch (IOException e) {
        problems.add(name + ": not valid JSON" + (base64 ? " after base64 decoding: " : ": ")
            + jsonMessage(e));
        return null;
      }
      JsonNode schema = node == null ? null : node.get("schema");
      if (node == null || !node.isObject() || schema == null || !schema.isTextual()
          || !node.has("data")) {
        problems.add(name + ": not a self-describing JSON {\"schema\": ..., \"data\": ...}");
        return null;
      }
      if (!isRevisionOf(schema.asText(), schemaPrefix)) {
        problems.add(name + ": schema " + quote(schema.asText()) + " is not " + schemaPrefix + "*");
        return null;
      }
      return node;
    }

    /** What {@code JSON.readTree} gives, read by {@link PlainJsonTree} when it is plain JSON. */
    static JsonNode readTree(byte[] json) throws IOException {
      JsonNode plain = PlainJsonTree.read(json, JSON.getNodeFactory());
      return plain != null ? plain : JSON.readTree(json);
    }

    static boolean isSelfDescribing(JsonNode node) {
      if (node == null || !node.isObject() || !node.has("data")) {
        return false;
      }
      JsonNode schema = node.get("schema");
      return schema != null && schema.isTextual() && igluName(schema.asText()) != null;
    }

    /**
     * The name in an Iglu URI {@code iglu:vendor/name/format/M-R-A}, or null when the URI is not
     * one. Accepts exactly what {@link SchemaKey#parse} accepts, without its regex.
     */
    static String igluName(String uri) {
      if (uri == null || !uri.startsWith("iglu:")) {
        return null;
      }
      int vendorEnd = uri.indexOf('/', 5);
      int nameEnd = vendorEnd < 0 ? -1 : uri.indexOf('/', vendorEnd + 1);
      int formatEnd = nameEnd < 0 ? -1 : uri.indexOf('/', nameEnd + 1);
      if (formatEnd < 0 || !name(uri, 5, vendorEnd, true) || !name(uri, vendorEnd + 1, nameEnd, false)
          || !name(uri, nameEnd + 1, formatEnd, false) || !version(uri, formatEnd + 1)) {
        return null;
      }
      String vendor = uri.substring(5, vendorEnd);
      return vendor.equals(".") || vendor.equals("..") ? null : uri.substring(vendorEnd + 1, nameEnd);
    }

    private static boolean name(String s, int from, int to, boolean dots) {
      if (from >= to) {
        return false;
      }
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || (dots && c == '.');
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    /** M-R-A, each 1 to 9 digits. */
    private static boolean version(String s, int from) {
      int first = s.indexOf('-', from);
      int second = first < 0 ? -1 : s.indexOf('-', first + 1);
      return second > 0 && shortNumber(s, from, first) && shortNumber(s, first + 1, second)
          && shortNumber(s, second + 1, s.length());
    }

    private static boolean shortNumber(String s, int from, int to) {
      return to - from <= 9 && digits(s, from, to);
    }
  }

  // ---- Base64 --------------------------------------------------------------------------------

  /**
   * Decodes what trackers send as base64: the standard and the URL-safe alphabet (even mixed),
   * padded or not. Line breaks are skipped, and a space is read as '+', since that is what an
   * unescaped '+' becomes once a querystring is decoded.
   */
  static final class Base64Lenient {
    private static final int SKIP = -2;
    private static final int[] DECODE = new int[128];

    static {
      Arrays.fill(DECODE, -1);
      for (int i = 0; i < 26; i++) {
        DECODE['A' + i] = i;
        DECODE['a' + i] = 26 + i;
      }
      for (int i = 0; i < 10; i++) {
        DECODE['0' + i] = 52 + i;
      }
      DECODE['+'] = DECODE['-'] = DECODE[' '] = 62;
      DECODE['/'] = DECODE['_'] = 63;
      DECODE['\r'] = DECODE['\n'] = DECODE['\t'] = SKIP;
    }

    private Base64Lenient() {}

    /** @throws IllegalArgumentException naming the bad character or length */
    static byte[] decode(String s) {
      byte[] strict = strict(s);
      return strict != null ? strict : lenient(s);
    }

    /**
     * The JDK's decoder, which is vectorised, for a string in one alphabet with correct padding or
     * none and nothing to skip (what trackers send); null for anything else, which only the lenient
     * loop reads or names the error of. On what the JDK accepts, both give the same bytes.
     */
    private static byte[] strict(String s) {
      if (s.indexOf(' ') >= 0) {
        return null;
      }
      boolean standard = s.indexOf('+') >= 0 || s.indexOf('/') >= 0;
      try {
        return (standard ? Base64.getDecoder() : Base64.getUrlDecoder())
            .decode(s.getBytes(ISO_8859_1));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    static byte[] lenient(String s) {
      int end = s.length();
      while (end > 0 && (s.charAt(end - 1) == '=' || isSkipped(s.charAt(end - 1)))) {
        end--;
      }
      byte[] out = new byte[end * 3 / 4 + 1];
      int len = 0;
      // Whole quads of alphabet characters, 3 bytes at a time; the first quad with anything else
      // goes to the character loop below, which starts, as after any quad, with no bits pending.
      int i = 0;
      for (; i + 4 <= end; i += 4) {
        char c0 = s.charAt(i);
        char c1 = s.charAt(i + 1);
        char c2 = s.charAt(i + 2);
        char c3 = s.charAt(i + 3);
        if ((c0 | c1 | c2 | c3) >= 128) {
          break;
        }
        int d0 = DECODE[c0];
        int d1 = DECODE[c1];
        int d2 = DECODE[c2];
        int d3 = DECODE[c3];
        if ((d0 | d1 | d2 | d3) < 0) {
          break;
        }
        int quad = d0 << 18 | d1 << 12 | d2 << 6 | d3;
        out[len] = (byte) (quad >> 16);
        out[len + 1] = (byte) (quad >> 8);
        out[len + 2] = (byte) quad;
        len += 3;
      }
      int buffer = 0;
      int bits = 0;
      for (; i < end; i++) {
        char c = s.charAt(i);
        int d = c < 128 ? DECODE[c] : -1;
        if (d == SKIP) {
          continue;
        }
        if (d < 0) {
          throw new IllegalArgumentException("illegal character '" + c + "' at index " + i);
        }
        buffer = (buffer << 6) | d;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          out[len++] = (byte) (buffer >> bits);
          buffer &= (1 << bits) - 1;
        }
      }
      if (bits == 6) {
        throw new IllegalArgumentException("truncated: the last block has a single character");
      }
      return Arrays.copyOf(out, len);
    }

    private static boolean isSkipped(char c) {
      return c < 128 && DECODE[c] == SKIP;
    }
  }

  // ---- Querystrings and form bodies ------------------------------------------------------------

  /** Parses {@code a=1&b=2} (UTF-8, '+' is a space) leniently: bad escapes are kept as they are. */
  static final class Params {
    private Params() {}

    /** Parameters in order; for a repeated name the last value wins (as in Snowplow). */
    static Map<String, String> parse(String query) {
      Map<String, String> params = new LinkedHashMap<>();
      if (query == null || query.isEmpty()) {
        return params;
      }
      int n = query.length();
      int start = query.charAt(0) == '?' ? 1 : 0;
      while (start < n) {
        int amp = query.indexOf('&', start);
        if (amp < 0) {
          amp = n;
        }
        if (amp > start) {
          int eq = query.indexOf('=', start);
          String name = eq < 0 || eq > amp ? decode(query, start, amp) : decode(query, start, eq);
          String value = eq < 0 || eq > amp ? "" : decode(query, eq + 1, amp);
          if (!name.isEmpty()) {
            params.put(name, value);
          }
        }
        start = amp + 1;
      }
      return params;
    }

    static String decode(String s, int from, int to) {
      int i = from;
      while (i < to && s.charAt(i) != '%' && s.charAt(i) != '+') {
        i++;
      }
      if (i == to) {
        return s.substring(from, to);
      }
      StringBuilder sb = new StringBuilder(to - from).append(s, from, i);
      byte[] bytes = null;
      int pending = 0;
      while (i < to) {
        char c = s.charAt(i);
        int hi = c == '%' && i + 2 < to ? hex(s.charAt(i + 1)) : -1;
        int lo = hi < 0 ? -1 : hex(s.charAt(i + 2));
        if (lo >= 0) {
          if (bytes == null) {
            bytes = new byte[(to - i) / 3 + 1];
          }
          bytes[pending++] = (byte) ((hi << 4) | lo);
          i += 3;
          continue;
        }
        if (pending > 0) {
          sb.append(new String(bytes, 0, pending, UTF_8));
          pending = 0;
        }
        sb.append(c == '+' ? ' ' : c);
        i++;
      }
      if (pending > 0) {
        sb.append(new String(bytes, 0, pending, UTF_8));
      }
      return sb.toString();
    }

    private static int hex(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      return -1;
    }
  }

  // ---- Iglu webhook --------------------------------------------------------------------------

  /**
   * Snowplow's Iglu webhook: the event's schema is the {@code schema} parameter and its data the
   * other parameters (GET), the JSON body (an array makes one event per element) or the form body;
   * or, without that parameter, the JSON body is itself the self-describing event. As in Snowplow,
   * the query parameters nuid, aid, cv, eid, ttm, url and p also describe the event (p defaults to
   * "app", or "srv" for a form body; on GET, nuid, aid, cv and p are left out of the data, the
   * others stay in it too); the tracker is {@value #IGLU_TRACKER}.
   */
  static final class IgluWebhook {
    private IgluWebhook() {}

    static AdapterResult adapt(RawRecord raw) {
      Map<String, String> query = Params.parse(raw.query());
      String schema = query.get("schema");
      boolean hasBody = !isBlank(raw.body());
      if (schema == null || schema.isEmpty()) {
        return hasBody ? selfDescribingBody(raw, query)
            : failure("missing schema parameter and empty body: nothing to make an event of");
      }
      if (SelfDescribing.igluName(schema) == null) {
        return failure("schema: " + quote(schema) + " is not an Iglu URI iglu:vendor/name/format/M-R-A");
      }
      if (!hasBody) {
        ObjectNode data = JSON.createObjectNode();
        for (Map.Entry<String, String> p : query.entrySet()) {
          switch (p.getKey()) {
            case "schema", "nuid", "aid", "cv", "p" -> { }
            default -> data.put(p.getKey(), p.getValue());
          }
        }
        return single(raw, query, schema, data, "app");
      }
      if (isForm(raw.contentType())) {
        ObjectNode data = JSON.createObjectNode();
        Params.parse(new String(raw.body(), UTF_8)).forEach(data::put);
        return single(raw, query, schema, data, "srv");
      }
      JsonNode body;
      try {
        body = JSON.readTree(raw.body());
      } catch (IOException e) {
        return failure("body is not valid JSON: " + jsonMessage(e));
      }
      if (body.isArray()) {
        Events out = new Events();
        for (int i = 0; i < body.size(); i++) {
          out.add(raw, i, "body[" + i + "] ", eventParams(query, "app"), envelope(schema, body.get(i)),
              new ArrayList<>());
        }
        return out.result();
      }
      if (!body.isObject() || body.isEmpty()) {
        return failure("body is not a JSON object with at least one field, nor an array of them");
      }
      return single(raw, query, schema, body, "app");
    }

    private static AdapterResult selfDescribingBody(RawRecord raw, Map<String, String> query) {
      JsonNode body;
      try {
        body = JSON.readTree(raw.body());
      } catch (IOException e) {
        return failure("missing schema parameter, and the body is not valid JSON: " + jsonMessage(e));
      }
      if (!SelfDescribing.isSelfDescribing(body)) {
        return failure("missing schema parameter, and the body is not a self-describing JSON "
            + "{\"schema\": \"iglu:vendor/name/format/M-R-A\", \"data\": ...}");
      }
      Events out = new Events();
      out.add(raw, 0, "", eventParams(query, "app"), body, new ArrayList<>());
      return out.result();
    }

    private static AdapterResult single(RawRecord raw, Map<String, String> query, String schema,
        JsonNode data, String platform) {
      Events out = new Events();
      out.add(raw, 0, "", eventParams(query, platform), envelope(schema, data), new ArrayList<>());
      return out.result();
    }

    private static Map<String, String> eventParams(Map<String, String> query, String platform) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("e", "ue");
      params.put("tv", IGLU_TRACKER);
      String p = query.get("p");
      params.put("p", p == null || p.isEmpty() ? platform : p);
      for (String name : IGLU_EVENT_PARAMS) {
        String value = query.get(name);
        if (value != null) {
          params.put(name, value);
        }
      }
      return params;
    }

    private static JsonNode envelope(String schema, JsonNode data) {
      ObjectNode event = JSON.createObjectNode();
      event.put("schema", schema);
      event.set("data", data);
      return event;
    }

    private static boolean isForm(String contentType) {
      return contentType != null
          && contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
    }

    private static boolean isBlank(byte[] body) {
      for (byte b : body) {
        if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
          return false;
        }
      }
      return true;
    }

    private static AdapterResult failure(String message) {
      return AdapterResult.failure(BadRowType.ADAPTER_FAILURE, message);
    }
  }
}
