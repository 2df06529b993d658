package io.tern.broker.core.codec;

/** PUBCOMP. */
public record PubComp(int packetId) implements Packet {
  @Override
  public int type() {
    return PacketType.PUBCOMP;
  }
}
