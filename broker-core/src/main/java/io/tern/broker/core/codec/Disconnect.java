package io.tern.broker.core.codec;

/** DISCONNECT; it carries nothing, so one instance serves. */
public enum Disconnect implements Packet {
  INSTANCE;

  @Override
  public int type() {
    return PacketType.DISCONNECT;
  }
}
