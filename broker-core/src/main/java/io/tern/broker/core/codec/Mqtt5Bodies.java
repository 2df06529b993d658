package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the bodies of MQTT 5 packets other than CONNECT, after {@link MqttDecoder} has checked the
 * fixed header. Rules shared with MQTT 3.1.1 (topic syntax, packet identifiers) keep their
 * statement ids; what MQTT 5 calls a Protocol Error carries reason code 0x82.
 */
final class Mqtt5Bodies {
  /** Prefix of a shared subscription's topic filter (section 4.8.2). */
  private static final String SHARED_PREFIX = "$share/";

  private Mqtt5Bodies() {}

  static Packet read(BodyReader body, int type, int flags, boolean serverSide) {
    return switch (type) {
      case PacketType.PUBLISH -> publish(body, flags, serverSide);
      case PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP ->
          acknowledgement(body, type);
      case PacketType.SUBSCRIBE -> subscribe(body);
      case PacketType.UNSUBSCRIBE -> unsubscribe(body);
      case PacketType.PINGREQ -> PingReq.INSTANCE;
      case PacketType.PINGRESP -> PingResp.INSTANCE;
      case PacketType.DISCONNECT -> disconnect(body, serverSide);
      case PacketType.AUTH -> auth(body);
      case PacketType.CONNACK -> connAck(body);
      case PacketType.SUBACK -> subAck(body);
      case PacketType.UNSUBACK -> unsubAck(body);
      default -> throw new IllegalStateException("type passed the fixed header check: " + type);
    };
  }

  private static Publish publish(BodyReader body, int flags, boolean serverSide) {
    int qos = (flags >> 1) & 0x03;
    String topic = body.readString();
    int packetId = qos > 0 ? body.readPacketId() : 0;
    Properties properties = PropertiesReader.read(body, PacketType.PUBLISH);
    if (topic.isEmpty()) {
      // An empty topic name stands for the one the alias was last set to (section 3.3.2.3.4).
      if (properties.topicAlias() == null) {
        throw Malformed.protocolError("MQTT-4.7.3-1", "empty topic name without a topic alias");
      }
    } else {
      String problem = TopicSyntax.nameProblem(topic);
      if (problem != null) {
        throw new Malformed(problem, "invalid topic name in PUBLISH", topicReason(problem));
      }
    }
    if (serverSide && !properties.subscriptionIdentifiers().isEmpty()) {
      throw Malformed.protocolError("MQTT-3.3.4-6", "subscription identifier in a client's PUBLISH");
    }
    byte[] payload = body.readBytes(body.remaining());
    return new Publish(
        topic, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId, payload, properties);
  }

  /** PUBACK, PUBREC, PUBREL, PUBCOMP: a remaining length of 2 means success, no properties. */
  private static Packet acknowledgement(BodyReader body, int type) {
    int packetId = body.readPacketId();
    ReasonCode code = ReasonCode.SUCCESS;
    Properties properties = Properties.EMPTY;
    if (body.remaining() > 0) {
      code = ReasonCodes.read(body, type);
      if (body.remaining() > 0) {
        properties = PropertiesReader.read(body, type);
      }
    }
    return switch (type) {
      case PacketType.PUBACK -> new PubAck(packetId, code, properties);
      case PacketType.PUBREC -> new PubRec(packetId, code, properties);
      case PacketType.PUBREL -> new PubRel(packetId, code, properties);
      default -> new PubComp(packetId, code, properties);
    };
  }

  private static Subscribe subscribe(BodyReader body) {
    int packetId = body.readPacketId();
    Properties properties = PropertiesReader.read(body, PacketType.SUBSCRIBE);
    if (body.remaining() == 0) {
      throw Malformed.protocolError("MQTT-3.8.3-2", "SUBSCRIBE without topic filters");
    }
    List<Subscribe.Request> requests = new ArrayList<>(1);
    while (body.remaining() > 0) {
      String filter = MqttDecoder.readFilter(body);
      requests.add(request(filter, body.readByte()));
    }
    return new Subscribe(packetId, Collections.unmodifiableList(requests), properties);
  }

  /** One filter's Subscription Options byte (section 3.8.3.1). */
  private static Subscribe.Request request(String filter, int options) {
    if ((options & 0xC0) != 0) {
      throw new Malformed("MQTT-3.8.3-5", "reserved subscription option bits set: " + options);
    }
    int qos = options & 0x03;
    if (qos == 3) {
      throw new Malformed("invalid-maximum-qos", "subscription options with maximum QoS 3");
    }
    boolean noLocal = (options & 0x04) != 0;
    boolean retainAsPublished = (options & 0x08) != 0;
    int retainHandling = (options >> 4) & 0x03;
    if (retainHandling == 3) {
      throw Malformed.protocolError("retain-handling-3", "subscription options with Retain Handling 3");
    }
    // A shared subscription's messages go to one member, so "not my own" cannot be honoured.
    if (noLocal && filter.startsWith(SHARED_PREFIX)) {
      throw Malformed.protocolError("MQTT-3.8.3-4", "No Local on a shared subscription");
    }
    return new Subscribe.Request(filter, qos, noLocal, retainAsPublished, retainHandling);
  }

