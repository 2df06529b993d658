package io.tern.broker.core.codec;

/** PUBREC. */
public record PubRec(int packetId) implements Packet {
  @Override
  public int type() {
    return PacketType.PUBREC;
  }
}
