package io.tributary.app;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One node (broker and controller) of a real multi-node KRaft Kafka cluster, run as its own JVM by
 * {@link KafkaCluster} so that a test can SIGKILL it. Arguments: node id, log dir, cluster id,
 * broker port, controller port, the quorum voters ({@code id@host:port,...}), and optionally
 * {@code sasl}: clients then authenticate with SASL/PLAIN ({@link #SASL_USER} / {@link #SASL_PASSWORD}).
 */
public final class KafkaClusterNode {
  static final String SASL_USER = "tributary";
  static final String SASL_PASSWORD = "tributary-secret-1";

  private KafkaClusterNode() {}

  public static void main(String[] args) throws Exception {
    int nodeId = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    String clusterId = args[2];
    int brokerPort = Integer.parseInt(args[3]);
    int controllerPort = Integer.parseInt(args[4]);
    String voters = args[5];
    boolean sasl = args.length > 6 && args[6].equals("sasl");
    int nodes = voters.split(",").length;
    Files.createDirectories(dir);
    if (!Files.exists(dir.resolve("meta.properties"))) {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(clusterId)
          .setNodeId(nodeId)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(dir.toString())
          .setDirectories(List.of(dir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    }
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", voters);
    String listener = sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
    p.put("listeners", listener + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
        + controllerPort);
    p.put("advertised.listeners", listener + "://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", listener);
    p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
    if (sasl) {
      p.put("sasl.enabled.mechanisms", "PLAIN");
      p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" "
              + "password=\"broker-secret\" user_broker=\"broker-secret\" user_" + SASL_USER
              + "=\"" + SASL_PASSWORD + "\";");
    }
    p.put("log.dirs", dir.toString());
    p.put("auto.create.topics.enable", "false");
    // Production-like replication for Kafka's own topics too: the group offsets must survive a node.
    p.put("offsets.topic.replication.factor", String.valueOf(Math.min(3, nodes)));
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", String.valueOf(Math.min(3, nodes)));
    p.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, nodes)));
    p.put("group.initial.rebalance.delay.ms", "0");
    // A killed node is fenced after this long, so leadership moves within seconds.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "3000");
    p.put("replica.lag.time.max.ms", "5000");
    p.put("num.network.threads", "1");
    p.put("num.io.threads", "2");
    p.put("log.cleaner.threads", "1");
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
    server.startup();
    System.out.println("kafka node " + nodeId + " started on 127.0.0.1:" + brokerPort);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      server.awaitShutdown();
    }));
    server.awaitShutdown();
  }
}
