package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * IP → GEO_COUNTRY (ISO code), GEO_REGION (ISO code of the most specific subdivision), GEO_CITY
 * (English name), GEO_ZIPCODE, GEO_LATITUDE, GEO_LONGITUDE, GEO_TIMEZONE from a MaxMind GeoIP2 or
 * GeoLite2 City database, memory-mapped and with MaxMind's node cache. Must run before {@link
 * IpAnonymisation}.
 *
 * <p>An IP that is not an IP literal, or that the database does not know, sets nothing; only
 * the parts the database has are set. For a comma-separated list (X-Forwarded-For) the first element
 * is looked up. Close it to unmap the file.
 */
public final class GeoIpEnrichment implements Enrichment, AutoCloseable {
  private final DatabaseReader reader;
  private final boolean ipv4Only;

  /** Opens the database; a {@link ConfigException} if it is unreadable or not a City database. */
  public GeoIpEnrichment(Path mmdbFile) {
    requireNonNull(mmdbFile, "mmdbFile is null");
    try {
      this.reader = new DatabaseReader.Builder(mmdbFile.toFile()).withCache(new CHMCache()).build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("geo.database " + mmdbFile + " is not a readable MaxMind database: "
          + e.getMessage(), e);
    }
    String type = reader.getMetadata().getDatabaseType();
    if (type == null || !type.contains("City")) {
      closeQuietly();
      throw new ConfigException("geo.database " + mmdbFile + " is a " + type
          + " database; a GeoIP2/GeoLite2 City database is required");
    }
    this.ipv4Only = reader.getMetadata().getIpVersion() == 4;
  }

  @Override
  public String name() {
    return "geo_ip";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    String ip = event.string(EventField.IP);
    if (ip == null) {
      return;
    }
    int comma = ip.indexOf(',');
    InetAddress address = IpAnonymisation.parseLiteral(comma < 0 ? ip : ip.substring(0, comma));
    if (address == null || (ipv4Only && address instanceof Inet6Address)) {
      return;
    }
    Optional<CityResponse> found;
    try {
      found = reader.tryCity(address);
    } catch (IOException | GeoIp2Exception e) {
      throw new EnrichmentException("ip: GeoIP lookup of " + ip + " failed: " + e.getMessage(), e);
    }
    found.ifPresent(city -> set(event, city));
  }

  private static void set(EnrichedEvent event, CityResponse city) {
    setIfPresent(event, EventField.GEO_COUNTRY, city.getCountry().getIsoCode());
    setIfPresent(event, EventField.GEO_REGION, city.getMostSpecificSubdivision().getIsoCode());
    setIfPresent(event, EventField.GEO_CITY, city.getCity().getName());
    setIfPresent(event, EventField.GEO_ZIPCODE, city.getPostal().getCode());
    setIfPresent(event, EventField.GEO_LATITUDE, city.getLocation().getLatitude());
    setIfPresent(event, EventField.GEO_LONGITUDE, city.getLocation().getLongitude());
    setIfPresent(event, EventField.GEO_TIMEZONE, city.getLocation().getTimeZone());
  }

  private static void setIfPresent(EnrichedEvent event, EventField field, Object value) {
    if (value != null) {
      event.set(field, value);
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void closeQuietly() {
    try {
      reader.close();
    } catch (IOException ignored) {
      // Already failing with a clearer message.
    }
  }
}
