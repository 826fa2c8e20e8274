package io.tributary.collector;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Where one request's response goes: its place in the connection's response order, and CORS. */
record Exchange(ResponseQueue.Slot slot, boolean keepAlive, String origin) {
  void respond(HttpResponseStatus status, byte[] body) {
    send(Responses.json(status, body));
  }

  void send(FullHttpResponse response) {
    HttpHeaders h = response.headers();
    if (origin != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
      h.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }
    h.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    slot.complete(response, !keepAlive);
  }
}
