package io.tern.broker.core.codec;

/** UNSUBACK. */
public record UnsubAck(int packetId) implements Packet {
  @Override
  public int type() {
    return PacketType.UNSUBACK;
  }
}