  private static Unsubscribe unsubscribe(BodyReader body) {
    int packetId = body.readPacketId();
    Properties properties = PropertiesReader.read(body, PacketType.UNSUBSCRIBE);
    if (body.remaining() == 0) {
      throw Malformed.protocolError("MQTT-3.10.3-2", "UNSUBSCRIBE without topic filters");
    }
    List<String> filters = new ArrayList<>(1);
    while (body.remaining() > 0) {
      filters.add(MqttDecoder.readFilter(body));
    }
    return new Unsubscribe(packetId, Collections.unmodifiableList(filters), properties);
  }

  /** A remaining length of 0 is a normal disconnection without properties. */
  private static Disconnect disconnect(BodyReader body, boolean serverSide) {
    if (body.remaining() == 0) {
      return Disconnect.INSTANCE;
    }
    ReasonCode code = ReasonCodes.read(body, PacketType.DISCONNECT);
    Properties properties =
        body.remaining() > 0 ? PropertiesReader.read(body, PacketType.DISCONNECT) : Properties.EMPTY;
    if (!serverSide && properties.sessionExpiryInterval() != null) {
      throw Malformed.protocolError("MQTT-3.14.2-2", "session expiry interval in a server's DISCONNECT");
    }
    if (code == ReasonCode.SUCCESS && properties.isEmpty()) {
      return Disconnect.INSTANCE;
    }
    return new Disconnect(code, properties);
  }

  /** Like DISCONNECT, a remaining length of 0 means success without properties. */
  private static Auth auth(BodyReader body) {
    if (body.remaining() == 0) {
      return new Auth(ReasonCode.SUCCESS, Properties.EMPTY);
    }
    ReasonCode code = ReasonCodes.read(body, PacketType.AUTH);
    Properties properties =
        body.remaining() > 0 ? PropertiesReader.read(body, PacketType.AUTH) : Properties.EMPTY;
    return new Auth(code, properties);
  }

  private static ConnAck connAck(BodyReader body) {
    int ackFlags = body.readByte();
    if ((ackFlags & 0xFE) != 0) {
      throw new Malformed("MQTT-3.2.2-1", "reserved CONNACK flags set");
    }
    boolean sessionPresent = (ackFlags & 0x01) != 0;
    ReasonCode code = ReasonCodes.read(body, PacketType.CONNACK);
    if (sessionPresent && code.isError()) {
      throw Malformed.protocolError("MQTT-3.2.2-6", "session present with a refusing CONNACK");
    }
    return new ConnAck(sessionPresent, code, PropertiesReader.read(body, PacketType.CONNACK));
  }

  private static SubAck subAck(BodyReader body) {
    int packetId = body.readPacketId();
    Properties properties = PropertiesReader.read(body, PacketType.SUBACK);
    byte[] codes = body.readBytes(body.remaining());
    if (codes.length == 0) {
      throw new Malformed(BodyReader.TRUNCATED, "SUBACK without reason codes");
    }
    for (byte code : codes) {
      requireAllowed(code & 0xFF, PacketType.SUBACK);
    }
    return new SubAck(packetId, codes, properties);
  }

  private static UnsubAck unsubAck(BodyReader body) {
    int packetId = body.readPacketId();
    Properties properties = PropertiesReader.read(body, PacketType.UNSUBACK);
    if (body.remaining() == 0) {
      throw new Malformed(BodyReader.TRUNCATED, "UNSUBACK without reason codes");
    }
    List<ReasonCode> codes = new ArrayList<>(body.remaining());
    while (body.remaining() > 0) {
      codes.add(ReasonCodes.read(body, PacketType.UNSUBACK));
    }
    return new UnsubAck(packetId, codes, properties);
  }

  private static void requireAllowed(int value, int type) {
    ReasonCode code = ReasonCodes.of(value);
    if (code == null || !ReasonCodes.allowedIn(code, type)) {
      throw Malformed.protocolError(
          ReasonCodes.specId(type), "reason code 0x" + Integer.toHexString(value) + " in SUBACK");
    }
  }

  /** A wildcard in a topic name is an invalid topic; broken UTF-8 stays a malformed packet. */
  private static ReasonCode topicReason(String specId) {
    return "MQTT-3.3.2-2".equals(specId) ? ReasonCode.TOPIC_NAME_INVALID : ReasonCode.MALFORMED_PACKET;
  }
}
