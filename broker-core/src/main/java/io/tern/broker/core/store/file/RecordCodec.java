package io.tern.broker.core.store.file;

import io.tern.broker.core.store.file.LogRecord.Ack;
import io.tern.broker.core.store.file.LogRecord.MessageSent;
import io.tern.broker.core.store.file.LogRecord.InboundQos2;
import io.tern.broker.core.store.file.LogRecord.InboundQos2Released;
import io.tern.broker.core.store.file.LogRecord.Message;
import io.tern.broker.core.store.file.LogRecord.Retained;
import io.tern.broker.core.store.file.LogRecord.RetainedCleared;
import io.tern.broker.core.store.file.LogRecord.Session;
import io.tern.broker.core.store.file.LogRecord.SessionRemoved;
import io.tern.broker.core.store.file.LogRecord.Subscription;
import io.tern.broker.core.store.file.LogRecord.SubscriptionRemoved;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Turns records into framed bytes and back. A frame is
 * {@code length(u32) crc32c(u32) type(u8) version(u8) body(length bytes)}, big-endian, with the
 * checksum over the length, type, version and body; {@code docs/storage-format.md} gives every
 * body layout.
 *
 * <p>An instance holds a checksum engine and so belongs to one thread; {@link #frameSize} is
 * static and may be called anywhere.
 */
final class RecordCodec {
  /** Bytes of a frame before its body. */
  static final int FRAME_HEADER = 10;

  private static final int MAX_STRING = 0xFFFF;
  private static final int RETAIN_FLAG = 1 << 2;

  private final CRC32C crc = new CRC32C();
  private final int maxBodyBytes;

  RecordCodec(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The size of the record's frame.
   *
   * @throws IllegalArgumentException when a string is longer than 65,535 bytes in UTF-8
   */
  static int frameSize(LogRecord record) {
    long body;
    if (record instanceof Message m) {
      body = str(m.clientId()) + 8 + str(m.topic()) + 1 + 8 + 4L + m.properties().length + 4L
          + m.payload().length;
    } else if (record instanceof Ack a) {
      body = str(a.clientId()) + 8;
    } else if (record instanceof MessageSent m) {
      body = str(m.clientId()) + 8 + 2;
    } else if (record instanceof Session s) {
      body = str(s.clientId()) + 4 + 8;
    } else if (record instanceof SessionRemoved s) {
      body = str(s.clientId());
    } else if (record instanceof Subscription s) {
      body = str(s.clientId()) + str(s.topicFilter()) + 4;
    } else if (record instanceof SubscriptionRemoved s) {
      body = str(s.clientId()) + str(s.topicFilter());
    } else if (record instanceof Retained r) {
      body = str(r.topic()) + 1 + 8 + 4L + r.properties().length + 4L + r.payload().length;
    } else if (record instanceof RetainedCleared r) {
      body = str(r.topic());
    } else if (record instanceof InboundQos2 q) {
      body = str(q.clientId()) + 2;
    } else if (record instanceof InboundQos2Released q) {
      body = str(q.clientId()) + 2;
    } else if (record instanceof SnapshotEnd) {
      body = 8;
    } else {
      throw new IllegalArgumentException("unknown record " + record);
    }
    if (body > Integer.MAX_VALUE - FRAME_HEADER) {
      throw new IllegalArgumentException("record too large: " + body + " bytes");
    }
    return FRAME_HEADER + (int) body;
  }

  private static int str(String s) {
    int length = Utf8.length(s);
    if (length > MAX_STRING) {
      throw new IllegalArgumentException("string longer than 65535 bytes: " + s.substring(0, 32) + "...");
    }
    return 2 + length;
  }

  /** Writes the record's frame at the buffer's position, which it advances by {@code frameSize}. */
  void write(LogRecord record, int frameSize, ByteBuffer out) {
    int start = out.position();
    RecordType type = record.type();
    out.putInt(frameSize - FRAME_HEADER).putInt(0).put((byte) type.code()).put((byte) type.version());
    if (record instanceof Message m) {
      putString(out, m.clientId());
      out.putLong(m.messageId());
      putString(out, m.topic());
      out.put((byte) (m.qos() | (m.retain() ? RETAIN_FLAG : 0))).putLong(m.timestamp());
      putBytes(out, m.properties());
      putBytes(out, m.payload());
    } else if (record instanceof Ack a) {
      putString(out, a.clientId());
      out.putLong(a.messageId());
    } else if (record instanceof MessageSent m) {
      putString(out, m.clientId());
      out.putLong(m.messageId()).putShort((short) m.packetId());
    } else if (record instanceof Session s) {
      putString(out, s.clientId());
      out.putInt((int) s.expiryInterval()).putLong(s.disconnectedAt());
    } else if (record instanceof SessionRemoved s) {
      putString(out, s.clientId());
    } else if (record instanceof Subscription s) {
      putString(out, s.clientId());
      putString(out, s.topicFilter());
      out.putInt(s.options());
    } else if (record instanceof SubscriptionRemoved s) {
      putString(out, s.clientId());
      putString(out, s.topicFilter());
    } else if (record instanceof Retained r) {
      putString(out, r.topic());
      out.put((byte) r.qos()).putLong(r.timestamp());
      putBytes(out, r.properties());
      putBytes(out, r.payload());
    } else if (record instanceof RetainedCleared r) {
      putString(out, r.topic());
    } else if (record instanceof InboundQos2 q) {
      putString(out, q.clientId());
      out.putShort((short) q.packetId());
    } else if (record instanceof InboundQos2Released q) {
      putString(out, q.clientId());
      out.putShort((short) q.packetId());
    } else if (record instanceof SnapshotEnd e) {
      out.putLong(e.records());
    }
    assert out.position() - start == frameSize : "frame size mismatch for " + type;
    out.putInt(start + 4, checksum(out, start, frameSize - FRAME_HEADER));
  }

  private static void putString(ByteBuffer out, String s) {
    out.putShort((short) Utf8.length(s));
    Utf8.put(out, s);
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes.length).put(bytes);
  }

  /**
   * The body length a frame announces, checked against the configured maximum.
   *
   * @param in a buffer holding at least the first four bytes of the frame at {@code start}
   */
  int bodyLength(ByteBuffer in, int start) throws CorruptRecordException {
    int length = in.getInt(start);
    if (length < 0 || length > maxBodyBytes) {
      throw new CorruptRecordException("impossible record length " + Integer.toUnsignedString(length));
    }
    return length;
  }

  /**
   * Checks and decodes the frame at {@code start}, which the buffer holds whole.
   *
   * @throws CorruptRecordException when the checksum differs or the body does not parse
   * @throws IOException when the checksum holds but the type or version is newer than this build
   *     knows: the file was written by a later version, and guessing would lose data
   */
  LogRecord read(ByteBuffer in, int start, int bodyLength) throws CorruptRecordException, IOException {
    int stored = in.getInt(start + 4);
    if (stored != checksum(in, start, bodyLength)) {
      throw new CorruptRecordException("checksum mismatch");
    }
    int code = in.get(start + 8) & 0xFF;
    int version = in.get(start + 9) & 0xFF;
    RecordType type = RecordType.ofCode(code);
    if (type == null || version > type.version() || version == 0) {
      throw new IOException("record type " + code + " version " + version
          + " was written by a newer version of Tern");
    }
    ByteBuffer body = in.duplicate();
    body.limit(start + FRAME_HEADER + bodyLength).position(start + FRAME_HEADER);
    try {
      LogRecord record = decodeBody(type, body);
      if (body.hasRemaining()) {
        throw new CorruptRecordException(body.remaining() + " stray bytes after a " + type + " record");
      }
      return record;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      // A checksum that holds over a body that does not parse means a bug or a forged file.
      throw new CorruptRecordException("malformed " + type + " record: " + e);
    }
  }

  private static LogRecord decodeBody(RecordType type, ByteBuffer in) {
    switch (type) {
      case MESSAGE: {
        String clientId = getString(in);
        long messageId = in.getLong();
        String topic = getString(in);
        int flags = in.get();
        long timestamp = in.getLong();
        byte[] properties = getBytes(in);
        byte[] payload = getBytes(in);
        return new Message(clientId, messageId, topic, flags & 0b11, (flags & RETAIN_FLAG) != 0, timestamp,
            properties, payload);
      }
      case ACK:
        return new Ack(getString(in), in.getLong());
      case MESSAGE_SENT:
        return new MessageSent(getString(in), in.getLong(), in.getShort() & 0xFFFF);
      case SESSION:
        return new Session(getString(in), in.getInt() & 0xFFFF_FFFFL, in.getLong());
      case SESSION_REMOVED:
        return new SessionRemoved(getString(in));
      case SUBSCRIPTION:
        return new Subscription(getString(in), getString(in), in.getInt());
      case SUBSCRIPTION_REMOVED:
        return new SubscriptionRemoved(getString(in), getString(in));
      case RETAINED: {
        String topic = getString(in);
        int qos = in.get();
        long timestamp = in.getLong();
        byte[] properties = getBytes(in);
        return new Retained(topic, qos, timestamp, properties, getBytes(in));
      }
      case RETAINED_CLEARED:
        return new RetainedCleared(getString(in));
      case INBOUND_QOS2:
        return new InboundQos2(getString(in), in.getShort() & 0xFFFF);
      case INBOUND_QOS2_RELEASED:
        return new InboundQos2Released(getString(in), in.getShort() & 0xFFFF);
      case SNAPSHOT_END:
        return new SnapshotEnd(in.getLong());
      default:
        throw new IllegalStateException("no decoder for " + type);
    }
  }

  private static String getString(ByteBuffer in) {
    int length = in.getShort() & 0xFFFF;
    if (length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    return Utf8.get(in, length);
  }

  private static byte[] getBytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] bytes = length == 0 ? LogRecord.NO_BYTES : new byte[length];
    in.get(bytes);
    return bytes;
  }

  private int checksum(ByteBuffer buf, int start, int bodyLength) {
    ByteBuffer view = buf.duplicate();
    crc.reset();
    view.limit(start + 4).position(start);
    crc.update(view);
    view.limit(start + FRAME_HEADER + bodyLength).position(start + 8);
    crc.update(view);
    return (int) crc.getValue();
  }
}
