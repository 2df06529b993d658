package io.tern.broker.core.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one packet body from a buffer region, throwing {@link Malformed} when a
 * field runs past the region or is not well-formed.
 *
 * <p>Reused for every packet of a connection, so the strict UTF-8 decoder and its char buffer are
 * allocated once, not per string.
 */
final class BodyReader {
  /** Where a field runs past the end of the remaining length. */
  static final String TRUNCATED = "remaining-length-mismatch";

  // REPORT, not the default REPLACE: a malformed string must fail the packet [MQTT-1.5.3-1].
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private CharBuffer chars = CharBuffer.allocate(256);

  private ByteBuffer buf;
  private int cursor;
  private int end;

  /** Starts reading {@code buf} from absolute index {@code from} up to {@code end}, exclusive. */
  void reset(ByteBuffer buf, int from, int end) {
    this.buf = buf;
    this.cursor = from;
    this.end = end;
  }

  /** Forgets the buffer, so a connection's last input is not kept reachable. */
  void release() {
    buf = null;
  }

  int remaining() {
    return end - cursor;
  }

  int position() {
    return cursor;
  }

  int readByte() {
    require(1);
    return buf.get(cursor++) & 0xFF;
  }

  /** A four-byte integer, unsigned, hence a long. */
  long readFourByteInteger() {
    require(4);
    long value = buf.getInt(cursor) & 0xFFFF_FFFFL;
    cursor += 4;
    return value;
  }

  /**
   * Confines reading to the next {@code length} bytes, so that a field overrunning an MQTT 5
   * property block is caught even where the packet goes on. Returns the end to {@link #restore}.
   */
  int confine(int length) {
    int outer = end;
    end = cursor + length;
    return outer;
  }

  /** Undoes {@link #confine}. */
  void restore(int outerEnd) {
    end = outerEnd;
  }

  int readUnsignedShort() {
    require(2);
    int value = ((buf.get(cursor) & 0xFF) << 8) | (buf.get(cursor + 1) & 0xFF);
    cursor += 2;
    return value;
  }

  /** A packet identifier, which must be non-zero [MQTT-2.3.1-1]. */
  int readPacketId() {
    int id = readUnsignedShort();
    if (id == 0) {
      throw new Malformed("MQTT-2.3.1-1", "packet identifier 0");
    }
    return id;
  }

  /** Binary data with a two-byte length prefix. */
  byte[] readBinary() {
    return readBytes(readUnsignedShort());
  }

  byte[] readBytes(int length) {
    require(length);
    byte[] bytes = new byte[length];
    buf.get(cursor, bytes);
    cursor += length;
    return bytes;
  }

  void skip(int length) {
    require(length);
    cursor += length;
  }

  /**
   * A variable byte integer as used for MQTT 5 property lengths: at most four bytes, seven bits
   * each, least significant group first.
   */
  int readVariableByteInteger() {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int b = readByte();
      value |= (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        // A trailing zero group could have been left out: only the shortest form is allowed.
        if (i > 0 && b == 0) {
          throw new Malformed("MQTT-1.5.5-1", "variable byte integer not in its shortest form");
        }
        return value;
      }
    }
    throw new Malformed("malformed-variable-byte-integer", "variable byte integer over 4 bytes");
  }

  /**
   * A UTF-8 encoded string with a two-byte length prefix. It must be well-formed UTF-8, which
   * excludes encoded surrogates and overlong forms [MQTT-1.5.3-1], and hold no U+0000
   * [MQTT-1.5.3-2].
   */
  String readString() {
    int length = readUnsignedShort();
    require(length);
    if (chars.capacity() < length) {
      // UTF-8 never yields more chars than bytes; grow to the largest string seen, at most 64K.
      chars = CharBuffer.allocate(Math.max(length, chars.capacity() * 2));
    }
    chars.clear();
    int savedPosition = buf.position();
    int savedLimit = buf.limit();
    CoderResult result;
    try {
      buf.limit(cursor + length).position(cursor);
      utf8.reset();
      result = utf8.decode(buf, chars, true);
      if (!result.isError()) {
        result = utf8.flush(chars);
      }
    } finally {
      buf.limit(savedLimit).position(savedPosition);
    }
    if (result.isError()) {
      throw new Malformed("MQTT-1.5.3-1", "string is not well-formed UTF-8");
    }
    cursor += length;
    chars.flip();
    for (int i = 0; i < chars.limit(); i++) {
      if (chars.get(i) == '\u0000') {
        throw new Malformed("MQTT-1.5.3-2", "string contains U+0000");
      }
    }
    return chars.toString();
  }

  private void require(int bytes) {
    if (end - cursor < bytes) {
      throw new Malformed(TRUNCATED, "field runs past the remaining length");
    }
  }
}
