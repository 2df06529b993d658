package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;

/**
 * The log's directory: how its files are named, which of them exist, and the lock that keeps a
 * second log (in this process or another) out of it.
 *
 * <p>Names: {@code <sequence>.seg} for a segment, {@code <sequence>.snap} for a snapshot replacing
 * every segment up to that sequence, {@code <sequence>.snap.tmp} for a snapshot being written,
 * with the sequence as 20 decimal digits so that names sort by number. Other files are ignored.
 */
final class LogDirectory implements AutoCloseable {
  static final String SEGMENT = ".seg";
  static final String SNAPSHOT = ".snap";
  static final String TEMPORARY = ".snap.tmp";
  static final String LOCK = "tern.lock";

  private final Path path;
  private final FileIo io;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private LogDirectory(Path path, FileIo io, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.io = io;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Creates the directory if needed and locks it.
   *
   * @throws IOException naming the directory and the cause when it cannot be created or written,
   *     or when another log holds it
   */
  static LogDirectory open(Path path, FileIo io) throws IOException {
    Path absolute = path.toAbsolutePath();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new IOException("Cannot use " + absolute + " as the data directory: it is not a directory");
    }
    FileChannel channel;
    try {
      Files.createDirectories(absolute);
      channel = FileChannel.open(absolute.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | SecurityException e) {
      throw new IOException("Cannot use " + absolute + " as the data directory: " + describe(e), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw new IOException("Cannot lock the data directory " + absolute + ": " + describe(e), e);
    }
    if (lock == null) {
      channel.close();
      throw new IOException("The data directory " + absolute + " is in use by another broker");
    }
    return new LogDirectory(absolute, io, channel, lock);
  }

  /**
   * The exception's message, led by its kind when that says what the message does not: an
   * {@code AccessDeniedException}'s message is only the path.
   */
  static String describe(Throwable e) {
    Class<?> type = e.getClass();
    if (e.getMessage() != null && (type == IOException.class || type == FileSystemException.class)) {
      return e.getMessage();
    }
    String kind = type.getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
  }

  Path path() {
    return path;
  }

  FileIo io() {
    return io;
  }

  Path segment(long sequence) {
    return path.resolve(name(sequence) + SEGMENT);
  }

  Path snapshot(long sequence) {
    return path.resolve(name(sequence) + SNAPSHOT);
  }

  Path temporarySnapshot(long sequence) {
    return path.resolve(name(sequence) + TEMPORARY);
  }

  private static String name(long sequence) {
    return String.format("%020d", sequence);
  }

  /** The files with this suffix, by sequence number. */
  TreeMap<Long, Path> list(String suffix) throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.length() == 20 + suffix.length() && name.endsWith(suffix)) {
          try {
            files.put(Long.parseLong(name.substring(0, 20)), entry);
          } catch (NumberFormatException e) {
            // not ours
          }
        }
      }
    }
    return files;
  }

  void delete(Path file) throws IOException {
    io.delete(file);
  }

  void sync() throws IOException {
    io.syncDirectory(path);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
