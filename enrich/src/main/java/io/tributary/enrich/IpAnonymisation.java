package io.tributary.enrich;

import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Zeroes the end of IP: the last {@code octets} bytes of an IPv4 address, or the last {@code
 * octets} 16-bit groups of an IPv6 address (so 1–4 groups = 16–64 bits). IPv6 results are written
 * in RFC 5952 compressed form; IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are treated, and
 * written, as IPv4. A comma-separated list (X-Forwarded-For) is anonymised element by element.
 *
 * <p>Strings that are not IP literals (hostnames, "unknown") are left untouched rather than failing
 * the event: they carry no address to hide, and the collector may legitimately store them. No DNS
 * lookup is ever made.
 */
public final class IpAnonymisation implements Enrichment {
  private final int octets;

  public IpAnonymisation(int octets) {
    if (octets < 1 || octets > 4) {
      throw new ConfigException("ipAnonymisation.octets must be 1..4, got " + octets);
    }
    this.octets = octets;
  }

  @Override
  public String name() {
    return "ip_anonymisation";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    String ip = event.string(EventField.IP);
    if (ip == null) {
      return;
    }
    event.set(EventField.IP, ip.indexOf(',') < 0 ? anonymise(ip) : anonymiseList(ip));
  }

  private String anonymiseList(String ips) {
    String[] parts = ips.split(",", -1);
    StringBuilder out = new StringBuilder(ips.length());
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(anonymise(parts[i].trim()));
    }
    return out.toString();
  }

  String anonymise(String ip) {
    InetAddress address = parseLiteral(ip);
    if (address == null) {
      return ip;
    }
    byte[] bytes = address.getAddress();
    int zeroed = bytes.length == 4 ? octets : octets * 2;
    for (int i = bytes.length - zeroed; i < bytes.length; i++) {
      bytes[i] = 0;
    }
    return bytes.length == 4 ? formatIpv4(bytes) : formatIpv6(bytes);
  }

  /**
   * The address of an IPv4 dotted quad or an IPv6 literal (optionally in brackets, zone id
   * ignored), or null when the text is anything else. Never resolves a name.
   */
  static InetAddress parseLiteral(String text) {
    String s = text.trim();
    if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.isEmpty()) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      byte[] v4 = parseIpv4(s);
      return v4 == null ? null : byAddress(v4);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
        return null;
      }
    }
    try {
      // Starts with a hex digit or ':' and contains ':', so the JDK parses it as an IPv6 literal
      // and throws if it is not one: no name lookup happens.
      return InetAddress.getByName(s);
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] parseIpv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
        if (digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always valid", e);
    }
  }

  static String formatIpv4(byte[] b) {
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  /** RFC 5952: lowercase hex, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
  static String formatIpv6(byte[] b) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
