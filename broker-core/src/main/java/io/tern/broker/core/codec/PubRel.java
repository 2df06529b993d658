package io.tern.broker.core.codec;

/** PUBREL. */
public record PubRel(int packetId) implements Packet {
  @Override
  public int type() {
    return PacketType.PUBREL;
  }
}
