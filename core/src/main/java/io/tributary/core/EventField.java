package io.tributary.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Every column of the canonical (enriched) event, declared once: name, type and meaning. The
 * {@code events} table, the enriched topic's JSON, and the docs are all derived from this list. Names
 * follow Snowplow's atomic event where one exists and Segment's otherwise.
 *
 * <p>Java values by type: STRING {@code String}, TIMESTAMP {@code java.time.Instant}, INTEGER {@code
 * Integer}, DOUBLE {@code Double}, BOOLEAN {@code Boolean}, JSON {@code
 * com.fasterxml.jackson.databind.JsonNode}.
 */
public enum EventField {
  EVENT_ID(FieldType.STRING, "unique event id: Segment messageId, Snowplow eid, or derived"),
  SOURCE(FieldType.STRING, "source whose write key (or collector path) received the event"),
  PROTOCOL(FieldType.STRING, "segment or snowplow"),
  EVENT_TYPE(FieldType.STRING, "track, identify, page, screen, group, alias; page_view, page_ping, "
      + "struct, unstruct, transaction, transaction_item"),
  EVENT_NAME(FieldType.STRING, "track event name, page/screen name, or the self-describing event's schema name"),
  EVENT_SCHEMA(FieldType.STRING, "Iglu URI of the self-describing event"),
  USER_ID(FieldType.STRING, "userId / uid"),
  ANONYMOUS_ID(FieldType.STRING, "Segment anonymousId"),
  GROUP_ID(FieldType.STRING, "Segment groupId (group)"),
  PREVIOUS_ID(FieldType.STRING, "Segment previousId (alias)"),
  APP_ID(FieldType.STRING, "Snowplow aid"),
  PLATFORM(FieldType.STRING, "Snowplow p (web, mob, srv, ...)"),
  DOMAIN_USERID(FieldType.STRING, "Snowplow duid (first-party cookie id)"),
  NETWORK_USERID(FieldType.STRING, "Snowplow nuid or the collector's sp cookie"),
  DOMAIN_SESSIONID(FieldType.STRING, "Snowplow sid"),
  DOMAIN_SESSIONIDX(FieldType.INTEGER, "Snowplow vid (session index)"),
  RECEIVED_AT(FieldType.TIMESTAMP, "when the collector received the request (collector_tstamp)"),
  SENT_AT(FieldType.TIMESTAMP, "when the device sent it (Segment sentAt, Snowplow stm)"),
  ORIGINAL_TIMESTAMP(FieldType.TIMESTAMP, "device clock at the event (Segment timestamp, Snowplow dtm)"),
  TRUE_TIMESTAMP(FieldType.TIMESTAMP, "Snowplow ttm: a time the tracker vouches for"),
  EVENT_TIME(FieldType.TIMESTAMP, "derived time: true timestamp, or received − (sent − original)"),
  PROPERTIES(FieldType.JSON, "Segment properties"),
  TRAITS(FieldType.JSON, "Segment traits"),
  CONTEXT(FieldType.JSON, "Segment context"),
  UNSTRUCT_EVENT(FieldType.JSON, "self-describing event {schema, data}"),
  CONTEXTS(FieldType.JSON, "entities: array of {schema, data}"),
  SE_CATEGORY(FieldType.STRING, "structured event category"),
  SE_ACTION(FieldType.STRING, "structured event action"),
  SE_LABEL(FieldType.STRING, "structured event label"),
  SE_PROPERTY(FieldType.STRING, "structured event property"),
  SE_VALUE(FieldType.DOUBLE, "structured event value"),
  IP(FieldType.STRING, "client IP (anonymised when configured)"),
  USER_AGENT(FieldType.STRING, "user agent"),
  PAGE_URL(FieldType.STRING, "page URL"),
  PAGE_TITLE(FieldType.STRING, "page title"),
  PAGE_REFERRER(FieldType.STRING, "referrer URL"),
  PAGE_URLSCHEME(FieldType.STRING, "page URL scheme"),
  PAGE_URLHOST(FieldType.STRING, "page URL host"),
  PAGE_URLPORT(FieldType.INTEGER, "page URL port"),
  PAGE_URLPATH(FieldType.STRING, "page URL path"),
  PAGE_URLQUERY(FieldType.STRING, "page URL query string"),
  PAGE_URLFRAGMENT(FieldType.STRING, "page URL fragment"),
  REFR_URLSCHEME(FieldType.STRING, "referrer URL scheme"),
  REFR_URLHOST(FieldType.STRING, "referrer URL host"),
  REFR_URLPORT(FieldType.INTEGER, "referrer URL port"),
  REFR_URLPATH(FieldType.STRING, "referrer URL path"),
  REFR_URLQUERY(FieldType.STRING, "referrer URL query string"),
  REFR_URLFRAGMENT(FieldType.STRING, "referrer URL fragment"),
  REFR_MEDIUM(FieldType.STRING, "referrer class: search, social, email, internal, unknown"),
  REFR_SOURCE(FieldType.STRING, "referrer name (Google, Facebook, ...)"),
  REFR_TERM(FieldType.STRING, "search term from the referrer"),
  MKT_MEDIUM(FieldType.STRING, "utm_medium (or derived from a click id)"),
  MKT_SOURCE(FieldType.STRING, "utm_source"),
  MKT_TERM(FieldType.STRING, "utm_term"),
  MKT_CONTENT(FieldType.STRING, "utm_content"),
  MKT_CAMPAIGN(FieldType.STRING, "utm_campaign"),
  MKT_CLICKID(FieldType.STRING, "gclid, fbclid, msclkid value"),
  MKT_NETWORK(FieldType.STRING, "network of the click id: Google, Facebook, Microsoft"),
  BR_FAMILY(FieldType.STRING, "browser family"),
  BR_VERSION(FieldType.STRING, "browser version"),
  OS_FAMILY(FieldType.STRING, "operating system family"),
  OS_VERSION(FieldType.STRING, "operating system version"),
  DEVICE_FAMILY(FieldType.STRING, "device family"),
  IS_BOT(FieldType.BOOLEAN, "the user agent is a known bot or spider"),
  BR_LANG(FieldType.STRING, "browser language (lang)"),
  OS_TIMEZONE(FieldType.STRING, "device time zone (tz)"),
  DVCE_SCREENWIDTH(FieldType.INTEGER, "screen width (res)"),
  DVCE_SCREENHEIGHT(FieldType.INTEGER, "screen height (res)"),
  BR_VIEWWIDTH(FieldType.INTEGER, "viewport width (vp)"),
  BR_VIEWHEIGHT(FieldType.INTEGER, "viewport height (vp)"),
  GEO_COUNTRY(FieldType.STRING, "ISO country code from the IP"),
  GEO_REGION(FieldType.STRING, "region code from the IP"),
  GEO_CITY(FieldType.STRING, "city from the IP"),
  GEO_ZIPCODE(FieldType.STRING, "postal code from the IP"),
  GEO_LATITUDE(FieldType.DOUBLE, "latitude from the IP"),
  GEO_LONGITUDE(FieldType.DOUBLE, "longitude from the IP"),
  GEO_TIMEZONE(FieldType.STRING, "time zone from the IP"),
  TRACKER(FieldType.STRING, "tracker version (tv)"),
  LIBRARY_NAME(FieldType.STRING, "Segment context.library.name"),
  LIBRARY_VERSION(FieldType.STRING, "Segment context.library.version"),
  EVENT_FINGERPRINT(FieldType.STRING, "hash of the configured fields, for deduplication"),
  RAW_ID(FieldType.STRING, "id of the raw record in the lake");

  private static final Map<String, EventField> BY_NAME = new HashMap<>();

  static {
    for (EventField f : values()) {
      BY_NAME.put(f.column(), f);
    }
  }

  private final FieldType type;
  private final String description;
  private final String column;

  EventField(FieldType type, String description) {
    this.type = type;
    this.description = description;
    this.column = name().toLowerCase(java.util.Locale.ROOT);
  }

  public FieldType type() {
    return type;
  }

  public String description() {
    return description;
  }

  /** The snake_case column name. */
  public String column() {
    return column;
  }

  /** The field of a column name, or null. */
  public static EventField ofColumn(String column) {
    return BY_NAME.get(column);
  }
}
