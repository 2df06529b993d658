package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reason code bytes to {@link ReasonCode} values, and which codes each MQTT 5 packet may carry
 * (the tables of sections 3.2.2.2, 3.4.2.1 to 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1 and 3.15.2.1).
 */
final class ReasonCodes {
  private static final ReasonCode[] BY_VALUE = new ReasonCode[256];

  static {
    for (ReasonCode code : ReasonCode.values()) {
      BY_VALUE[code.value()] = code;
    }
  }

  private static final Set<ReasonCode> CONNACK =
      EnumSet.of(
          ReasonCode.SUCCESS,
          ReasonCode.UNSPECIFIED_ERROR,
          ReasonCode.MALFORMED_PACKET,
          ReasonCode.PROTOCOL_ERROR,
          ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
          ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
          ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
          ReasonCode.BAD_USER_NAME_OR_PASSWORD,
          ReasonCode.NOT_AUTHORIZED,
          ReasonCode.SERVER_UNAVAILABLE,
          ReasonCode.SERVER_BUSY,
          ReasonCode.BANNED,
          ReasonCode.BAD_AUTHENTICATION_METHOD,
          ReasonCode.TOPIC_NAME_INVALID,
          ReasonCode.PACKET_TOO_LARGE,
          ReasonCode.QUOTA_EXCEEDED,
          ReasonCode.PAYLOAD_FORMAT_INVALID,
          ReasonCode.RETAIN_NOT_SUPPORTED,
          ReasonCode.QOS_NOT_SUPPORTED,
          ReasonCode.USE_ANOTHER_SERVER,
          ReasonCode.SERVER_MOVED,
          ReasonCode.CONNECTION_RATE_EXCEEDED);

  private static final Set<ReasonCode> PUBACK_PUBREC =
      EnumSet.of(
          ReasonCode.SUCCESS,
          ReasonCode.NO_MATCHING_SUBSCRIBERS,
          ReasonCode.UNSPECIFIED_ERROR,
          ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
          ReasonCode.NOT_AUTHORIZED,
          ReasonCode.TOPIC_NAME_INVALID,
          ReasonCode.PACKET_IDENTIFIER_IN_USE,
          ReasonCode.QUOTA_EXCEEDED,
          ReasonCode.PAYLOAD_FORMAT_INVALID);

  private static final Set<ReasonCode> PUBREL_PUBCOMP =
      EnumSet.of(ReasonCode.SUCCESS, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);

  private static final Set<ReasonCode> SUBACK =
      EnumSet.of(
          ReasonCode.SUCCESS,
          ReasonCode.GRANTED_QOS_1,
          ReasonCode.GRANTED_QOS_2,
          ReasonCode.UNSPECIFIED_ERROR,
          ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
          ReasonCode.NOT_AUTHORIZED,
          ReasonCode.TOPIC_FILTER_INVALID,
          ReasonCode.PACKET_IDENTIFIER_IN_USE,
          ReasonCode.QUOTA_EXCEEDED,
          ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
          ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
          ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);

  private static final Set<ReasonCode> UNSUBACK =
      EnumSet.of(
          ReasonCode.SUCCESS,
          ReasonCode.NO_SUBSCRIPTION_EXISTED,
          ReasonCode.UNSPECIFIED_ERROR,
          ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
          ReasonCode.NOT_AUTHORIZED,
          ReasonCode.TOPIC_FILTER_INVALID,
          ReasonCode.PACKET_IDENTIFIER_IN_USE);

  private static final Set<ReasonCode> DISCONNECT =
      EnumSet.of(
          ReasonCode.SUCCESS,
          ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
          ReasonCode.UNSPECIFIED_ERROR,
          ReasonCode.MALFORMED_PACKET,
          ReasonCode.PROTOCOL_ERROR,
          ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
          ReasonCode.NOT_AUTHORIZED,
          ReasonCode.SERVER_BUSY,
          ReasonCode.SERVER_SHUTTING_DOWN,
          ReasonCode.KEEP_ALIVE_TIMEOUT,
          ReasonCode.SESSION_TAKEN_OVER,
          ReasonCode.TOPIC_FILTER_INVALID,
          ReasonCode.TOPIC_NAME_INVALID,
          ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
          ReasonCode.TOPIC_ALIAS_INVALID,
          ReasonCode.PACKET_TOO_LARGE,
          ReasonCode.MESSAGE_RATE_TOO_HIGH,
          ReasonCode.QUOTA_EXCEEDED,
          ReasonCode.ADMINISTRATIVE_ACTION,
          ReasonCode.PAYLOAD_FORMAT_INVALID,
          ReasonCode.RETAIN_NOT_SUPPORTED,
          ReasonCode.QOS_NOT_SUPPORTED,
          ReasonCode.USE_ANOTHER_SERVER,
          ReasonCode.SERVER_MOVED,
          ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
          ReasonCode.CONNECTION_RATE_EXCEEDED,
          ReasonCode.MAXIMUM_CONNECT_TIME,
          ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
          ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);

  private static final Set<ReasonCode> AUTH =
      EnumSet.of(
          ReasonCode.SUCCESS, ReasonCode.CONTINUE_AUTHENTICATION, ReasonCode.RE_AUTHENTICATE);

  private ReasonCodes() {}

  /** The reason code with this byte value, or null when MQTT 5 defines none. */
  static ReasonCode of(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
  }

  /**
   * Reads the reason code byte of a packet of {@code type} and checks that the packet may carry it.
   * An unknown or unsuitable code is a protocol error: the sender broke the "MUST use one of the
   * reason codes" rule of that packet.
   */
  static ReasonCode read(BodyReader body, int type) {
    int value = body.readByte();
    ReasonCode code = of(value);
    if (code == null || !allowedIn(code, type)) {
      throw Malformed.protocolError(
          specId(type),
          "reason code 0x" + Integer.toHexString(value) + " in " + PropertiesReader.name(type));
    }
    return code;
  }

  static boolean allowedIn(ReasonCode code, int type) {
    return switch (type) {
      case PacketType.CONNACK -> CONNACK.contains(code);
      case PacketType.PUBACK, PacketType.PUBREC -> PUBACK_PUBREC.contains(code);
      case PacketType.PUBREL, PacketType.PUBCOMP -> PUBREL_PUBCOMP.contains(code);
      case PacketType.SUBACK -> SUBACK.contains(code);
      case PacketType.UNSUBACK -> UNSUBACK.contains(code);
      case PacketType.DISCONNECT -> DISCONNECT.contains(code);
      case PacketType.AUTH -> AUTH.contains(code);
      default -> false;
    };
  }

  /** The statement requiring a packet's sender to use one of its reason codes. */
  static String specId(int type) {
    return switch (type) {
      case PacketType.CONNACK -> "MQTT-3.2.2-8";
      case PacketType.PUBACK -> "MQTT-3.4.2-1";
      case PacketType.PUBREC -> "MQTT-3.5.2-1";
      case PacketType.PUBREL -> "MQTT-3.6.2-1";
      case PacketType.PUBCOMP -> "MQTT-3.7.2-1";
      case PacketType.SUBACK -> "MQTT-3.9.3-2";
      case PacketType.UNSUBACK -> "MQTT-3.11.3-2";
      case PacketType.DISCONNECT -> "MQTT-3.14.2-1";
      case PacketType.AUTH -> "MQTT-3.15.2-1";
      default -> "invalid-reason-code";
    };
  }

  static byte[] toBytes(List<ReasonCode> codes) {
    byte[] bytes = new byte[codes.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) codes.get(i).value();
    }
    return bytes;
  }
}
