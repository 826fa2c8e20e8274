package io.tributary.enrich;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB files (format 2.0, IPv6 tree with IPv4 at ::/96, 24-bit records) for
 * tests, following the public MaxMind DB spec: search tree, 16 zero bytes, data section, then
 * "\xAB\xCD\xEFMaxMind.com" and the metadata map. Values: String, Map (string keys), List, Double,
 * Long (uint32), Integer (uint16), Boolean, BigInteger (uint64).
 */
final class GeoIpEnrichmentMmdbWriter {
  private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
      'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};

  private final String databaseType;
  private final Node root = new Node();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();

  GeoIpEnrichmentMmdbWriter(String databaseType) {
    this.databaseType = databaseType;
  }

  /** Maps a network ("81.2.69.0/24", "2001:db8::/32") to a record; insert wider networks first. */
  GeoIpEnrichmentMmdbWriter insert(String cidr, Map<String, Object> record) throws IOException {
    String[] parts = cidr.split("/");
    byte[] address = InetAddress.getByName(parts[0]).getAddress();
    int prefix = Integer.parseInt(parts[1]);
    if (address.length == 4) {
      byte[] v6 = new byte[16];
      System.arraycopy(address, 0, v6, 12, 4);
      address = v6;
      prefix += 96;
    }
    int offset = data.size();
    encode(data, record);
    Node node = root;
    for (int depth = 0; depth < prefix; depth++) {
      int bit = (address[depth / 8] >> (7 - depth % 8)) & 1;
      if (depth == prefix - 1) {
        node.children[bit] = offset;
      } else {
        Object child = node.children[bit];
        if (!(child instanceof Node)) {
          Node split = new Node();
          split.children[0] = child;
          split.children[1] = child;
          node.children[bit] = split;
          child = split;
        }
        node = (Node) child;
      }
    }
    return this;
  }

  void write(Path file) throws IOException {
    List<Node> nodes = new ArrayList<>();
    Map<Node, Integer> numbers = new IdentityHashMap<>();
    ArrayDeque<Node> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      Node node = queue.poll();
      numbers.put(node, nodes.size());
      nodes.add(node);
      for (Object child : node.children) {
        if (child instanceof Node n) {
          queue.add(n);
        }
      }
    }
    int count = nodes.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Node node : nodes) {
      for (Object child : node.children) {
        long record = child instanceof Node n ? numbers.get(n)
            : child instanceof Integer offset ? count + 16L + offset : count;
        out.write((int) (record >> 16) & 0xff);
        out.write((int) (record >> 8) & 0xff);
        out.write((int) record & 0xff);
      }
    }
    out.write(new byte[16]);
    data.writeTo(out);
    out.write(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("node_count", (long) count);
    metadata.put("record_size", 24);
    metadata.put("ip_version", 6);
    metadata.put("database_type", databaseType);
    metadata.put("languages", List.of("en"));
    metadata.put("binary_format_major_version", 2);
    metadata.put("binary_format_minor_version", 0);
    metadata.put("build_epoch", BigInteger.valueOf(1_700_000_000L));
    metadata.put("description", Map.of("en", "Tributary test database"));
    encode(out, metadata);
    Files.write(file, out.toByteArray());
  }

  private static void encode(ByteArrayOutputStream out, Object value) {
    if (value instanceof String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      control(out, 2, bytes.length);
      out.writeBytes(bytes);
    } else if (value instanceof Double d) {
      control(out, 3, 8);
      long bits = Double.doubleToLongBits(d);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (bits >> shift) & 0xff);
      }
    } else if (value instanceof Integer i) {
      unsigned(out, 5, BigInteger.valueOf(i));
    } else if (value instanceof Long l) {
      unsigned(out, 6, BigInteger.valueOf(l));
    } else if (value instanceof BigInteger b) {
      unsigned(out, 9, b);
    } else if (value instanceof Boolean b) {
      control(out, 14, b ? 1 : 0);
    } else if (value instanceof Map<?, ?> map) {
      control(out, 7, map.size());
      map.forEach((k, v) -> {
        encode(out, (String) k);
        encode(out, v);
      });
    } else if (value instanceof List<?> list) {
      control(out, 11, list.size());
      list.forEach(v -> encode(out, v));
    } else {
      throw new IllegalArgumentException("cannot encode " + value);
    }
  }

  private static void unsigned(ByteArrayOutputStream out, int type, BigInteger value) {
    byte[] bytes = value.signum() == 0 ? new byte[0] : value.toByteArray();
    int skip = bytes.length > 0 && bytes[0] == 0 ? 1 : 0;
    control(out, type, bytes.length - skip);
    out.write(bytes, skip, bytes.length - skip);
  }

  /** Control byte: type in the top 3 bits (0 plus an extended type byte above 7), then size. */
  private static void control(ByteArrayOutputStream out, int type, int size) {
    int first = (type <= 7 ? type : 0) << 5;
    byte[] extra;
    if (size < 29) {
      first |= size;
      extra = new byte[0];
    } else if (size < 285) {
      first |= 29;
      extra = new byte[] {(byte) (size - 29)};
    } else if (size < 65_821) {
      first |= 30;
      extra = new byte[] {(byte) ((size - 285) >> 8), (byte) (size - 285)};
    } else {
      first |= 31;
      int rest = size - 65_821;
      extra = new byte[] {(byte) (rest >> 16), (byte) (rest >> 8), (byte) rest};
    }
    out.write(first);
    if (type > 7) {
      out.write(type - 7);
    }
    out.writeBytes(extra);
  }

  private static final class Node {
    final Object[] children = new Object[2];
  }
}
