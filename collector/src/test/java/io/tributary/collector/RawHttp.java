package io.tributary.collector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Minimal HTTP/1.x over a raw socket, for tests that need exact bytes on the wire. */
final class RawHttp implements AutoCloseable {
  /** A parsed response; header names are lower-cased. */
  record Response(String version, int status, Map<String, String> headers, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port, int readTimeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(readTimeoutMillis);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  Socket socket() {
    return socket;
  }

  void write(String ascii) throws IOException {
    write(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Writes a request with a Content-Length body. */
  void request(String method, String path, String version, Map<String, String> headers, byte[] body)
      throws IOException {
    StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(' ').append(version)
        .append("\r\nHost: 127.0.0.1\r\n");
    headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      sb.append("Content-Length: ").append(body.length).append("\r\n");
    }
    sb.append("\r\n");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      all.writeBytes(body);
    }
    write(all.toByteArray());
  }

  /** Reads one response (Content-Length framed); null when the server closed before sending any byte. */
  Response read() throws IOException {
    String statusLine = readLine();
    if (statusLine == null) {
      return null;
    }
    String[] parts = statusLine.split(" ", 3);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = readLine()) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("connection closed inside a response body");
    }
    return new Response(parts[0], Integer.parseInt(parts[1]), headers, body);
  }

  /** True when the server has closed the connection (EOF or reset) with nothing more to read. */
  boolean closedByServer() {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    if (line.size() == 0) {
      return null;
    }
    throw new IOException("connection closed inside a line: " + line);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
