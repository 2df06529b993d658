package io.tern.broker.core.codec;

/** PUBACK. */
public record PubAck(int packetId) implements Packet {
  @Override
  public int type() {
    return PacketType.PUBACK;
  }
}
