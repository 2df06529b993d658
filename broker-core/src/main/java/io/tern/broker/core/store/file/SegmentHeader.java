package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The 32 bytes that open every log file: magic {@code "TRNL"}, format version, kind, sequence
 * number, creation time, checksum. See {@code docs/storage-format.md}.
 *
 * @param kind whether the file is a segment of the log or a snapshot replacing older segments
 * @param sequence the segment sequence number; a snapshot carries the number of the last segment
 *     it replaces
 * @param created when the file was created, in epoch milliseconds (informative only)
 */
record SegmentHeader(Kind kind, long sequence, long created) {
  static final int SIZE = 32;
  static final int MAGIC = 0x54524E4C; // "TRNL"
  /** The format version this build writes and the newest it reads. */
  static final int FORMAT_VERSION = 1;

  enum Kind {
    SEGMENT(1), SNAPSHOT(2);

    final int code;

    Kind(int code) {
      this.code = code;
    }
  }

  ByteBuffer encode() {
    ByteBuffer out = ByteBuffer.allocate(SIZE);
    out.putInt(MAGIC).putShort((short) FORMAT_VERSION).put((byte) kind.code).put((byte) 0)
        .putLong(sequence).putLong(created).putInt(0);
    out.putInt(checksum(out));
    return out.flip();
  }

  /**
   * Reads a header.
   *
   * @throws CorruptRecordException when the bytes are not a valid header (torn or damaged)
   * @throws IOException when it is a valid header of a newer format than this build reads
   */
  static SegmentHeader decode(ByteBuffer in) throws CorruptRecordException, IOException {
    if (in.remaining() < SIZE) {
      throw new CorruptRecordException("header cut short at " + in.remaining() + " bytes");
    }
    ByteBuffer header = in.slice().limit(SIZE);
    if (header.getInt(0) != MAGIC) {
      throw new CorruptRecordException("not a Tern log file (bad magic)");
    }
    if (header.getInt(28) != checksum(header.duplicate().position(SIZE - 4))) {
      throw new CorruptRecordException("header checksum mismatch");
    }
    int version = header.getShort(4) & 0xFFFF;
    if (version > FORMAT_VERSION || version == 0) {
      throw new IOException("log format version " + version + " was written by a newer version of Tern"
          + " (this one reads up to " + FORMAT_VERSION + ")");
    }
    int kindCode = header.get(6);
    Kind kind = kindCode == Kind.SEGMENT.code ? Kind.SEGMENT : kindCode == Kind.SNAPSHOT.code ? Kind.SNAPSHOT : null;
    if (kind == null) {
      throw new CorruptRecordException("unknown file kind " + kindCode);
    }
    return new SegmentHeader(kind, header.getLong(8), header.getLong(16));
  }

  /** The checksum of the bytes before {@code buffer}'s position. */
  private static int checksum(ByteBuffer buffer) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate().flip());
    return (int) crc.getValue();
  }
}
