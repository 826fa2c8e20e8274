package io.tributary.collector;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Keeps responses of one connection in request order (HTTP/1.1 pipelining): a response that is
 * ready early (a health check) waits behind one still waiting for Kafka. Only touched on the
 * connection's event loop.
 */
final class ResponseQueue {
  private static final AttributeKey<ResponseQueue> KEY = AttributeKey.valueOf("tributary.responses");

  /** One request's place in the queue. */
  final class Slot {
    private FullHttpResponse response;
    private boolean close;

    /** Completes this slot from any thread. */
    void complete(FullHttpResponse r, boolean closeAfter) {
      if (ctx.executor().inEventLoop()) {
        completeInLoop(r, closeAfter);
      } else {
        ctx.executor().execute(() -> completeInLoop(r, closeAfter));
      }
    }

    private void completeInLoop(FullHttpResponse r, boolean closeAfter) {
      if (closed) {
        ReferenceCountUtil.release(r);
        return;
      }
      response = r;
      close = closeAfter;
      drain();
    }
  }

  private final ChannelHandlerContext ctx;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private boolean closed;

  private ResponseQueue(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  static Slot reserve(ChannelHandlerContext ctx) {
    ResponseQueue queue = ctx.channel().attr(KEY).get();
    if (queue == null) {
      queue = new ResponseQueue(ctx);
      ctx.channel().attr(KEY).set(queue);
    }
    Slot slot = queue.new Slot();
    queue.slots.add(slot);
    return slot;
  }

  private void drain() {
    boolean wrote = false;
    while (!slots.isEmpty() && slots.peek().response != null) {
      Slot head = slots.poll();
      wrote = true;
      if (head.close) {
        closed = true;
        ctx.writeAndFlush(head.response).addListener(ChannelFutureListener.CLOSE);
        slots.forEach(s -> ReferenceCountUtil.release(s.response));
        slots.clear();
        return;
      }
      ctx.write(head.response, ctx.voidPromise());
    }
    if (wrote) {
      ctx.flush();
    }
  }
}
