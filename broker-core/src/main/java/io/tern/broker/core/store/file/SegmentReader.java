package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one log file from the start, checking its header and every record, and hands each valid
 * record on. It stops at the first record that is cut short or fails its checks and reports where
 * the valid part ends; deciding what to do about the rest is {@link Recovery}'s job. Used by one
 * thread at a time.
 */
final class SegmentReader {
  private static final int INITIAL_BUFFER = 1 << 20;

  /** Receives the records of a file in order. */
  interface Sink {
    void accept(LogRecord record);
  }

  /**
   * What one file held.
   *
   * @param header the header, or null when it is missing or damaged
   * @param records how many valid records were handed on (a snapshot's end mark not counted)
   * @param validEnd the offset just past the last valid record (0 when the header is invalid)
   * @param size the file's size
   * @param problem why reading stopped before the end of the file, or null when it did not
   * @param ended whether a snapshot's end mark was read and agreed with the record count
   */
  record Result(SegmentHeader header, long records, long validEnd, long size, String problem, boolean ended) {
    boolean clean() {
      return problem == null;
    }
  }

  private final FileIo io;
  private final RecordCodec codec;
  private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_BUFFER);

  SegmentReader(FileIo io, RecordCodec codec) {
    this.io = io;
    this.codec = codec;
  }

  /**
   * Reads the file.
   *
   * @throws IOException when it cannot be read, or when it holds a valid record or header of a
   *     newer format than this build reads
   */
  Result read(Path file, Sink sink) throws IOException {
    try (FileChannel channel = io.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      buffer.clear().flip();
      if (!fill(channel, SegmentHeader.SIZE)) {
        return new Result(null, 0, 0, size, "header cut short at " + size + " bytes", false);
      }
      SegmentHeader header;
      try {
        header = SegmentHeader.decode(buffer);
      } catch (CorruptRecordException e) {
        return new Result(null, 0, 0, size, e.getMessage(), false);
      }
      buffer.position(buffer.position() + SegmentHeader.SIZE);
      long position = SegmentHeader.SIZE;
      long records = 0;
      boolean ended = false;
      while (position < size) {
        String problem = null;
        if (ended) {
          problem = "records after the snapshot's end mark";
        } else if (size - position < RecordCodec.FRAME_HEADER) {
          problem = "torn record: " + (size - position) + " bytes at the end";
        }
        if (problem != null) {
          return new Result(header, records, position, size, problem, ended);
        }
        if (!fill(channel, RecordCodec.FRAME_HEADER)) {
          return new Result(header, records, position, size, "file shrank while being read", false);
        }
        int start = buffer.position();
        LogRecord record;
        int frame;
        try {
          frame = RecordCodec.FRAME_HEADER + codec.bodyLength(buffer, start);
          if (frame > size - position) {
            return new Result(header, records, position, size,
                "torn record: " + frame + " bytes announced, " + (size - position) + " present", false);
          }
          if (!fill(channel, frame)) {
            return new Result(header, records, position, size, "file shrank while being read", false);
          }
          start = buffer.position();
          record = codec.read(buffer, start, frame - RecordCodec.FRAME_HEADER);
        } catch (CorruptRecordException e) {
          return new Result(header, records, position, size, e.getMessage(), false);
        }
        buffer.position(start + frame);
        position += frame;
        if (record instanceof SnapshotEnd end) {
          if (end.records() != records) {
            return new Result(header, records, position - frame, size,
                "snapshot end mark counts " + end.records() + " records, found " + records, false);
          }
          ended = true;
        } else {
          sink.accept(record);
          records++;
        }
      }
      return new Result(header, records, position, size, null, ended);
    }
  }

  /**
   * Makes the buffer hold at least {@code needed} bytes from its position, reading more of the
   * file (and growing the buffer for a large record) as needed.
   *
   * @return false when the file ends first
   */
  private boolean fill(FileChannel channel, int needed) throws IOException {
    if (buffer.remaining() >= needed) {
      return true;
    }
    if (buffer.capacity() < needed) {
      ByteBuffer larger = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
      larger.put(buffer);
      buffer = larger;
    } else {
      buffer.compact();
    }
    while (buffer.hasRemaining() && channel.read(buffer) > 0) {
      // keep reading: a file channel may return fewer bytes than asked
    }
    buffer.flip();
    return buffer.remaining() >= needed;
  }
}
