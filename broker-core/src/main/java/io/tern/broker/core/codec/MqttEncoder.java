package io.tern.broker.core.codec;

import java.nio.ByteBuffer;

/**
 * Encodes server-to-client MQTT packets, in their MQTT 3.1.1 form or, given protocol level 5, their
 * MQTT 5 form. Stateless.
 *
 * <p>{@link #write} also encodes the packets a client sends (CONNECT, SUBSCRIBE, UNSUBSCRIBE,
 * PINGREQ, AUTH and {@link Publish} records), for clients written against the broker such as test
 * clients and bridges. A CONNECT is always written in the form of its own protocol level. Strings
 * are written as UTF-8 straight into the buffer.
 *
 * <p>The MQTT 3.1.1 form leaves out whatever only MQTT 5 can say (reason codes of
 * acknowledgements, properties); AUTH has no such form.
 *
 * <p>The encoder trusts its input: it does not check topic syntax or packet identifiers. A string
 * holding an unpaired surrogate, or a packet whose remaining length exceeds 268,435,455 bytes, is
 * rejected with {@link IllegalArgumentException}.
 */
public final class MqttEncoder {
  /** The largest remaining length a four-byte variable byte integer can carry. */
  static final int MAX_REMAINING_LENGTH = 268_435_455;

  private MqttEncoder() {}

  /** The MQTT 5 protocol level. */
  private static final int V5 = ConnectBody.MQTT_5_LEVEL;

  /** The number of bytes {@link #write(Packet, ByteBuffer)} will write for this packet. */
  public static int size(Packet packet) {
    return packetSize(remainingLength(packet));
  }

  /**
   * The number of bytes {@link #write(Packet, int, ByteBuffer)} will write for this packet.
   *
   * @param protocolLevel 5 for the MQTT 5 form, anything else for the MQTT 3.1.1 one
   */
  public static int size(Packet packet, int protocolLevel) {
    return protocolLevel == V5
        ? packetSize(Mqtt5Encoder.remainingLength(packet))
        : size(packet);
  }

  /**
   * Writes the packet in the form of {@code protocolLevel}: 5 for MQTT 5, anything else for MQTT
   * 3.1.1. {@code out} must have {@link #size(Packet, int)} bytes remaining.
   */
  public static void write(Packet packet, int protocolLevel, ByteBuffer out) {
    if (protocolLevel != V5) {
      write(packet, out);
      return;
    }
    int remainingLength = Mqtt5Encoder.remainingLength(packet);
    out.put((byte) ((packet.type() << 4) | headerFlags(packet)));
    writeRemainingLength(out, remainingLength);
    Mqtt5Encoder.writeBody(packet, out);
  }

  /**
   * Writes the packet in its MQTT 3.1.1 form (a CONNECT in the form of its own level) at {@code
   * out}'s position, which must have {@link #size} bytes remaining.
   */
  public static void write(Packet packet, ByteBuffer out) {
    int remainingLength = remainingLength(packet);
    out.put((byte) ((packet.type() << 4) | headerFlags(packet)));
    writeRemainingLength(out, remainingLength);
    switch (packet.type()) {
      case PacketType.CONNECT -> writeConnectBody((Connect) packet, out);
      case PacketType.CONNACK -> {
        ConnAck ack = (ConnAck) packet;
        out.put((byte) (ack.sessionPresent() ? 1 : 0));
        out.put((byte) ack.returnCode());
      }
      case PacketType.PUBLISH -> {
        Publish p = (Publish) packet;
        writeString(out, p.topic());
        if (p.qos() > 0) {
          out.putShort((short) p.packetId());
        }
        out.put(p.payload());
      }
      case PacketType.PUBACK -> out.putShort((short) ((PubAck) packet).packetId());
      case PacketType.PUBREC -> out.putShort((short) ((PubRec) packet).packetId());
      case PacketType.PUBREL -> out.putShort((short) ((PubRel) packet).packetId());
      case PacketType.PUBCOMP -> out.putShort((short) ((PubComp) packet).packetId());
      case PacketType.SUBSCRIBE -> {
        Subscribe s = (Subscribe) packet;
        out.putShort((short) s.packetId());
        for (Subscribe.Request r : s.requests()) {
          writeString(out, r.filter());
          out.put((byte) r.qos());
        }
      }
      case PacketType.SUBACK -> {
        SubAck s = (SubAck) packet;
        out.putShort((short) s.packetId());
        out.put(s.returnCodes());
      }
      case PacketType.UNSUBSCRIBE -> {
        Unsubscribe u = (Unsubscribe) packet;
        out.putShort((short) u.packetId());
        for (String filter : u.filters()) {
          writeString(out, filter);
        }
      }
      case PacketType.UNSUBACK -> out.putShort((short) ((UnsubAck) packet).packetId());
      default -> {
        // PINGREQ, PINGRESP and DISCONNECT are a fixed header alone.
      }
    }
  }

