package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpEnrichmentTest {
  @TempDir static Path dir;
  static GeoIpEnrichment geo;

  @BeforeAll
  static void writeDatabase() throws IOException {
    Path file = dir.resolve("city.mmdb");
    new GeoIpEnrichmentMmdbWriter("GeoIP2-City")
        .insert("81.2.69.0/24", city("GB", List.of("ENG"), "London", "W1", 51.5142, -0.0931,
            "Europe/London"))
        .insert("81.2.69.192/28", city("GB", List.of("ENG"), "Reading", "RG1", 51.4542, -0.9731,
            "Europe/London"))
        .insert("2001:db8::/32", city("ES", List.of("AN", "MA"), "Málaga", "29001", 36.7213,
            -4.4214, "Europe/Madrid"))
        .insert("89.160.20.0/24", Map.of("country", country("SE")))
        .write(file);
    geo = new GeoIpEnrichment(file);
  }

  @AfterAll
  static void close() {
    geo.close();
  }

  @Test
  void setsEveryGeoFieldOfAnIpv4Address() {
    EnrichedEvent event = lookup("81.2.69.142");

    assertThat(event.string(EventField.GEO_COUNTRY)).isEqualTo("GB");
    assertThat(event.string(EventField.GEO_REGION)).isEqualTo("ENG");
    assertThat(event.string(EventField.GEO_CITY)).isEqualTo("London");
    assertThat(event.string(EventField.GEO_ZIPCODE)).isEqualTo("W1");
    assertThat(event.get(EventField.GEO_LATITUDE)).isEqualTo(51.5142);
    assertThat(event.get(EventField.GEO_LONGITUDE)).isEqualTo(-0.0931);
    assertThat(event.string(EventField.GEO_TIMEZONE)).isEqualTo("Europe/London");
  }

  @Test
  void theMostSpecificNetworkWins() {
    assertThat(lookup("81.2.69.200").string(EventField.GEO_CITY)).isEqualTo("Reading");
    assertThat(lookup("81.2.69.191").string(EventField.GEO_CITY)).isEqualTo("London");
  }

  @Test
  void ipv6AndTheMostSpecificSubdivision() {
    EnrichedEvent event = lookup("2001:db8:1234::1");

    assertThat(event.string(EventField.GEO_COUNTRY)).isEqualTo("ES");
    assertThat(event.string(EventField.GEO_REGION)).isEqualTo("MA");
    assertThat(event.string(EventField.GEO_CITY)).isEqualTo("Málaga");
    assertThat(event.string(EventField.GEO_TIMEZONE)).isEqualTo("Europe/Madrid");
  }

  @Test
  void setsOnlyWhatTheDatabaseHas() {
    EnrichedEvent event = lookup("89.160.20.112");

    assertThat(event.values()).containsOnlyKeys(EventField.IP, EventField.GEO_COUNTRY);
    assertThat(event.string(EventField.GEO_COUNTRY)).isEqualTo("SE");
  }

  @Test
  void unknownAddressesSetNothing() {
    for (String ip : List.of("10.0.0.1", "127.0.0.1", "2001:db9::1", "::1")) {
      assertThat(lookup(ip).values()).as(ip).containsOnlyKeys(EventField.IP);
    }
  }

  @Test
  void nonIpValuesSetNothingAndAbsentIpIsSkipped() {
    for (String ip : List.of("unknown", "example.com", "", "81.2.69", "999.1.1.1")) {
      assertThat(lookup(ip).values()).as(ip).containsOnlyKeys(EventField.IP);
    }
    EnrichedEvent empty = new EnrichedEvent();
    geo.enrich(empty);
    assertThat(empty.values()).isEmpty();
  }

  @Test
  void looksUpTheFirstAddressOfAForwardedList() {
    assertThat(lookup("81.2.69.142, 10.0.0.1").string(EventField.GEO_CITY)).isEqualTo("London");
  }

  @Test
  void refusesAMissingFileOrANonCityDatabase() throws IOException {
    assertThatThrownBy(() -> new GeoIpEnrichment(dir.resolve("missing.mmdb")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("missing.mmdb");
    Path notMmdb = Files.writeString(dir.resolve("text.mmdb"), "not a database");
    assertThatThrownBy(() -> new GeoIpEnrichment(notMmdb)).isInstanceOf(ConfigException.class);
    Path asn = dir.resolve("asn.mmdb");
    new GeoIpEnrichmentMmdbWriter("GeoLite2-ASN")
        .insert("81.2.69.0/24", Map.of("autonomous_system_number", 20712L)).write(asn);
    assertThatThrownBy(() -> new GeoIpEnrichment(asn))
        .isInstanceOf(ConfigException.class).hasMessageContaining("GeoLite2-ASN");
  }

  private static EnrichedEvent lookup(String ip) {
    EnrichedEvent event = new EnrichedEvent().set(EventField.IP, ip);
    geo.enrich(event);
    return event;
  }

  private static Map<String, Object> city(String country, List<String> subdivisions, String city,
      String postal, double latitude, double longitude, String timeZone) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("city", Map.of("geoname_id", 1000L + city.length(), "names", Map.of("en", city)));
    record.put("continent", Map.of("code", "EU", "geoname_id", 6255148L,
        "names", Map.of("en", "Europe")));
    record.put("country", country(country));
    record.put("registered_country", country(country));
    record.put("location", Map.of("accuracy_radius", 100, "latitude", latitude,
        "longitude", longitude, "time_zone", timeZone));
    record.put("postal", Map.of("code", postal));
    record.put("subdivisions", subdivisions.stream()
        .map(code -> Map.of("iso_code", code, "geoname_id", 2000L + code.hashCode() % 1000,
            "names", Map.of("en", "Region " + code)))
        .toList());
    return record;
  }

  private static Map<String, Object> country(String isoCode) {
    return Map.of("iso_code", isoCode, "geoname_id", 3000L + isoCode.charAt(0),
        "names", Map.of("en", "Country " + isoCode));
  }
}
