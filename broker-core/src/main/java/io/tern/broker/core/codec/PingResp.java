package io.tern.broker.core.codec;

/** PINGRESP; it carries nothing, so one instance serves. */
public enum PingResp implements Packet {
  INSTANCE;

  @Override
  public int type() {
    return PacketType.PINGRESP;
  }
}