  /** The size of an outbound PUBLISH; {@code topic} is the topic name in UTF-8. */
  public static int publishSize(byte[] topic, int qos, int payloadLength) {
    return packetSize(publishRemainingLength(topic.length, qos, payloadLength));
  }

  /** Writes an outbound PUBLISH; {@code packetId} is ignored for QoS 0. */
  public static void writePublish(
      ByteBuffer out, byte[] topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
    out.put((byte) ((PacketType.PUBLISH << 4) | publishFlags(qos, retain, dup)));
    writeRemainingLength(out, publishRemainingLength(topic.length, qos, payload.length));
    out.putShort((short) topic.length);
    out.put(topic);
    if (qos > 0) {
      out.putShort((short) packetId);
    }
    out.put(payload);
  }

  /** The size of an outbound MQTT 5 PUBLISH with {@code properties}. */
  public static int publishSize(byte[] topic, int qos, int payloadLength, Properties properties) {
    return packetSize(
        publishRemainingLength(
            topic.length, qos, PropertiesWriter.blockSize(properties) + (long) payloadLength));
  }

  /** Writes an outbound MQTT 5 PUBLISH; {@code packetId} is ignored for QoS 0. */
  public static void writePublish(
      ByteBuffer out,
      byte[] topic,
      byte[] payload,
      int qos,
      boolean retain,
      boolean dup,
      int packetId,
      Properties properties) {
    out.put((byte) ((PacketType.PUBLISH << 4) | publishFlags(qos, retain, dup)));
    writeRemainingLength(
        out,
        publishRemainingLength(
            topic.length, qos, PropertiesWriter.blockSize(properties) + (long) payload.length));
    out.putShort((short) topic.length);
    out.put(topic);
    if (qos > 0) {
      out.putShort((short) packetId);
    }
    PropertiesWriter.write(out, properties);
    out.put(payload);
  }

  /** The bytes a remaining length takes as a variable byte integer: 1 to 4. */
  static int remainingLengthSize(int remainingLength) {
    if (remainingLength < 0 || remainingLength > MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException("remaining length out of range: " + remainingLength);
    }
    if (remainingLength < 128) {
      return 1;
    }
    if (remainingLength < 16_384) {
      return 2;
    }
    return remainingLength < 2_097_152 ? 3 : 4;
  }

  static void writeRemainingLength(ByteBuffer out, int remainingLength) {
    int value = remainingLength;
    do {
      int digit = value & 0x7F;
      value >>>= 7;
      out.put((byte) (value > 0 ? digit | 0x80 : digit));
    } while (value > 0);
  }

  static int packetSize(int remainingLength) {
    return 1 + remainingLengthSize(remainingLength) + remainingLength;
  }

  /** {@code rest} is what follows the packet identifier: payload, and MQTT 5 properties. */
  static int publishRemainingLength(int topicLength, int qos, long rest) {
    long length = 2L + topicLength + (qos > 0 ? 2 : 0) + rest;
    if (length > MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException("PUBLISH too large: " + length);
    }
    return (int) length;
  }

