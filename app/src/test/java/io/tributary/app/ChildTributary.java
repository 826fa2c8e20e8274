package io.tributary.app;

import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code tributary run} in a child JVM, so a test can kill it like an operator (or the OOM killer) would. */
final class ChildTributary {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;

  private ChildTributary(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the child and waits until it answers {@code /health}. Output goes to {@code log}. */
  static ChildTributary start(Path config, int port, Path log, String... runArgs)
      throws Exception {
    ChildTributary child = launchChild(config, port, log, runArgs);
    child.waitHealthy();
    return child;
  }

  /** Starts the child without waiting; {@link #waitHealthy} waits. */
  static ChildTributary launchChild(Path config, int port, Path log, String... runArgs)
      throws Exception {
    return new ChildTributary(launch(config, log, runArgs), port);
  }

  /** Starts the child with these JVM options and waits until it answers {@code /health}. */
  static ChildTributary start(java.util.List<String> jvmOptions, Path config, int port, Path log)
      throws Exception {
    ChildTributary child = new ChildTributary(launch(jvmOptions, config, log), port);
    child.waitHealthy();
    return child;
  }

  /** Starts the child without waiting for it. */
  static Process launch(Path config, Path log, String... runArgs) throws Exception {
    return launch(java.util.List.of(), config, log, runArgs);
  }

  /** Starts the child, with these JVM options, without waiting for it. */
  static Process launch(java.util.List<String> jvmOptions, Path config, Path log,
      String... runArgs) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // A temp dir of the test's own: the child's native library copies go there (and with the
    // test's dir), and its start-up sweep of left-over copies touches nothing outside the test.
    Path tmp = java.nio.file.Files.createDirectories(log.toAbsolutePath().resolveSibling("jvm-tmp"));
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xmx1g",
        "-Djava.io.tmpdir=" + tmp));
    command.addAll(jvmOptions); // after the default: the last -D of a name wins
    command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"),
        "io.tributary.app.Main", "run", "--config", config.toString()));
    command.addAll(java.util.List.of(runArgs));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  int port() {
    return port;
  }

  void waitHealthy() {
    await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("tributary exited with " + process.exitValue());
          }
          return get("/health").statusCode() == 200;
        });
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the child did not die within 30 s of SIGKILL");
    }
  }

  /** SIGTERM: the graceful stop publishes the last lake files and load batch. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child did not stop within 60 s of SIGTERM");
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
