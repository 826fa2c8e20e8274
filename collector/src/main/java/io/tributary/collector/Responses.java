package io.tributary.collector;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** JSON responses. */
final class Responses {
  static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.US_ASCII);

  private Responses() {}

  static byte[] error(String message) {
    StringBuilder sb = new StringBuilder("{\"success\":false,\"message\":\"");
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  /**
   * A CORS pre-flight answer: the given methods, the headers the browser asked for (or the
   * defaults), cached for {@code maxAgeSeconds}. The origin is echoed by {@link Exchange}.
   */
  static FullHttpResponse preflight(HttpResponseStatus status, HttpHeaders request, String methods,
      String defaultHeaders, int maxAgeSeconds) {
    FullHttpResponse response = json(status, new byte[0]);
    HttpHeaders h = response.headers();
    h.remove(HttpHeaderNames.CONTENT_TYPE);
    h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
    String requested = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested != null ? requested : defaultHeaders);
    h.setInt(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAgeSeconds);
    return response;
  }

  static void sendAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body) {
    FullHttpResponse response = json(status, body);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
