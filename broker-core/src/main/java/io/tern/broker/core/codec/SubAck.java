package io.tern.broker.core.codec;

/** SUBACK: one return code per requested filter (granted QoS 0..2, or 0x80 for failure). */
public record SubAck(int packetId, byte[] returnCodes) implements Packet {
  public static final int FAILURE = 0x80;

  @Override
  public int type() {
    return PacketType.SUBACK;
  }
}
