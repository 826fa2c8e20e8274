package io.tributary.app;

import io.tributary.collector.ApiHandler;
import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.warehouse.DuckDbWarehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loader role of a split deployment, which may find its DuckDB file held by another loader
 * process (DuckDB allows one writer per file). It then waits as a hot standby, trying the lock every
 * second, and takes over as soon as the active loader stops or dies (the OS releases the lock): the
 * loader stages start from the offsets stored in the file, so nothing is loaded twice or skipped.
 * Until then its admin API answers 503.
 */
final class LoaderStandby implements HealthCheck, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoaderStandby.class);
  private static final long RETRY_MILLIS = 1_000;

  private final Path file;
  private final Function<DuckDbWarehouse, Map<String, ApiHandler>> activate;
  private final Thread waiter;
  private volatile Map<String, ApiHandler> routes;
  private final DuckDbWarehouse.Options options;
  private volatile String waitingFor;
  private boolean closed;

  /**
   * Opens the file now if it is free, else starts waiting for it.
   *
   * @param activate starts the loader on the opened warehouse and returns its admin API routes
   */
  static LoaderStandby start(Path file, DuckDbWarehouse.Options options,
      Function<DuckDbWarehouse, Map<String, ApiHandler>> activate) {
    LoaderStandby standby = new LoaderStandby(file, options, activate);
    if (!standby.tryActivate()) {
      LOG.info("loader standby: {}", standby.waitingFor);
      standby.waiter.start();
    }
    return standby;
  }

  private LoaderStandby(Path file, DuckDbWarehouse.Options options,
      Function<DuckDbWarehouse, Map<String, ApiHandler>> activate) {
    this.file = file;
    this.options = options;
    this.activate = activate;
    this.waiter = new Thread(this::waitForLock, "tributary-loader-standby");
    waiter.setDaemon(true);
  }

  private void waitForLock() {
    try {
      while (!tryActivate()) {
        TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      waitingFor = "the loader could not take over: " + e.getMessage();
      LOG.error("loader standby: {}", waitingFor, e);
    }
  }

  /** Whether this instance is (now) the active loader; false while another process has the file. */
  private synchronized boolean tryActivate() {
    if (closed) {
      return true;
    }
    DuckDbWarehouse warehouse;
    try {
      warehouse = DuckDbWarehouse.open(file, options);
    } catch (RuntimeException e) {
      if (!DuckDbWarehouse.isLockedByAnotherProcess(e)) {
        throw e;
      }
      waitingFor = "standby: " + file + " is held by another loader process; this one takes over"
          + " when that one stops";
      return false;
    }
    if (waitingFor != null) {
      LOG.info("loader standby: took over {}", file);
    }
    routes = activate.apply(warehouse);
    waitingFor = null;
    return true;
  }

  /** Routes that reach the active loader's admin API, or answer 503 while this one waits. */
  ApiHandler route(String path) {
    return request -> {
      Map<String, ApiHandler> active = routes;
      if (active == null) {
        return new ApiHandler.ApiResponse(503, ("{\"error\":\"this loader is a standby: "
            + "send admin requests to the active loader\"}").getBytes(StandardCharsets.UTF_8));
      }
      return active.get(path).handle(request);
    };
  }

  boolean active() {
    return routes != null;
  }

  @Override
  public String name() {
    return "loader-lock";
  }

  /** Healthy either way: a standby is doing its job. */
  @Override
  public Health health() {
    String w = waitingFor;
    return Health.ok(w != null ? w : "this process holds " + file);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    waiter.interrupt();
  }
}
