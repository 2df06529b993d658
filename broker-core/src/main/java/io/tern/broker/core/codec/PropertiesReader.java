package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;

/**
 * Reads one MQTT 5 property block (section 2.2.2): a variable byte integer length, then the
 * properties. Checks what can be checked without connection state: known identifiers, identifiers
 * allowed in the packet, single occurrence, value ranges. Range checks that need the session (a
 * topic alias above the negotiated maximum, say) are the protocol layer's.
 *
 * <p>The specification calls an identifier not valid for the packet a Malformed Packet, and a
 * repeated property or a value out of range a Protocol Error; the violations carry the reason
 * code to match.
 */
final class PropertiesReader {
  static final String LENGTH_MISMATCH = "property-length-mismatch";
  static final String UNKNOWN = "unknown-property";
  static final String NOT_ALLOWED = "property-not-allowed";
  static final String DUPLICATE = "duplicate-property";
  static final String INVALID_VALUE = "invalid-property-value";

  private PropertiesReader() {}

  /**
   * Reads the property block at the reader's position.
   *
   * @param context the packet type, or {@link PropertyId.WillContext#ID} for Will Properties
   */
  static Properties read(BodyReader body, int context) {
    int length = body.readVariableByteInteger();
    if (length > body.remaining()) {
      throw new Malformed(
          LENGTH_MISMATCH,
          "property length " + length + " runs past the packet (" + body.remaining() + " left)");
    }
    if (length == 0) {
      return Properties.EMPTY;
    }
    int outerEnd = body.confine(length);
    Properties.Builder builder = Properties.builder();
    boolean[] seen = new boolean[PropertyId.LIMIT];
    try {
      while (body.remaining() > 0) {
        int identifier = body.readVariableByteInteger();
        PropertyId id = PropertyId.of(identifier);
        if (id == null) {
          throw new Malformed(
              UNKNOWN, "unknown property 0x" + Integer.toHexString(identifier) + " in " + name(context));
        }
        if (!id.allowedIn(context)) {
          throw new Malformed(NOT_ALLOWED, id + " is not allowed in " + name(context));
        }
        if (seen[id.id] && !id.repeatableIn(context)) {
          throw Malformed.protocolError(DUPLICATE, id + " more than once in " + name(context));
        }
        seen[id.id] = true;
        Object value = readValue(body, id);
        check(id, value, context);
        if (id == PropertyId.SUBSCRIPTION_IDENTIFIER || id == PropertyId.USER_PROPERTY) {
          builder.add(id, value);
        } else {
          builder.set(id, value);
        }
      }
    } finally {
      body.restore(outerEnd);
    }
    if (seen[PropertyId.AUTHENTICATION_DATA.id] && !seen[PropertyId.AUTHENTICATION_METHOD.id]) {
      throw Malformed.protocolError(
          INVALID_VALUE, "authentication data without authentication method in " + name(context));
    }
    return builder.build();
  }

  private static Object readValue(BodyReader body, PropertyId id) {
    return switch (id.type) {
      case BYTE -> body.readByte();
      case TWO_BYTE -> body.readUnsignedShort();
      case FOUR_BYTE -> body.readFourByteInteger();
      case VARIABLE_BYTE -> body.readVariableByteInteger();
      case UTF8 -> body.readString();
      case BINARY -> body.readBinary();
      case UTF8_PAIR -> new Properties.UserProperty(body.readString(), body.readString());
    };
  }

  private static void check(PropertyId id, Object value, int context) {
    switch (id) {
      case PAYLOAD_FORMAT_INDICATOR,
          REQUEST_PROBLEM_INFORMATION,
          REQUEST_RESPONSE_INFORMATION,
          MAXIMUM_QOS,
          RETAIN_AVAILABLE,
          WILDCARD_SUBSCRIPTION_AVAILABLE,
          SUBSCRIPTION_IDENTIFIER_AVAILABLE,
          SHARED_SUBSCRIPTION_AVAILABLE -> {
        int v = (Integer) value;
        if (v != 0 && v != 1) {
          throw invalid(id, value + ", not 0 or 1");
        }
      }
      case RECEIVE_MAXIMUM -> requireNonZero(id, ((Integer) value).longValue(), INVALID_VALUE);
      case MAXIMUM_PACKET_SIZE -> requireNonZero(id, (Long) value, INVALID_VALUE);
      case TOPIC_ALIAS -> requireNonZero(id, ((Integer) value).longValue(), "MQTT-3.3.2-8");
      case SUBSCRIPTION_IDENTIFIER ->
          requireNonZero(id, ((Integer) value).longValue(), INVALID_VALUE);
      case RESPONSE_TOPIC -> {
        if (TopicSyntax.nameProblem((String) value) != null) {
          throw Malformed.protocolError(
              "MQTT-3.3.2-14", "response topic is not a valid topic name in " + name(context));
        }
      }
      default -> {
        // Any value of the type is acceptable.
      }
    }
  }

  private static void requireNonZero(PropertyId id, long value, String specId) {
    if (value == 0) {
      throw Malformed.protocolError(specId, id + " of 0");
    }
  }

  private static Malformed invalid(PropertyId id, String what) {
    return new Malformed(INVALID_VALUE, id + " is " + what, ReasonCode.PROTOCOL_ERROR);
  }

  /** A readable name for a property context, for violation descriptions. */
  static String name(int context) {
    return switch (context) {
      case PropertyId.WillContext.ID -> "Will Properties";
      case PacketType.CONNECT -> "CONNECT";
      case PacketType.CONNACK -> "CONNACK";
      case PacketType.PUBLISH -> "PUBLISH";
      case PacketType.PUBACK -> "PUBACK";
      case PacketType.PUBREC -> "PUBREC";
      case PacketType.PUBREL -> "PUBREL";
      case PacketType.PUBCOMP -> "PUBCOMP";
      case PacketType.SUBSCRIBE -> "SUBSCRIBE";
      case PacketType.SUBACK -> "SUBACK";
      case PacketType.UNSUBSCRIBE -> "UNSUBSCRIBE";
      case PacketType.UNSUBACK -> "UNSUBACK";
      case PacketType.DISCONNECT -> "DISCONNECT";
      case PacketType.AUTH -> "AUTH";
      default -> "packet type " + context;
    };
  }
}