  private static int publishFlags(int qos, boolean retain, boolean dup) {
    return (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
  }

  static int headerFlags(Packet packet) {
    return switch (packet.type()) {
      case PacketType.PUBLISH -> {
        Publish p = (Publish) packet;
        yield publishFlags(p.qos(), p.retain(), p.dup());
      }
      case PacketType.PUBREL, PacketType.SUBSCRIBE, PacketType.UNSUBSCRIBE -> 0b0010;
      default -> 0;
    };
  }

  private static int remainingLength(Packet packet) {
    long length =
        switch (packet.type()) {
          case PacketType.CONNECT -> connectRemainingLength((Connect) packet);
          case PacketType.CONNACK -> 2;
          case PacketType.PUBLISH -> {
            Publish p = (Publish) packet;
            yield publishRemainingLength(stringLength(p.topic()) - 2, p.qos(), p.payload().length);
          }
          case PacketType.PUBACK,
              PacketType.PUBREC,
              PacketType.PUBREL,
              PacketType.PUBCOMP,
              PacketType.UNSUBACK -> 2;
          case PacketType.SUBSCRIBE -> {
            long total = 2;
            for (Subscribe.Request r : ((Subscribe) packet).requests()) {
              total += stringLength(r.filter()) + 1;
            }
            yield total;
          }
          case PacketType.SUBACK -> 2L + ((SubAck) packet).returnCodes().length;
          case PacketType.UNSUBSCRIBE -> {
            long total = 2;
            for (String filter : ((Unsubscribe) packet).filters()) {
              total += stringLength(filter);
            }
            yield total;
          }
          case PacketType.AUTH ->
              throw new IllegalArgumentException("AUTH exists in MQTT 5 only");
          default -> 0; // PINGREQ, PINGRESP, DISCONNECT
        };
    if (length > MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException("packet too large: " + length);
    }
    return (int) length;
  }

  static long connectRemainingLength(Connect c) {
    // protocol name, level, flags, keep-alive
    long length = stringLength(c.protocolName()) + 1 + 1 + 2;
    boolean v5 = c.protocolLevel() == V5;
    if (v5) {
      length += PropertiesWriter.blockSize(c.properties());
    }
    length += stringLength(c.clientId());
    if (c.will() != null) {
      if (v5) {
        length += PropertiesWriter.blockSize(c.will().properties());
      }
      length += stringLength(c.will().topic()) + 2 + c.will().payload().length;
    }
    if (c.username() != null) {
      length += stringLength(c.username());
    }
    if (c.password() != null) {
      length += 2 + c.password().length;
    }
    return length;
  }

  static void writeConnectBody(Connect c, ByteBuffer out) {
    writeString(out, c.protocolName());
    out.put((byte) c.protocolLevel());
    int flags = c.cleanSession() ? 0x02 : 0;
    if (c.will() != null) {
      flags |= 0x04 | (c.will().qos() << 3) | (c.will().retain() ? 0x20 : 0);
    }
    if (c.password() != null) {
      flags |= 0x40;
    }
    if (c.username() != null) {
      flags |= 0x80;
    }
    out.put((byte) flags);
    out.putShort((short) c.keepAliveSeconds());
    boolean v5 = c.protocolLevel() == ConnectBody.MQTT_5_LEVEL;
    if (v5) {
      PropertiesWriter.write(out, c.properties());
    }
    writeString(out, c.clientId());
    if (c.will() != null) {
      if (v5) {
        PropertiesWriter.write(out, c.will().properties());
      }
      writeString(out, c.will().topic());
      out.putShort((short) c.will().payload().length);
      out.put(c.will().payload());
    }
    if (c.username() != null) {
      writeString(out, c.username());
    }
    if (c.password() != null) {
      out.putShort((short) c.password().length);
      out.put(c.password());
    }
  }

  /** The bytes of a length-prefixed UTF-8 string, prefix included. */
  static int stringLength(String s) {
    int bytes = Utf8.encodedLength(s);
    if (bytes < 0) {
      throw new IllegalArgumentException("string holds an unpaired surrogate");
    }
    if (bytes > 65_535) {
      throw new IllegalArgumentException("string longer than 65535 bytes in UTF-8");
    }
    return 2 + bytes;
  }

  static void writeString(ByteBuffer out, String s) {
    out.putShort((short) Utf8.encodedLength(s));
    Utf8.write(out, s);
  }
}
