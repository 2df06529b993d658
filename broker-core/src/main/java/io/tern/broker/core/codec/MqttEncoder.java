package io.tern.broker.core.codec;

import java.nio.ByteBuffer;

/** Encodes server-to-client MQTT 3.1.1 packets. Stateless. */
public final class MqttEncoder {
  private MqttEncoder() {}

  /** The number of bytes {@link #write(Packet, ByteBuffer)} will write for this packet. */
  public static int size(Packet packet) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Writes the packet at {@code out}'s position, which must have {@link #size} bytes remaining. */
  public static void write(Packet packet, ByteBuffer out) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The size of an outbound PUBLISH; {@code topic} is the topic name in UTF-8. */
  public static int publishSize(byte[] topic, int qos, int payloadLength) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Writes an outbound PUBLISH; {@code packetId} is ignored for QoS 0. */
  public static void writePublish(
      ByteBuffer out, byte[] topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
    throw new UnsupportedOperationException("TODO");
  }
}
