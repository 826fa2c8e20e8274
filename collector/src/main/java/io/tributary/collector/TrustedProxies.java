package io.tributary.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the client address of a request: the socket's peer, or, when that peer is a trusted proxy,
 * the right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy (addresses to
 * the left of it could be forged by the client).
 */
final class TrustedProxies {
  private record Range(byte[] network, int prefixBits) {}

  private final List<Range> ranges = new ArrayList<>();

  TrustedProxies(List<String> cidrs) {
    for (String cidr : cidrs) {
      String[] parts = cidr.strip().split("/", 2);
      byte[] address = literal(parts[0]);
      if (address == null) {
        throw new IllegalArgumentException("trusted proxy is not an IP address or CIDR range: '"
            + cidr + "'");
      }
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("bad prefix length in trusted proxy '" + cidr + "'");
      }
      ranges.add(new Range(address, bits));
    }
  }

  String clientIp(InetAddress peer, String forwardedFor) {
    String peerIp = peer.getHostAddress();
    if (forwardedFor == null || ranges.isEmpty() || !isTrusted(peer.getAddress())) {
      return peerIp;
    }
    String[] hops = forwardedFor.split(",");
    String candidate = peerIp;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      byte[] address = literal(hop);
      if (address == null) {
        return candidate;
      }
      candidate = hop;
      if (!isTrusted(address)) {
        return hop;
      }
    }
    return candidate;
  }

  private boolean isTrusted(byte[] address) {
    for (Range r : ranges) {
      if (r.network().length == address.length && matches(r, address)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Range r, byte[] address) {
    int bits = r.prefixBits();
    for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
      if ((address[i] & mask) != (r.network()[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** Parses an IP literal without ever asking DNS; null when it is not one. */
  private static byte[] literal(String text) {
    boolean ipv6 = text.indexOf(':') >= 0
        && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    boolean ipv4 = text.chars().filter(c -> c == '.').count() == 3
        && text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
