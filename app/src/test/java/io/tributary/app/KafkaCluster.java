package io.tributary.app;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of {@code n} KRaft nodes on loopback, each node its own JVM (see
 * {@link KafkaClusterNode}), so a test can SIGKILL one as a machine failure would.
 */
final class KafkaCluster implements AutoCloseable {
  private final List<Process> nodes = new ArrayList<>();
  private final List<ProcessBuilder> launchers = new ArrayList<>();
  private final List<Integer> brokerPorts = new ArrayList<>();
  private final boolean sasl;

  private KafkaCluster(boolean sasl) {
    this.sasl = sasl;
  }

  static KafkaCluster start(Path dir, int n) throws Exception {
    return start(dir, n, false);
  }

  /** @param sasl clients must authenticate with SASL/PLAIN (see {@link #clientSecurity}) */
  static KafkaCluster start(Path dir, int n, boolean sasl) throws Exception {
    KafkaCluster cluster = new KafkaCluster(sasl);
    try {
      List<Integer> controllerPorts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        cluster.brokerPorts.add(ChildTributary.freePort());
        controllerPorts.add(ChildTributary.freePort());
      }
      String voters = java.util.stream.IntStream.range(0, n)
          .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
          .collect(Collectors.joining(","));
      String clusterId = Uuid.randomUuid().toString();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int i = 0; i < n; i++) {
        Path nodeDir = dir.resolve("node-" + (i + 1));
        Files.createDirectories(nodeDir);
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp",
            System.getProperty("java.class.path"), KafkaClusterNode.class.getName(),
            String.valueOf(i + 1), nodeDir.resolve("log").toString(), clusterId,
            String.valueOf(cluster.brokerPorts.get(i)), String.valueOf(controllerPorts.get(i)), voters,
            sasl ? "sasl" : "plain");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + (i + 1) + ".log")
            .toFile()));
        cluster.launchers.add(pb);
        cluster.nodes.add(pb.start());
      }
      cluster.awaitBrokers(n);
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  String bootstrap() {
    return brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  Admin admin() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap());
    p.putAll(clientSecurity(KafkaClusterNode.SASL_PASSWORD));
    return Admin.create(p);
  }

  /** The client settings this cluster needs (none without SASL), with the given password. */
  java.util.Map<String, String> clientSecurity(String password) {
    if (!sasl) {
      return java.util.Map.of();
    }
    return java.util.Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"" + KafkaClusterNode.SASL_USER + "\" password=\"" + password + "\";");
  }

  /** Waits until this many brokers are registered and unfenced. */
  void awaitBrokers(int count) {
    try (Admin admin = admin()) {
      await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == count);
    }
  }

  /** SIGKILL of node {@code i} (0-based): no controlled shutdown, no flush. */
  void kill(int i) throws InterruptedException {
    Process p = nodes.get(i);
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("kafka node " + (i + 1) + " did not die within 30 s of SIGKILL");
    }
  }

  /** Starts a killed node again on its ports and log dir, and waits until all nodes are back. */
  void restart(int i) throws Exception {
    if (nodes.get(i).isAlive()) {
      throw new IllegalStateException("kafka node " + (i + 1) + " is running");
    }
    nodes.set(i, launchers.get(i).start());
    awaitBrokers(nodes.size());
  }

  @Override
  public void close() {
    for (Process p : nodes) {
      p.destroyForcibly();
    }
    for (Process p : nodes) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
