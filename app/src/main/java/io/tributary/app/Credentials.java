package io.tributary.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The sources (write keys) and admin token in force. Taken from the config when it declares them;
 * otherwise generated on first start and kept in {@code <data-dir>/credentials.json} (mode 600).
 */
public record Credentials(
    @JsonProperty("admin_token") String adminToken, List<TributaryConfig.Source> sources) {
  static final String FILE = "credentials.json";

  public Credentials {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Reads or creates the data dir's credentials, then lets the config override them. */
  public static Credentials resolve(TributaryConfig config, PrintStream out) {
    Path file = config.dataPath().resolve(FILE);
    Credentials stored = read(file);
    boolean changed = false;
    String token = stored == null ? null : stored.adminToken();
    List<TributaryConfig.Source> sources = stored == null ? List.of() : stored.sources();
    if (token == null && config.adminToken() == null) {
      token = randomSecret("tat_");
      changed = true;
      // Not printed: console output often ends up in logs. Local commands read it from the file.
      out.println("Created an admin token for /api/* (bin/tributary query and replay read it from "
          + "the file below)");
    }
    if (sources.isEmpty() && config.sources().isEmpty()) {
      sources = List.of(new TributaryConfig.Source("default", randomSecret("twk_")));
      changed = true;
      out.println("Created source 'default' with write key: " + sources.get(0).writeKey());
    }
    if (changed) {
      write(file, new Credentials(token, sources));
      out.println("Stored in " + file.toAbsolutePath().normalize() + " (declare sources and admin_token in the "
          + "config file to choose them yourself)");
    }
    return new Credentials(
        config.adminToken() != null ? config.adminToken() : token,
        config.sources().isEmpty() ? sources : config.sources());
  }

  /** The admin token a client should send: the config's, else the data dir's; null when none. */
  static String adminToken(TributaryConfig config) {
    if (config.adminToken() != null) {
      return config.adminToken();
    }
    Credentials stored = read(config.dataPath().resolve(FILE));
    return stored == null ? null : stored.adminToken();
  }

  /** The first source's write key: the config's, else the data dir's; null when none. */
  static String firstWriteKey(TributaryConfig config) {
    if (!config.sources().isEmpty()) {
      return config.sources().get(0).writeKey();
    }
    Credentials stored = read(config.dataPath().resolve(FILE));
    return stored == null || stored.sources().isEmpty() ? null : stored.sources().get(0).writeKey();
  }

  /** The stored credentials, or null when the data dir has none. */
  public static Credentials read(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), Credentials.class);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, Credentials credentials) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(FILE + ".tmp");
      Files.deleteIfExists(temp);
      try {
        // Owner-only from creation: the secrets are never readable by others, not even briefly.
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(temp);
      }
      Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(credentials));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ConfigException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String randomSecret(String prefix) {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }
}
