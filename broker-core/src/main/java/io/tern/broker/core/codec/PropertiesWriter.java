package io.tern.broker.core.codec;

import java.nio.ByteBuffer;

/**
 * Sizes and writes MQTT 5 property blocks: the length as a variable byte integer, then each
 * present property in identifier order, repeated ones in the order they were added.
 */
final class PropertiesWriter {
  private PropertiesWriter() {}

  /** The bytes of the whole block, its length prefix included. */
  static int blockSize(Properties properties) {
    int length = contentLength(properties);
    return variableByteIntegerSize(length) + length;
  }

  /** Writes the whole block, its length prefix included. */
  static void write(ByteBuffer out, Properties properties) {
    MqttEncoder.writeRemainingLength(out, contentLength(properties));
    if (properties.isEmpty()) {
      return;
    }
    for (PropertyId id : PropertyId.ALL) {
      switch (id) {
        case SUBSCRIPTION_IDENTIFIER -> {
          for (int value : properties.subscriptionIdentifiers()) {
            out.put((byte) id.id);
            MqttEncoder.writeRemainingLength(out, value);
          }
        }
        case USER_PROPERTY -> {
          for (Properties.UserProperty p : properties.userProperties()) {
            out.put((byte) id.id);
            writeString(out, p.name());
            writeString(out, p.value());
          }
        }
        default -> {
          Object value = properties.raw(id);
          if (value != null) {
            out.put((byte) id.id);
            writeValue(out, id, value);
          }
        }
      }
    }
  }

  private static int contentLength(Properties properties) {
    if (properties.isEmpty()) {
      return 0;
    }
    long length = 0;
    for (int value : properties.subscriptionIdentifiers()) {
      length += 1 + variableByteIntegerSize(value);
    }
    for (Properties.UserProperty p : properties.userProperties()) {
      length += 1 + MqttEncoder.stringLength(p.name()) + MqttEncoder.stringLength(p.value());
    }
    for (PropertyId id : PropertyId.ALL) {
      Object value = properties.raw(id);
      if (value != null && id != PropertyId.SUBSCRIPTION_IDENTIFIER && id != PropertyId.USER_PROPERTY) {
        length += 1 + valueSize(id, value);
      }
    }
    if (length > MqttEncoder.MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException("properties too large: " + length);
    }
    return (int) length;
  }

  private static int valueSize(PropertyId id, Object value) {
    return switch (id.type) {
      case BYTE -> 1;
      case TWO_BYTE -> 2;
      case FOUR_BYTE -> 4;
      case VARIABLE_BYTE -> variableByteIntegerSize((Integer) value);
      case UTF8 -> MqttEncoder.stringLength((String) value);
      case BINARY -> binarySize((byte[]) value);
      case UTF8_PAIR -> throw new IllegalStateException("user properties are a list");
    };
  }

  private static void writeValue(ByteBuffer out, PropertyId id, Object value) {
    switch (id.type) {
      case BYTE -> out.put((byte) (int) (Integer) value);
      case TWO_BYTE -> out.putShort((short) (int) (Integer) value);
      case FOUR_BYTE -> out.putInt((int) (long) (Long) value);
      case VARIABLE_BYTE -> MqttEncoder.writeRemainingLength(out, (Integer) value);
      case UTF8 -> writeString(out, (String) value);
      case BINARY -> {
        byte[] bytes = (byte[]) value;
        out.putShort((short) bytes.length);
        out.put(bytes);
      }
      case UTF8_PAIR -> throw new IllegalStateException("user properties are a list");
    }
  }

  static int variableByteIntegerSize(int value) {
    return MqttEncoder.remainingLengthSize(value);
  }

  private static int binarySize(byte[] bytes) {
    if (bytes.length > 65_535) {
      throw new IllegalArgumentException("binary data longer than 65535 bytes");
    }
    return 2 + bytes.length;
  }

  private static void writeString(ByteBuffer out, String s) {
    out.putShort((short) Utf8.encodedLength(s));
    Utf8.write(out, s);
  }
}
