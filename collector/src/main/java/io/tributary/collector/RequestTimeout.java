package io.tributary.collector;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Limits the time from the first byte of a request until its last one: a client trickling a
 * header byte every few seconds (slowloris) never lets the idle timeout fire, so it gets 408 and
 * its connection is closed. One instance per connection, touched only on its event loop; its
 * {@link #firstByte()} handler sits before the HTTP decoder, {@link #lastByte()} after it.
 */
final class RequestTimeout {
  private final long timeoutNanos;
  private ScheduledFuture<?> timer;
  private boolean expired;

  RequestTimeout(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  ChannelInboundHandlerAdapter firstByte() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (expired) {
          ReferenceCountUtil.release(msg); // answered 408: the rest of the request is not read
          return;
        }
        if (timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
          ChannelHandlerContext after = ctx.pipeline().context(End.class);
          timer = ctx.executor().schedule(() -> expire(after), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
      }
    };
  }

  ChannelInboundHandlerAdapter lastByte() {
    return new End();
  }

  /** Sees decoded messages: a last content (or a message that failed to decode) ends the request. */
  private final class End extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof LastHttpContent
          || (msg instanceof DecoderResultProvider d && d.decoderResult().isFailure())) {
        cancel();
      }
      ctx.fireChannelRead(msg);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (ctx == null || !ctx.channel().isActive()) {
      return;
    }
    expired = true;
    // Written after the HTTP encoder's position so the response is encoded; then closed.
    new Exchange(ResponseQueue.reserve(ctx), false, null).respond(HttpResponseStatus.REQUEST_TIMEOUT,
        Responses.error("request not received in full within "
            + Duration.ofNanos(timeoutNanos).toMillis() + " ms of its first byte"));
  }
}
