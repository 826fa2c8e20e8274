package io.tributary.collector;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tributary.core.HealthCheck;
import io.tributary.core.RawSink;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the Segment-compatible collection API under {@code /v1/}, {@code /health},
 * {@code /ready}, and the API routes given to it under {@code /api/}.
 */
public final class HttpCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpCollector.class);

  /** API requests waiting for a worker beyond this many get 503 (a flood must not queue unbounded). */
  static final int API_QUEUE = 64;
  private static final int API_WORKERS = 4;
  static final int MAX_LINE_BYTES = 8192;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final EventLoopGroup group;
  private final ExecutorService apiWorkers;
  private final Channel serverChannel;
  private final ConnectionLimit connections;
  private final BufferBudget budget;
  private final AtomicLong readPauses;

  private HttpCollector(EventLoopGroup group, ExecutorService apiWorkers, Channel serverChannel,
      ConnectionLimit connections, BufferBudget budget, AtomicLong readPauses) {
    this.group = group;
    this.apiWorkers = apiWorkers;
    this.serverChannel = serverChannel;
    this.connections = connections;
    this.budget = budget;
    this.readPauses = readPauses;
  }

  /**
   * Binds and starts serving.
   *
   * @param apiRoutes handlers by exact path (e.g. {@code /api/query})
   * @param healthChecks read on each {@code /ready}
   */
  public static HttpCollector start(CollectorSettings settings, RawSink sink, WriteKeys writeKeys,
      Map<String, ApiHandler> apiRoutes, Supplier<List<HealthCheck>> healthChecks, Clock clock) {
    return start(settings, SnowplowSettings.disabled(), sink, writeKeys, apiRoutes, healthChecks,
        clock);
  }

  /**
   * Starts with the Snowplow endpoints too (when enabled in {@code snowplow}).
   *
   * @param sink where collected requests go; null for a process that does not collect (it serves
   *     only {@code /health}, {@code /ready} and the API routes, and answers 404 to collection paths)
   */
  public static HttpCollector start(CollectorSettings settings, SnowplowSettings snowplow,
      RawSink sink, WriteKeys writeKeys, Map<String, ApiHandler> apiRoutes,
      Supplier<List<HealthCheck>> healthChecks, Clock clock) {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(settings.ioThreads(), NioIoHandler.newFactory());
    ExecutorService apiWorkers = new ThreadPoolExecutor(API_WORKERS, API_WORKERS, 0,
        TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(API_QUEUE), r -> {
          Thread t = new Thread(r, "tributary-api");
          t.setDaemon(true);
          return t;
        });
    RequestHandler handler = new RequestHandler(settings, snowplow, sink, writeKeys, apiRoutes,
        healthChecks, apiWorkers, clock);
    int bodyLimit = snowplow.enabled()
        ? Math.max(settings.maxRequestBytes(), snowplow.maxRequestBytes()) : settings.maxRequestBytes();
    int idleSeconds = (int) Math.max(1, settings.idleTimeout().toSeconds());
    ConnectionLimit connections = new ConnectionLimit(settings.maxConnections());
    BufferBudget budget = new BufferBudget(Math.max(settings.maxBufferedBytes(), bodyLimit));
    AtomicLong readPauses = new AtomicLong();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (!connections.admit(ch)) {
              ch.pipeline().addLast(connections.reject());
              return;
            }
            ch.attr(ResponseQueue.PAUSES).set(readPauses);
            RequestTimeout timeout = new RequestTimeout(settings.requestTimeout());
            ch.pipeline()
                .addLast(new IdleStateHandler(0, 0, idleSeconds) {
                  @Override
                  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                    ctx.close();
                  }
                })
                .addLast(timeout.firstByte())
                .addLast(new HttpServerCodec(MAX_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                .addLast(timeout.lastByte())
                // Bounded: inflating past the body limit fails fast (a gzip bomb gets a 413).
                .addLast(new BoundedDecompressor(bodyLimit, handler))
                .addLast(new BudgetHandler(budget, bodyLimit))
                .addLast(new LimitedAggregator(bodyLimit, handler))
                .addLast(handler);
          }
        });
    try {
      Channel channel = bootstrap.bind(settings.bind(), settings.port()).sync().channel();
      LOG.info("Collector listening on http://{}:{}", settings.bind(),
          ((InetSocketAddress) channel.localAddress()).getPort());
      return new HttpCollector(group, apiWorkers, channel, connections, budget, readPauses);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      apiWorkers.shutdownNow();
      throw new IllegalStateException("cannot listen on " + settings.bind() + ":" + settings.port()
          + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Connections open now (including ones being rejected over the limit). */
  int openConnections() {
    return connections.open();
  }

  /** Body bytes held now while requests are received, and the most ever held at once. */
  long bufferedBytes() {
    return budget.used();
  }

  long peakBufferedBytes() {
    return budget.peak();
  }

  /** Times a connection stopped being read because its responses were not being taken. */
  long readPauses() {
    return readPauses.get();
  }

  long bufferRefusals() {
    return budget.refusals();
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    apiWorkers.shutdownNow();
  }
}
