package io.tern.broker.core.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The properties of a PUBLISH as a store keeps them: the packet's property block without its length
 * prefix, so that no properties is an empty array. Read back with the same checks as a PUBLISH
 * from the network, since a store's bytes are input too.
 */
public final class StoredProperties {
  private static final byte[] NONE = new byte[0];

  private StoredProperties() {}

  public static byte[] encode(Properties properties) {
    if (properties.isEmpty()) {
      return NONE;
    }
    ByteBuffer block = ByteBuffer.allocate(PropertiesWriter.blockSize(properties));
    PropertiesWriter.write(block, properties);
    int prefix = 0;
    while ((block.get(prefix) & 0x80) != 0) {
      prefix++;
    }
    return Arrays.copyOfRange(block.array(), prefix + 1, block.capacity());
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a valid PUBLISH property block
   */
  public static Properties decode(byte[] content) {
    if (content.length == 0) {
      return Properties.EMPTY;
    }
    ByteBuffer block = ByteBuffer.allocate(4 + content.length);
    MqttEncoder.writeRemainingLength(block, content.length);
    block.put(content);
    BodyReader reader = new BodyReader();
    reader.reset(block, 0, block.position());
    try {
      return PropertiesReader.read(reader, PacketType.PUBLISH);
    } catch (Malformed e) {
      throw new IllegalArgumentException("stored properties are not a valid PUBLISH property block: "
          + e.getMessage(), e);
    }
  }
}
