package io.tern.broker.core.codec;

/**
 * An inbound PUBLISH. {@code packetId} is 0 for QoS 0.
 *
 * <p>The payload array is owned by this packet once decoded and is never modified afterwards, so
 * it can be shared read-only between threads.
 */
public record Publish(String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload)
    implements Packet {

  @Override
  public int type() {
    return PacketType.PUBLISH;
  }
}
