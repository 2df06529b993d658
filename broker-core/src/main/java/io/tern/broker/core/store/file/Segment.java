package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One log file open for appending: a segment of the log, or a snapshot being written. Owned by
 * the writer thread.
 */
final class Segment implements AutoCloseable {
  private final Path path;
  private final long sequence;
  private final FileChannel channel;
  private long size;

  private Segment(Path path, long sequence, FileChannel channel, long size) {
    this.path = path;
    this.sequence = sequence;
    this.channel = channel;
    this.size = size;
  }

  /**
   * Creates the file with its header and forces it; the caller makes the directory entry durable.
   * A file left at this path by an earlier failed attempt is replaced.
   */
  static Segment create(FileIo io, Path path, SegmentHeader.Kind kind, long sequence) throws IOException {
    FileChannel channel = io.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    try {
      Segment segment = new Segment(path, sequence, channel, 0);
      segment.write(new SegmentHeader(kind, sequence, System.currentTimeMillis()).encode());
      segment.force();
      return segment;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  Path path() {
    return path;
  }

  long sequence() {
    return sequence;
  }

  /** Bytes in the file, header included. */
  long size() {
    return size;
  }

  /** Appends the buffer's remaining bytes; the buffer is consumed. */
  void write(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      size += channel.write(bytes);
    }
  }

  /** Makes every byte written so far durable (data and the size needed to read it). */
  void force() throws IOException {
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
