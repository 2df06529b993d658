package io.tern.broker.core.codec;

/** PINGREQ; it carries nothing, so one instance serves. */
public enum PingReq implements Packet {
  INSTANCE;

  @Override
  public int type() {
    return PacketType.PINGREQ;
  }
}
