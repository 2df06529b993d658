package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.MqttEncoder.stringLength;
import static io.tern.broker.core.codec.MqttEncoder.writeString;

import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;

/**
 * The MQTT 5 bodies behind {@link MqttEncoder#write(Packet, int, ByteBuffer)}: everything after
 * the fixed header. Acknowledgements, DISCONNECT and AUTH use the short forms the specification
 * allows: no reason code and no properties for success without properties, no property length
 * for a reason code without properties.
 */
final class Mqtt5Encoder {
  private Mqtt5Encoder() {}

  static int remainingLength(Packet packet) {
    long length =
        switch (packet.type()) {
          case PacketType.CONNECT -> MqttEncoder.connectRemainingLength((Connect) packet);
          case PacketType.CONNACK -> 2L + PropertiesWriter.blockSize(((ConnAck) packet).properties());
          case PacketType.PUBLISH -> {
            Publish p = (Publish) packet;
            yield MqttEncoder.publishRemainingLength(
                stringLength(p.topic()) - 2,
                p.qos(),
                PropertiesWriter.blockSize(p.properties()) + (long) p.payload().length);
          }
          case PacketType.PUBACK -> {
            PubAck a = (PubAck) packet;
            yield 2L + tailLength(a.reasonCode(), a.properties());
          }
          case PacketType.PUBREC -> {
            PubRec a = (PubRec) packet;
            yield 2L + tailLength(a.reasonCode(), a.properties());
          }
          case PacketType.PUBREL -> {
            PubRel a = (PubRel) packet;
            yield 2L + tailLength(a.reasonCode(), a.properties());
          }
          case PacketType.PUBCOMP -> {
            PubComp a = (PubComp) packet;
            yield 2L + tailLength(a.reasonCode(), a.properties());
          }
          case PacketType.SUBSCRIBE -> {
            Subscribe s = (Subscribe) packet;
            long total = 2L + PropertiesWriter.blockSize(s.properties());
            for (Subscribe.Request r : s.requests()) {
              total += stringLength(r.filter()) + 1;
            }
            yield total;
          }
          case PacketType.SUBACK -> {
            SubAck s = (SubAck) packet;
            yield 2L + PropertiesWriter.blockSize(s.properties()) + s.returnCodes().length;
          }
          case PacketType.UNSUBSCRIBE -> {
            Unsubscribe u = (Unsubscribe) packet;
            long total = 2L + PropertiesWriter.blockSize(u.properties());
            for (String filter : u.filters()) {
              total += stringLength(filter);
            }
            yield total;
          }
          case PacketType.UNSUBACK -> {
            UnsubAck u = (UnsubAck) packet;
            if (u.reasonCodes().isEmpty()) {
              // MQTT 5 answers each filter; an empty list is the 3.1.1 form sent by mistake.
              throw new IllegalArgumentException("an MQTT 5 UNSUBACK needs a reason code per filter");
            }
            yield 2L + PropertiesWriter.blockSize(u.properties()) + u.reasonCodes().size();
          }
          case PacketType.DISCONNECT -> {
            Disconnect d = (Disconnect) packet;
            yield tailLength(d.reasonCode(), d.properties());
          }
          case PacketType.AUTH -> {
            Auth a = (Auth) packet;
            yield tailLength(a.reasonCode(), a.properties());
          }
          default -> 0; // PINGREQ, PINGRESP
        };
    if (length > MqttEncoder.MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException("packet too large: " + length);
    }
    return (int) length;
  }

  static void writeBody(Packet packet, ByteBuffer out) {
    switch (packet.type()) {
      case PacketType.CONNECT -> MqttEncoder.writeConnectBody((Connect) packet, out);
      case PacketType.CONNACK -> {
        ConnAck ack = (ConnAck) packet;
        out.put((byte) (ack.sessionPresent() ? 1 : 0));
        out.put((byte) ack.returnCode());
        PropertiesWriter.write(out, ack.properties());
      }
      case PacketType.PUBLISH -> {
        Publish p = (Publish) packet;
        writeString(out, p.topic());
        if (p.qos() > 0) {
          out.putShort((short) p.packetId());
        }
        PropertiesWriter.write(out, p.properties());
        out.put(p.payload());
      }
      case PacketType.PUBACK -> {
        PubAck a = (PubAck) packet;
        writeAcknowledgement(out, a.packetId(), a.reasonCode(), a.properties());
      }
      case PacketType.PUBREC -> {
        PubRec a = (PubRec) packet;
        writeAcknowledgement(out, a.packetId(), a.reasonCode(), a.properties());
      }
      case PacketType.PUBREL -> {
        PubRel a = (PubRel) packet;
        writeAcknowledgement(out, a.packetId(), a.reasonCode(), a.properties());
      }
      case PacketType.PUBCOMP -> {
        PubComp a = (PubComp) packet;
        writeAcknowledgement(out, a.packetId(), a.reasonCode(), a.properties());
      }
      case PacketType.SUBSCRIBE -> {
        Subscribe s = (Subscribe) packet;
        out.putShort((short) s.packetId());
        PropertiesWriter.write(out, s.properties());
        for (Subscribe.Request r : s.requests()) {
          writeString(out, r.filter());
          out.put((byte) options(r));
        }
      }
      case PacketType.SUBACK -> {
        SubAck s = (SubAck) packet;
        out.putShort((short) s.packetId());
        PropertiesWriter.write(out, s.properties());
        out.put(s.returnCodes());
      }
      case PacketType.UNSUBSCRIBE -> {
        Unsubscribe u = (Unsubscribe) packet;
        out.putShort((short) u.packetId());
        PropertiesWriter.write(out, u.properties());
        for (String filter : u.filters()) {
          writeString(out, filter);
        }
      }
      case PacketType.UNSUBACK -> {
        UnsubAck u = (UnsubAck) packet;
        out.putShort((short) u.packetId());
        PropertiesWriter.write(out, u.properties());
        for (ReasonCode code : u.reasonCodes()) {
          out.put((byte) code.value());
        }
      }
      case PacketType.DISCONNECT -> {
        Disconnect d = (Disconnect) packet;
        writeTail(out, d.reasonCode(), d.properties());
      }
      case PacketType.AUTH -> {
        Auth a = (Auth) packet;
        writeTail(out, a.reasonCode(), a.properties());
      }
      default -> {
        // PINGREQ and PINGRESP are a fixed header alone.
      }
    }
  }

  /** The Subscription Options byte (section 3.8.3.1). */
  private static int options(Subscribe.Request r) {
    return r.qos()
        | (r.noLocal() ? 0x04 : 0)
        | (r.retainAsPublished() ? 0x08 : 0)
        | (r.retainHandling() << 4);
  }

  private static void writeAcknowledgement(
      ByteBuffer out, int packetId, ReasonCode code, Properties properties) {
    out.putShort((short) packetId);
    writeTail(out, code, properties);
  }

  /** The bytes of a reason code and properties that may both be left out. */
  private static int tailLength(ReasonCode code, Properties properties) {
    if (properties.isEmpty()) {
      return code == ReasonCode.SUCCESS ? 0 : 1;
    }
    return 1 + PropertiesWriter.blockSize(properties);
  }

  private static void writeTail(ByteBuffer out, ReasonCode code, Properties properties) {
    if (properties.isEmpty()) {
      if (code != ReasonCode.SUCCESS) {
        out.put((byte) code.value());
      }
      return;
    }
    out.put((byte) code.value());
    PropertiesWriter.write(out, properties);
  }
}
