package io.tributary.collector;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps responses of one connection in request order (HTTP/1.1 pipelining): a response that is
 * ready early (a health check) waits behind one still waiting for Kafka. Stops reading from the
 * connection while {@link #MAX_PENDING} responses are pending or the client is not reading what
 * was written (the socket is not writable), so a pipelining client cannot make the server buffer
 * without bound. Only touched on the connection's event loop.
 */
final class ResponseQueue {
  private static final AttributeKey<ResponseQueue> KEY = AttributeKey.valueOf("tributary.responses");
  /** Where the server counts the times it stopped reading a connection (set per connection). */
  static final AttributeKey<AtomicLong> PAUSES = AttributeKey.valueOf("tributary.readPauses");
  static final int MAX_PENDING = 32;

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
    queue.updateReading();
    return slot;
  }

  /** Called when the connection's writability changes: reading resumes once the client reads. */
  static void writabilityChanged(ChannelHandlerContext ctx) {
    ResponseQueue queue = ctx.channel().attr(KEY).get();
    if (queue != null) {
      queue.updateReading();
    }
  }

  private void updateReading() {
    Channel ch = ctx.channel();
    boolean read = !closed && slots.size() < MAX_PENDING && ch.isWritable();
    if (ch.config().isAutoRead() == read) {
      return;
    }
    ch.config().setAutoRead(read);
    if (!read) {
      AtomicLong pauses = ch.attr(PAUSES).get();
      if (pauses != null) {
        pauses.incrementAndGet();
      }
    }
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
      updateReading();
    }
  }
}
