package io.tributary.kafka;

import io.tributary.core.Health;
import io.tributary.core.HealthCheck;
import io.tributary.core.WriteGate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaBroker;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * listening on loopback only, with its log under the given directory. The directory is formatted on
 * first start and reused afterwards, so topics and offsets survive restarts.
 *
 * <p>A broker whose log directory fails (typically: the disk is full) would halt the whole JVM, as
 * a stand-alone Kafka does. Here that would take the collector down with it, so the halt is turned
 * into a failed state instead: the broker refuses writes (clients get 503), {@link #health} says
 * why, and the broker restarts by itself on the same ports once the write gate (free disk space)
 * opens again.
 */
public final class EmbeddedKafka implements HealthCheck, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  private static final Set<EmbeddedKafka> RUNNING = ConcurrentHashMap.newKeySet();
  /** How long a stop of a working broker waits for the controller to approve it (normally < 1 s). */
  private static final Duration APPROVAL_WAIT = Duration.ofSeconds(10);
  /** The same after a fatal error, when the approval may never come. */
  private static final Duration APPROVAL_WAIT_FAILED = Duration.ofSeconds(1);

  private final Properties props;
  private final Path logDir;
  private final String bootstrapServers;
  private final WriteGate gate;
  private final ScheduledExecutorService supervisor;
  private volatile KafkaRaftServer server;
  private volatile String failure;
  private volatile boolean closed;

  private EmbeddedKafka(Properties props, Path logDir, KafkaRaftServer server,
      String bootstrapServers, WriteGate gate) {
    this.props = props;
    this.logDir = logDir;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.gate = gate;
    this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tributary-broker-supervisor");
      t.setDaemon(true);
      return t;
    });
    supervisor.scheduleWithFixedDelay(this::restartIfFailed, 1, 1, TimeUnit.SECONDS);
  }

  public static EmbeddedKafka start(Path logDir, boolean fsyncEveryBatch) {
    return start(logDir, fsyncEveryBatch, WriteGate.ALWAYS_OPEN);
  }

  /**
   * Formats the directory if needed and starts the broker.
   *
   * @param fsyncEveryBatch flush every appended batch to disk before acknowledging (survives power
   *     loss); otherwise the OS page cache decides (survives a process crash, not power loss)
   * @param gate after a fatal broker error, the restart waits until this gate is open
   */
  public static EmbeddedKafka start(Path logDir, boolean fsyncEveryBatch, WriteGate gate) {
    long startNanos = System.nanoTime();
    try {
      Files.createDirectories(logDir);
      int[] ports = freePorts(2);
      int brokerPort = ports[0];
      int controllerPort = ports[1];
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", String.valueOf(NODE_ID));
      props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
      props.put("listeners",
          "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("log.dirs", logDir.toAbsolutePath().toString());
      props.put("auto.create.topics.enable", "false");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "4");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      // After a crash the controller fences the dead broker's registration only when its session
      // expires; one node has nobody to fail over to, so keep that wait short.
      props.put("broker.heartbeat.interval.ms", "500");
      props.put("broker.session.timeout.ms", "2500");
      // A controlled shutdown ends with the controller recording the broker as fenced. Without it
      // the next start's registration (a new incarnation) is refused until the old registration's
      // session expires (broker.session.timeout.ms), which cost ~2 s of every restart. One node
      // has nobody to hand leadership to, so approval is quick; the wait for it is bounded (see
      // stop), since a broker whose log dir failed may never get it.
      props.put("controlled.shutdown.enable", "true");
      props.put("log.cleaner.threads", "1");
      props.put("num.network.threads", "2");
      props.put("num.io.threads", "4");
      if (fsyncEveryBatch) {
        props.put("log.flush.interval.messages", "1");
      }
      formatIfNeeded(logDir);
      installHaltHandler();
      KafkaRaftServer server = newServer(props);
      String bootstrap = "127.0.0.1:" + brokerPort;
      LOG.info("Kafka broker started on {} in {} ms (log dir {})",
          bootstrap, (System.nanoTime() - startNanos) / 1_000_000, logDir);
      EmbeddedKafka kafka = new EmbeddedKafka(props, logDir, server, bootstrap, gate);
      RUNNING.add(kafka);
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Kafka broker in " + logDir, e);
    }
  }

  private static KafkaRaftServer newServer(Properties props) {
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    server.startup();
    return server;
  }

  /**
   * Kafka halts the JVM on a fatal broker error (a failed log directory, a failed metadata log
   * write). With no embedded broker running the halt goes ahead; otherwise the running brokers are
   * marked failed (the halt does not say which one) and restart once they can.
   */
  private static synchronized void installHaltHandler() {
    Exit.setHaltProcedure((status, message) -> {
      if (RUNNING.isEmpty()) {
        Runtime.getRuntime().halt(status);
      }
      String reason = "the Kafka broker stopped on a fatal error"
          + (message == null ? "" : " (" + message + ")")
          + "; it restarts by itself once the data disk has room (see the log for the cause)";
      LOG.error("{}", reason);
      RUNNING.forEach(k -> k.failure = reason);
    });
  }

  private void restartIfFailed() {
    if (failure == null || closed) {
      return;
    }
    String closedReason = gate.closedReason();
    if (closedReason != null) {
      LOG.debug("broker restart waits: {}", closedReason);
      return;
    }
    LOG.warn("Restarting the embedded Kafka broker (log dir {})", logDir);
    KafkaRaftServer old = server;
    Thread stopper = new Thread(() -> stop(old, APPROVAL_WAIT_FAILED), "tributary-broker-stop");
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(TimeUnit.SECONDS.toMillis(60));
      if (stopper.isAlive()) {
        LOG.warn("the failed broker did not stop within 60 s; retrying later");
        return;
      }
      server = newServer(props);
      failure = null;
      LOG.info("Embedded Kafka broker restarted on {}", bootstrapServers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("the broker could not restart yet: {}", e.toString());
    }
  }

  @Override
  public String name() {
    return "broker";
  }

  @Override
  public Health health() {
    String f = failure;
    return f == null ? Health.ok("running on " + bootstrapServers) : Health.down(f);
  }

  private static void formatIfNeeded(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    String dir = logDir.toAbsolutePath().toString();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(NODE_ID)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(dir)
          .setDirectories(List.of(dir))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + dir, e);
    }
  }

  /** Distinct free ports: all sockets stay open until every port is chosen, so none repeats. */
  private static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets[i].setReuseAddress(true);
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }

  /**
   * Stops a server, its broker first with at most {@code approvalWait} for the controller to
   * approve the controlled shutdown. {@link KafkaRaftServer#shutdown()} alone would wait up to five
   * minutes for that, and a broker whose log dir failed may never get it; after the wait the
   * broker stops as it would without a controlled shutdown (its log is closed cleanly either way).
   */
  static void stop(KafkaRaftServer server, Duration approvalWait) {
    KafkaBroker broker = brokerOf(server);
    if (broker != null) {
      broker.shutdown(approvalWait);
    }
    server.shutdown();
    server.awaitShutdown();
  }

  /**
   * The broker part of a combined server. Kafka does not expose it; should a later version rename
   * the field, this returns null and {@link #stop} falls back to Kafka's own (longer) wait.
   */
  static KafkaBroker brokerOf(KafkaRaftServer server) {
    try {
      Field field = KafkaRaftServer.class.getDeclaredField("broker");
      field.setAccessible(true);
      if (field.get(server) instanceof scala.Option<?> option && option.isDefined()
          && option.get() instanceof KafkaBroker broker) {
        return broker;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("cannot reach the broker of the Kafka server to bound its shutdown: {}", e.toString());
    }
    return null;
  }

  /** Whether a stop can bound its wait for the controller (see {@link #brokerOf}): for tests. */
  boolean stopIsBounded() {
    return brokerOf(server) != null;
  }

  /** Stops the broker, keeping its ports and data, until {@link #startAgain}: for fault tests. */
  void stopForAWhile() {
    stop(server, APPROVAL_WAIT);
  }

  void startAgain() {
    server = newServer(props);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    closed = true;
    supervisor.shutdownNow();
    try {
      supervisor.awaitTermination(90, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(this);
    stop(server, failure == null ? APPROVAL_WAIT : APPROVAL_WAIT_FAILED);
  }
}
