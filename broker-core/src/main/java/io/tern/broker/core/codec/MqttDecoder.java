package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decodes MQTT 3.1, 3.1.1 and 5 packets from bytes as they arrive, one packet per call.
 *
 * <p>One decoder per connection, used by the connection's owner thread only. Before the CONNECT
 * has been decoded, only a CONNECT is acceptable; after it, the decoder accepts the packets a
 * client may send to a server, by the rules of the protocol level the CONNECT named: MQTT 5 (level
 * 5) packets carry reason codes and properties, and AUTH is allowed; any other level is read as
 * MQTT 3.1.1.
 *
 * <p>A malformed packet is reported as a {@link Violation}, never as an exception.
 *
 * <p>The decoder keeps no bytes of its own: the caller keeps what {@link #decode} did not consume
 * and calls again once more bytes have been appended. A packet larger than the maximum is refused
 * as soon as its remaining length has arrived, so the caller never needs to buffer it.
 */
public final class MqttDecoder {
  /** The remaining length is a variable byte integer of at most four bytes. */
  private static final int MAX_REMAINING_LENGTH_BYTES = 4;

  private final int maxPacketSize;
  private final boolean serverSide;
  private final BodyReader body = new BodyReader();
  private boolean connected;
  private boolean v5;
  private Violation violation;

  /** @param maxPacketSize the largest whole packet accepted, fixed header included */
  public MqttDecoder(int maxPacketSize) {
    this(maxPacketSize, true, false);
  }

  private MqttDecoder(int maxPacketSize, boolean serverSide, boolean v5) {
    if (maxPacketSize < 2) {
      throw new IllegalArgumentException("maxPacketSize below the smallest packet: " + maxPacketSize);
    }
    this.maxPacketSize = maxPacketSize;
    this.serverSide = serverSide;
    this.v5 = v5;
  }

  /**
   * A decoder for the other direction: it accepts the packets a server may send to a client
   * (CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, PINGRESP, DISCONNECT) in
   * any order, for clients written against the broker such as test clients and bridges.
   *
   * @param maxPacketSize the largest whole packet accepted, fixed header included
   */
  public static MqttDecoder forClient(int maxPacketSize) {
    return forClient(maxPacketSize, 4);
  }

  /**
   * Like {@link #forClient(int)}, for a client that connected with {@code protocolLevel}: 5 reads
   * the MQTT 5 forms (and accepts AUTH), any other level the MQTT 3.1.1 ones.
   */
  public static MqttDecoder forClient(int maxPacketSize, int protocolLevel) {
    return new MqttDecoder(maxPacketSize, false, protocolLevel == ConnectBody.MQTT_5_LEVEL);
  }

  /** The protocol level whose rules apply: 5 once an MQTT 5 CONNECT was decoded, otherwise 4. */
  public int protocolLevel() {
    return v5 ? ConnectBody.MQTT_5_LEVEL : 4;
  }

  /**
   * Decodes the next packet from {@code in} (position to limit).
   *
   * @return the packet, with {@code in}'s position just past it; or null when {@code in} holds no
   *     whole packet yet (position unchanged) or the bytes are malformed (see {@link #violation()})
   */
  public Packet decode(ByteBuffer in) {
    if (violation != null || !in.hasRemaining()) {
      return null;
    }
    int start = in.position();
    int available = in.remaining();

    int first = in.get(start) & 0xFF;
    int type = first >>> 4;
    int flags = first & 0x0F;
    Violation refused = checkFixedHeader(type, flags);
    if (refused != null) {
      return fail(refused);
    }

    int remainingLength = 0;
    int headerSize = 1;
    while (true) {
      if (headerSize >= available) {
        return null;
      }
      int b = in.get(start + headerSize) & 0xFF;
      remainingLength |= (b & 0x7F) << (7 * (headerSize - 1));
      headerSize++;
      if ((b & 0x80) == 0) {
        break;
      }
      if (headerSize > MAX_REMAINING_LENGTH_BYTES) {
        return fail(
            new Violation("malformed-remaining-length", "remaining length longer than 4 bytes"));
      }
    }
    long packetSize = (long) headerSize + remainingLength;
    if (packetSize > maxPacketSize) {
      return fail(
          new Violation(
              "packet-too-large",
              "packet of " + packetSize + " bytes exceeds the maximum of " + maxPacketSize,
              ReasonCode.PACKET_TOO_LARGE));
    }
    if (available < packetSize) {
      return null;
    }

    int end = start + (int) packetSize;
    Packet packet;
    body.reset(in, start + headerSize, end);
    try {
      packet = decodeBody(type, flags);
      if (body.remaining() != 0) {
        throw new Malformed(
            BodyReader.TRUNCATED, body.remaining() + " bytes left over after the last field");
      }
    } catch (Malformed e) {
      return fail(e.violation);
    } finally {
      body.release();
    }
    in.position(end);
    if (type == PacketType.CONNECT) {
      connected = true;
      v5 = ((Connect) packet).protocolLevel() == ConnectBody.MQTT_5_LEVEL;
    }
    return packet;
  }

  /** The violation that stopped decoding, or null. Once set, the connection must be closed. */
  public Violation violation() {
    return violation;
  }

  private Packet fail(Violation v) {
    violation = v;
    return null;
  }

  /** Checks what the first byte alone tells: whether this packet may come now, and its flags. */
  private Violation checkFixedHeader(int type, int flags) {
    if (serverSide && !connected && type != PacketType.CONNECT) {
      return new Violation(
          "MQTT-3.1.0-1", "first packet is not CONNECT but type " + type, ReasonCode.PROTOCOL_ERROR);
    }
    if (serverSide && connected && type == PacketType.CONNECT) {
      return new Violation("MQTT-3.1.0-2", "second CONNECT", ReasonCode.PROTOCOL_ERROR);
    }
    if (!acceptsType(type)) {
      return new Violation(
          "forbidden-packet-type",
          "packet type " + type + " is not sent to a " + (serverSide ? "server" : "client"),
          ReasonCode.PROTOCOL_ERROR);
    }
    if (type == PacketType.PUBLISH) {
      int qos = (flags >> 1) & 0x03;
      if (qos == 3) {
        return new Violation("MQTT-3.3.1-4", "PUBLISH with QoS 3");
      }
      if (qos == 0 && (flags & 0x08) != 0) {
        return new Violation("MQTT-3.3.1-2", "PUBLISH with DUP set on QoS 0");
      }
      return null;
    }
    int expected =
        type == PacketType.PUBREL || type == PacketType.SUBSCRIBE || type == PacketType.UNSUBSCRIBE
            ? 0b0010
            : 0;
    if (flags != expected) {
      return new Violation(
          "MQTT-2.2.2-2", "reserved flags " + Integer.toBinaryString(flags) + " on type " + type);
    }
    return null;
  }

  private boolean acceptsType(int type) {
    return switch (type) {
      case PacketType.PUBLISH,
          PacketType.PUBACK,
          PacketType.PUBREC,
          PacketType.PUBREL,
          PacketType.PUBCOMP,
          PacketType.DISCONNECT -> true;
      case PacketType.CONNECT, PacketType.SUBSCRIBE, PacketType.UNSUBSCRIBE, PacketType.PINGREQ ->
          serverSide;
      case PacketType.CONNACK, PacketType.SUBACK, PacketType.UNSUBACK, PacketType.PINGRESP ->
          !serverSide;
      case PacketType.AUTH -> v5; // reserved before MQTT 5
      default -> false; // 0 is reserved
    };
  }

  private Packet decodeBody(int type, int flags) {
    if (v5 && type != PacketType.CONNECT) {
      return Mqtt5Bodies.read(body, type, flags, serverSide);
    }
    return switch (type) {
      case PacketType.CONNECT -> ConnectBody.read(body);
      case PacketType.PUBLISH -> publish(flags);
      case PacketType.PUBACK -> new PubAck(body.readPacketId());
      case PacketType.PUBREC -> new PubRec(body.readPacketId());
      case PacketType.PUBREL -> new PubRel(body.readPacketId());
      case PacketType.PUBCOMP -> new PubComp(body.readPacketId());
      case PacketType.SUBSCRIBE -> subscribe();
      case PacketType.UNSUBSCRIBE -> unsubscribe();
      case PacketType.PINGREQ -> PingReq.INSTANCE;
      case PacketType.DISCONNECT -> Disconnect.INSTANCE;
      case PacketType.CONNACK -> connAck();
      case PacketType.SUBACK -> subAck();
      case PacketType.UNSUBACK -> new UnsubAck(body.readPacketId());
      case PacketType.PINGRESP -> PingResp.INSTANCE;
      default -> throw new IllegalStateException("type passed the fixed header check: " + type);
    };
  }

  private Publish publish(int flags) {
    int qos = (flags >> 1) & 0x03;
    String topic = body.readString();
    String problem = TopicSyntax.nameProblem(topic);
    if (problem != null) {
      throw new Malformed(problem, "invalid topic name in PUBLISH");
    }
    int packetId = qos > 0 ? body.readPacketId() : 0;
    byte[] payload = body.readBytes(body.remaining());
    return new Publish(topic, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId, payload);
  }

  private Subscribe subscribe() {
    int packetId = body.readPacketId();
    if (body.remaining() == 0) {
      throw new Malformed("MQTT-3.8.3-3", "SUBSCRIBE without topic filters");
    }
    List<Subscribe.Request> requests = new ArrayList<>(1);
    while (body.remaining() > 0) {
      String filter = readFilter(body);
      int qos = body.readByte();
      // The specification prints this id as "MQTT-3-8.3-4"; emitted here in its evident form.
      if (qos > 2) {
        throw new Malformed("MQTT-3.8.3-4", "requested QoS byte " + qos);
      }
      requests.add(new Subscribe.Request(filter, qos));
    }
    return new Subscribe(packetId, Collections.unmodifiableList(requests));
  }

  private Unsubscribe unsubscribe() {
    int packetId = body.readPacketId();
    if (body.remaining() == 0) {
      throw new Malformed("MQTT-3.10.3-2", "UNSUBSCRIBE without topic filters");
    }
    List<String> filters = new ArrayList<>(1);
    while (body.remaining() > 0) {
      filters.add(readFilter(body));
    }
    return new Unsubscribe(packetId, Collections.unmodifiableList(filters));
  }

  static String readFilter(BodyReader body) {
    String filter = body.readString();
    String problem = TopicSyntax.filterProblem(filter);
    if (problem != null) {
      throw new Malformed(problem, "invalid topic filter");
    }
    return filter;
  }

  private ConnAck connAck() {
    int ackFlags = body.readByte();
    if ((ackFlags & 0xFE) != 0) {
      throw new Malformed("MQTT-3.2.2-1", "reserved CONNACK flags set");
    }
    return new ConnAck((ackFlags & 0x01) != 0, body.readByte());
  }

  private SubAck subAck() {
    int packetId = body.readPacketId();
    byte[] codes = body.readBytes(body.remaining());
    if (codes.length == 0) {
      throw new Malformed(BodyReader.TRUNCATED, "SUBACK without return codes");
    }
    for (byte code : codes) {
      int c = code & 0xFF;
      if (c > 2 && c != SubAck.FAILURE) {
        throw new Malformed("MQTT-3.9.3-2", "SUBACK return code " + c);
      }
    }
    return new SubAck(packetId, codes);
  }
}
