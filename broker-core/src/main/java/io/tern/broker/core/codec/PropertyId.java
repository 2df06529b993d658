package io.tern.broker.core.codec;

/**
 * The MQTT 5 properties (section 2.2.2.2): identifier, value type and the packets that may carry
 * each. The decoder and encoder share this table so the two sides cannot disagree.
 */
enum PropertyId {
  PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, false, PacketType.PUBLISH, WillContext.ID),
  MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE, false, PacketType.PUBLISH, WillContext.ID),
  CONTENT_TYPE(0x03, Type.UTF8, false, PacketType.PUBLISH, WillContext.ID),
  RESPONSE_TOPIC(0x08, Type.UTF8, false, PacketType.PUBLISH, WillContext.ID),
  CORRELATION_DATA(0x09, Type.BINARY, false, PacketType.PUBLISH, WillContext.ID),
  // Repeatable only in PUBLISH, where each matching subscription adds its own; see repeatableIn.
  SUBSCRIPTION_IDENTIFIER(
      0x0B, Type.VARIABLE_BYTE, true, PacketType.PUBLISH, PacketType.SUBSCRIBE),
  SESSION_EXPIRY_INTERVAL(
      0x11, Type.FOUR_BYTE, false, PacketType.CONNECT, PacketType.CONNACK, PacketType.DISCONNECT),
  ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8, false, PacketType.CONNACK),
  SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE, false, PacketType.CONNACK),
  AUTHENTICATION_METHOD(
      0x15, Type.UTF8, false, PacketType.CONNECT, PacketType.CONNACK, PacketType.AUTH),
  AUTHENTICATION_DATA(
      0x16, Type.BINARY, false, PacketType.CONNECT, PacketType.CONNACK, PacketType.AUTH),
  REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, false, PacketType.CONNECT),
  WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE, false, WillContext.ID),
  REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, false, PacketType.CONNECT),
  RESPONSE_INFORMATION(0x1A, Type.UTF8, false, PacketType.CONNACK),
  SERVER_REFERENCE(0x1C, Type.UTF8, false, PacketType.CONNACK, PacketType.DISCONNECT),
  REASON_STRING(
      0x1F,
      Type.UTF8,
      false,
      PacketType.CONNACK,
      PacketType.PUBACK,
      PacketType.PUBREC,
      PacketType.PUBREL,
      PacketType.PUBCOMP,
      PacketType.SUBACK,
      PacketType.UNSUBACK,
      PacketType.DISCONNECT,
      PacketType.AUTH),
  RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE, false, PacketType.CONNECT, PacketType.CONNACK),
  TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE, false, PacketType.CONNECT, PacketType.CONNACK),
  TOPIC_ALIAS(0x23, Type.TWO_BYTE, false, PacketType.PUBLISH),
  MAXIMUM_QOS(0x24, Type.BYTE, false, PacketType.CONNACK),
  RETAIN_AVAILABLE(0x25, Type.BYTE, false, PacketType.CONNACK),
  USER_PROPERTY(
      0x26,
      Type.UTF8_PAIR,
      true,
      PacketType.CONNECT,
      PacketType.CONNACK,
      PacketType.PUBLISH,
      WillContext.ID,
      PacketType.PUBACK,
      PacketType.PUBREC,
      PacketType.PUBREL,
      PacketType.PUBCOMP,
      PacketType.SUBSCRIBE,
      PacketType.SUBACK,
      PacketType.UNSUBSCRIBE,
      PacketType.UNSUBACK,
      PacketType.DISCONNECT,
      PacketType.AUTH),
  MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE, false, PacketType.CONNECT, PacketType.CONNACK),
  WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, false, PacketType.CONNACK),
  SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, false, PacketType.CONNACK),
  SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, false, PacketType.CONNACK);

  /** How a property's value is encoded (section 1.5). */
  enum Type {
    BYTE,
    TWO_BYTE,
    FOUR_BYTE,
    VARIABLE_BYTE,
    UTF8,
    BINARY,
    UTF8_PAIR
  }

  /**
   * The Will Properties of a CONNECT are a block of their own with their own allowed set. Packet
   * type 0 is reserved and never carries properties, so its number stands for that block.
   */
  static final class WillContext {
    static final int ID = 0;

    private WillContext() {}
  }

  /** One past the largest identifier, the length of arrays indexed by identifier. */
  static final int LIMIT = 0x2B;

  private static final PropertyId[] BY_ID = new PropertyId[LIMIT];

  /**
   * Every identifier in declaration order, for the encoder's loops: {@code values()} would copy the
   * array on each call. Never modified.
   */
  static final PropertyId[] ALL = values();

  static {
    for (PropertyId p : values()) {
      BY_ID[p.id] = p;
    }
  }

  final int id;
  final Type type;
  private final boolean repeatable;
  private final int contexts;

  PropertyId(int id, Type type, boolean repeatable, int... contexts) {
    this.id = id;
    this.type = type;
    this.repeatable = repeatable;
    int mask = 0;
    for (int context : contexts) {
      mask |= 1 << context;
    }
    this.contexts = mask;
  }

  /** The property with this identifier, or null when MQTT 5 defines none. */
  static PropertyId of(int id) {
    return id >= 0 && id < LIMIT ? BY_ID[id] : null;
  }

  /** Whether this property may appear in {@code context}: a packet type or the Will block. */
  boolean allowedIn(int context) {
    return (contexts & (1 << context)) != 0;
  }

  /** Whether this property may appear more than once in one property block of {@code context}. */
  boolean repeatableIn(int context) {
    return this == USER_PROPERTY || (repeatable && context == PacketType.PUBLISH);
  }
}
