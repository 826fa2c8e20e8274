package io.tributary.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * listening on loopback only, with its log under the given directory. The directory is formatted on
 * first start and reused afterwards, so topics and offsets survive restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats the directory if needed and starts the broker.
   *
   * @param fsyncEveryBatch flush every appended batch to disk before acknowledging (survives power
   *     loss); otherwise the OS page cache decides (survives a process crash, not power loss)
   */
  public static EmbeddedKafka start(Path logDir, boolean fsyncEveryBatch) {
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
      props.put("log.cleaner.threads", "1");
      props.put("num.network.threads", "2");
      props.put("num.io.threads", "4");
      if (fsyncEveryBatch) {
        props.put("log.flush.interval.messages", "1");
      }
      KafkaConfig config = new KafkaConfig(props, false);
      formatIfNeeded(logDir);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      String bootstrap = "127.0.0.1:" + brokerPort;
      LOG.info("Kafka broker started on {} in {} ms (log dir {})",
          bootstrap, (System.nanoTime() - startNanos) / 1_000_000, logDir);
      return new EmbeddedKafka(server, bootstrap);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Kafka broker in " + logDir, e);
    }
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

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
