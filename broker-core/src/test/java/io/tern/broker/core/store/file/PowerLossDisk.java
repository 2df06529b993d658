package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A disk that can lose power. It works on the real directory, and remembers what would survive a
 * power loss under strict POSIX rules: a file's bytes only as of its last {@code force}, and the
 * directory's entries (creations, renames, deletions) only as of its last directory sync. After
 * {@link #cut} every operation fails, as if the machine stopped; {@link #restore} then rewrites the
 * directory to exactly what would be on the platter when it boots again.
 *
 * <p>A force interrupted by the cut may be torn: with {@link #tornForces}, a random prefix of the
 * bytes it was making durable survives.
 */
final class PowerLossDisk implements FileIo {
  /** One file (an inode): what of its content is durable. */
  private static final class Node {
    byte[] durable = new byte[0];
  }

  private final Path directory;
  private final Random random;
  private final Map<String, Node> current = new HashMap<>();
  private Map<String, Node> durable = new HashMap<>();
  private boolean tornForces;
  private boolean dead;
  private int operations;
  private int cutAt = -1;

  PowerLossDisk(Path directory, long seed) throws IOException {
    this.directory = directory;
    this.random = new Random(seed);
    Files.createDirectories(directory);
    for (Path file : files()) {
      Node node = new Node();
      node.durable = Files.readAllBytes(file);
      current.put(name(file), node);
    }
    durable.putAll(current);
  }

  /** Lets the cut tear the force it interrupts. */
  synchronized PowerLossDisk tornForces() {
    tornForces = true;
    return this;
  }

  /** Cuts the power as the {@code count}-th operation that changes the disk from now starts. */
  synchronized void cutAtOperation(int count) {
    cutAt = operations + count;
  }

  /** Cuts the power now: every later operation fails. */
  synchronized void cut() {
    dead = true;
  }

  synchronized boolean isCut() {
    return dead;
  }

  /**
   * Rewrites the directory as the power loss left it, and powers the disk on again. Call it once
   * the log that used the disk is closed.
   */
  synchronized void restore() throws IOException {
    for (Path file : files()) {
      Files.delete(file);
    }
    for (Map.Entry<String, Node> entry : durable.entrySet()) {
      Files.write(directory.resolve(entry.getKey()), entry.getValue().durable);
    }
    current.clear();
    current.putAll(durable);
    dead = false;
    cutAt = -1;
  }

  /** Counts an operation that changes the disk, and fails it if the power is (or goes) off. */
  private void operation(String what) throws IOException {
    operations++;
    if (cutAt >= 0 && operations >= cutAt) {
      dead = true;
    }
    if (dead) {
      throw new IOException("simulated power loss (" + what + ")");
    }
  }

  @Override
  public synchronized FileChannel open(Path file, OpenOption... options) throws IOException {
    List<OpenOption> opts = Arrays.asList(options);
    boolean creates = opts.contains(StandardOpenOption.CREATE) || opts.contains(StandardOpenOption.CREATE_NEW);
    if (dead) {
      throw new IOException("simulated power loss (open)");
    }
    if (creates || opts.contains(StandardOpenOption.WRITE)) {
      operation("open " + name(file));
    }
    // Read access too, so that a force can take a copy of what it makes durable.
    java.util.Set<OpenOption> withRead = new java.util.HashSet<>(opts);
    withRead.add(StandardOpenOption.READ);
    FileChannel channel = FileChannel.open(file, withRead);
    Node node = current.computeIfAbsent(name(file), n -> new Node());
    return new ForwardingFileChannel(channel) {
      @Override
      public int write(ByteBuffer src) throws IOException {
        synchronized (PowerLossDisk.this) {
          operation("write");
          return super.write(src);
        }
      }

      @Override
      public FileChannel truncate(long size) throws IOException {
        synchronized (PowerLossDisk.this) {
          operation("truncate");
          return super.truncate(size);
        }
      }

      @Override
      public void force(boolean metaData) throws IOException {
        synchronized (PowerLossDisk.this) {
          try {
            operation("force");
          } catch (IOException e) {
            if (tornForces && node.durable.length < delegate.size()) {
              // The machine stopped in the middle of this force: part of it reached the platter.
              byte[] now = contentOf(delegate);
              int kept = node.durable.length + random.nextInt(now.length - node.durable.length + 1);
              node.durable = Arrays.copyOf(now, kept);
            }
            throw e;
          }
          super.force(metaData);
          node.durable = contentOf(delegate);
        }
      }
    };
  }

  @Override
  public synchronized void move(Path source, Path target) throws IOException {
    operation("move");
    FileIo.super.move(source, target);
    current.put(name(target), current.remove(name(source)));
  }

  @Override
  public synchronized void delete(Path file) throws IOException {
    operation("delete");
    FileIo.super.delete(file);
    current.remove(name(file));
  }

  @Override
  public synchronized void syncDirectory(Path dir) throws IOException {
    operation("sync directory");
    durable = new HashMap<>(current);
  }

  private static byte[] contentOf(FileChannel channel) throws IOException {
    ByteBuffer all = ByteBuffer.allocate((int) channel.size());
    while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
      // keep reading
    }
    return all.array();
  }

  private List<Path> files() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
        entry -> !entry.getFileName().toString().equals(LogDirectory.LOCK))) {
      return java.util.stream.StreamSupport.stream(entries.spliterator(), false).toList();
    }
  }

  private static String name(Path file) {
    return file.getFileName().toString();
  }
}
