package io.tributary.collector;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * Inflates gzip and deflate bodies up to the body limit. A body it cannot inflate (corrupt, or
 * over the limit once inflated) is answered by the handler; the connection's remaining input is
 * dropped since the stream cannot be resynchronised. One per connection.
 */
final class BoundedDecompressor extends HttpContentDecompressor {
  private final int limit;
  private final RequestHandler handler;
  private HttpRequest request;
  private boolean failed;

  BoundedDecompressor(int limit, RequestHandler handler) {
    super(limit);
    this.limit = limit;
    this.handler = handler;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out)
      throws Exception {
    if (failed) {
      return; // the input is released by the caller
    }
    if (msg instanceof HttpRequest req) {
      request = req;
    }
    try {
      super.decode(ctx, msg, out);
    } catch (DecompressionException e) {
      failed = true;
      handler.undecodableBody(ctx, request, e, limit);
    }
  }
}
