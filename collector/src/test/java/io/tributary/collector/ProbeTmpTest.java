package io.tributary.collector;

import static java.nio.charset.StandardCharsets.UTF_8;
import java.io.*;
import java.util.*;
import java.util.zip.*;
import org.junit.jupiter.api.Test;

class ProbeTmpTest {
  @Test
  void probe() throws Exception {
    FakeRawSink sink = new FakeRawSink();
    try (HttpCollector c = HttpCollector.start(CollectorSettings.defaults("127.0.0.1", 0), sink,
        k -> "web", Map.of(), List::of, java.time.Clock.systemUTC())) {
      String[] reqs = {
        "GET /health FOO\r\nHost: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nNoColon\r\n\r\n",
        "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "GET /he alth HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
      };
      for (String r : reqs) {
        try (RawHttp raw = new RawHttp(c.port(), 3000)) {
          raw.write(r);
          try { var resp = raw.read(); System.out.println("PROBE " + r.split("\r\n")[0] + " -> " + (resp == null ? "EOF" : resp.status() + " " + resp.bodyText()));
          } catch (IOException e) { System.out.println("PROBE " + r.split("\r\n")[0] + " -> " + e); }
        }
      }
      sink.mode(FakeRawSink.Mode.HOLD);
      byte[] track = "{\"event\":\"x\",\"userId\":\"u\"}".getBytes(UTF_8);
      try (RawHttp raw = new RawHttp(c.port(), 3000)) {
        raw.write("POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: Basic d2s6\r\nContent-Type: application/json\r\nContent-Length: " + track.length + "\r\n\r\n"
          + new String(track, UTF_8) + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        try { var resp = raw.read(); System.out.println("PIPE1 " + (resp == null ? "EOF" : resp.status() + " " + resp.bodyText()) + " held=" + sink.heldCount() + " recs=" + sink.records().size());
        } catch (IOException e) { System.out.println("PIPE1 " + e + " held=" + sink.heldCount()); }
        sink.releaseHeld();
        try { var resp = raw.read(); System.out.println("PIPE2 " + (resp == null ? "EOF" : resp.status() + " " + resp.bodyText()));
        } catch (IOException e) { System.out.println("PIPE2 " + e); }
      }
      sink.mode(FakeRawSink.Mode.SUCCEED);
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
        gz.write("{\"event\":\"x\",\"userId\":\"u\",\"p\":\"".getBytes(UTF_8));
        byte[] zeros = new byte[1024 * 1024];
        Arrays.fill(zeros, (byte) '0');
        for (int i = 0; i < 50; i++) gz.write(zeros);
        gz.write("\"}".getBytes(UTF_8));
      }
      byte[] bomb = compressed.toByteArray();
      System.out.println("bomb " + bomb.length);
      try (RawHttp raw = new RawHttp(c.port(), 5000)) {
        raw.write("POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n\r\n");
        try { raw.write(bomb); } catch (IOException e) { System.out.println("BOMB write " + e); }
        try { var resp = raw.read(); System.out.println("BOMB " + (resp == null ? "EOF" : resp.status() + " " + resp.headers() + resp.bodyText()));
        } catch (IOException e) { System.out.println("BOMB " + e); }
      }
      for (int n : new int[] {30_000, 70_000, 200_000, 400_000, 600_000, 2_000_000}) {
      ByteArrayOutputStream c2 = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(c2)) {
        gz.write("{\"batch\":[".getBytes(UTF_8));
        for (int i = 0; i < n / 1000; i++) gz.write(((i == 0 ? "" : ",") + "{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\",\"p\":\"" + "0".repeat(950) + "\"}").getBytes(UTF_8));
        gz.write("]}".getBytes(UTF_8));
      }
      try (RawHttp raw = new RawHttp(c.port(), 5000)) {
        byte[] b = c2.toByteArray();
        raw.write("POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + b.length + "\r\n\r\n");
        raw.write(b);
        try { var resp = raw.read(); System.out.println("SMALLBOMB " + n + " " + (resp == null ? "EOF" : resp.status() + " " + resp.bodyText()));
        } catch (IOException e) { System.out.println("SMALLBOMB " + e); }
      }
      }
    }
  }
}
