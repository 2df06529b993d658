package io.tern.broker.core.codec;

/** CONNACK with an MQTT 3.1.1 return code (0 accepted, 1..5 refused). */
public record ConnAck(boolean sessionPresent, int returnCode) implements Packet {
  public static final int ACCEPTED = 0;
  public static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;
  public static final int IDENTIFIER_REJECTED = 2;
  public static final int SERVER_UNAVAILABLE = 3;
  public static final int BAD_USERNAME_OR_PASSWORD = 4;
  public static final int NOT_AUTHORIZED = 5;

  @Override
  public int type() {
    return PacketType.CONNACK;
  }
}
