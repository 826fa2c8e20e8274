package io.tributary.collector;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits in front of the aggregator and takes each body byte it will hold from the shared {@link
 * BufferBudget}; gives it back once the request is handled or the connection closes. A request the
 * budget cannot take gets 503 and its connection is closed. Mirrors the aggregator's own limit: a
 * body over it is dropped by the aggregator, so its bytes are not counted. One per connection.
 */
final class BudgetHandler extends ChannelInboundHandlerAdapter {
  private final BufferBudget budget;
  private final int bodyLimit;
  private long held;
  private boolean ignoring;
  private boolean rejected;

  BudgetHandler(BufferBudget budget, int bodyLimit) {
    this.budget = budget;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest req) {
      giveBack();
      ignoring = declaredLength(req) > bodyLimit;
    }
    if (msg instanceof HttpContent content && !ignoring) {
      int n = content.content().readableBytes();
      if (held + n > bodyLimit) {
        giveBack(); // the aggregator drops an oversize body (and answers it)
        ignoring = true;
      } else if (!budget.tryReserve(n)) {
        reject(ctx, msg);
        return;
      } else {
        held += n;
      }
    }
    try {
      ctx.fireChannelRead(msg);
    } finally {
      if (msg instanceof LastHttpContent) {
        giveBack(); // handled: the body was copied out and the aggregated request released
        ignoring = false;
      }
    }
  }

  /** The Content-Length, or -1 when there is none (the decoder has already refused a bad one). */
  private static long declaredLength(HttpRequest req) {
    try {
      return HttpUtil.getContentLength(req, -1L);
    } catch (NumberFormatException e) {
      return -1L;
    }
  }

  private void reject(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
    giveBack();
    rejected = true;
    FullHttpResponse response = Responses.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
        Responses.error("the server is receiving too many request bodies at once (limit "
            + budget.limit() + " bytes), retry later"));
    response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
    new Exchange(ResponseQueue.reserve(ctx), false, null).send(response);
  }

  private void giveBack() {
    if (held > 0) {
      budget.release(held);
      held = 0;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    giveBack();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    giveBack();
  }
}
