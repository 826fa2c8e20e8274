package io.tributary.collector;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Checks on a decoded request that the HTTP decoder leaves to the server (RFC 9112): the version,
 * the Host header, and headers that must not be given twice because two values are ambiguous.
 */
final class RequestFraming {
  private RequestFraming() {}

  /** What is wrong with the request's framing, or null. */
  static String problem(HttpRequest req) {
    if (isVersionProblem(req)) {
      return "HTTP version " + req.protocolVersion().text() + " is not supported: use HTTP/1.1";
    }
    int hosts = req.headers().getAll(HttpHeaderNames.HOST).size();
    if (hosts > 1) {
      return "more than one Host header";
    }
    if (hosts == 0 && req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      return "an HTTP/1.1 request needs a Host header";
    }
    return null;
  }

  static boolean isVersionProblem(HttpRequest req) {
    HttpVersion v = req.protocolVersion();
    return v.majorVersion() != 1 || v.minorVersion() > 1;
  }

  /** A header that names the caller or the body's type, given more than once; null when none is. */
  static String duplicateCredentialHeader(HttpHeaders headers) {
    for (CharSequence name : new CharSequence[] {HttpHeaderNames.AUTHORIZATION,
        HttpHeaderNames.CONTENT_TYPE}) {
      if (headers.getAll(name).size() > 1) {
        return "more than one " + (name == HttpHeaderNames.AUTHORIZATION ? "Authorization" : "Content-Type")
            + " header";
      }
    }
    return null;
  }
}
