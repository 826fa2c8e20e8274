package io.tributary.lake;

import io.tributary.core.RetriableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The lake in a local directory. Objects are written to a hidden temporary file, fsynced, then renamed
 * into place, and the directory is fsynced, so a published file is complete and survives power loss.
 */
public final class LocalLakeStore implements LakeStore {
  private final Path root;

  public LocalLakeStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void put(String path, byte[] data) {
    Path target = resolve(path);
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        var buffer = java.nio.ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(dir);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the temp file is hidden and harmless; the next put of this path replaces the target
      }
      throw new RetriableException("cannot write " + target + ": " + e, e);
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory; the rename is still atomic there.
    }
  }

  @Override
  public Optional<byte[]> get(String path) {
    Path file = resolve(path);
    if (Files.isDirectory(file)) {
      return Optional.empty(); // a prefix of other objects, as in a bucket, is not an object
    }
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RetriableException("cannot read " + path + ": " + e, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    LakePaths.checkPrefix(prefix);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString().replace('\\', '/'))
          .filter(p -> p.startsWith(prefix) && !p.substring(p.lastIndexOf('/') + 1).startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new RetriableException("cannot list " + root + ": " + e, e);
    }
  }

  @Override
  public String location() {
    return root.toString();
  }

  private Path resolve(String path) {
    Path p = root.resolve(LakePaths.check(path)).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      // unreachable after the check; kept so that no future rule change can write outside the root
      throw new IllegalArgumentException("lake path must stay inside the lake: '" + path + "'");
    }
    return p;
  }
}
