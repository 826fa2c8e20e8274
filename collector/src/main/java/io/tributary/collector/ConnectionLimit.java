package io.tributary.collector;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts open connections; one over the limit is answered 503 and closed before anything is read. */
final class ConnectionLimit {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private final ChannelHandler reject;

  ConnectionLimit(int max) {
    this.max = max;
    byte[] body = Responses.error("too many connections (limit " + max + "), retry later");
    String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
    byte[] response = new byte[head.length() + body.length];
    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, response, 0, head.length());
    System.arraycopy(body, 0, response, head.length(), body.length);
    this.reject = new Reject(response);
  }

  /** Counts {@code ch} until it closes; false when it is over the limit and must be rejected. */
  boolean admit(Channel ch) {
    int now = open.incrementAndGet();
    ch.closeFuture().addListener(f -> open.decrementAndGet());
    if (now <= max) {
      return true;
    }
    long last = lastWarning.get();
    if (System.nanoTime() - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, System.nanoTime())) {
      LOG.warn("connection limit of {} reached: new connections get 503 (http.max_connections)", max);
    }
    return false;
  }

  /** The pipeline of a rejected connection: no HTTP decoding, a fixed answer, then close. */
  ChannelHandler reject() {
    return reject;
  }

  int open() {
    return open.get();
  }

  @ChannelHandler.Sharable
  private static final class Reject extends ChannelInboundHandlerAdapter {
    private final byte[] response;

    Reject(byte[] response) {
      this.response = response;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
