package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every file system operation the log makes that matters for durability, in one place, so that
 * tests can count forces, fail a chosen step or simulate a power loss. {@link #DEFAULT} is the
 * real file system.
 */
public interface FileIo {
  FileIo DEFAULT = new FileIo() {};

  /** Windows cannot open a directory as a channel, and needs no directory sync. */
  boolean DIRECTORY_SYNC = !System.getProperty("os.name", "").startsWith("Windows");

  default FileChannel open(Path file, OpenOption... options) throws IOException {
    return FileChannel.open(file, options);
  }

  /** Renames a file, replacing the target, as one atomic step. */
  default void move(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  default void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /**
   * Makes the directory's entries durable: creations, renames and deletions done so far survive a
   * power loss. Platforms that cannot open a directory (Windows) make them durable on their own.
   */
  default void syncDirectory(Path directory) throws IOException {
    if (DIRECTORY_SYNC) {
      try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
        channel.force(true);
      }
    }
  }
}
