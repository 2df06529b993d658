package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;

/**
 * CONNACK. {@code returnCode} is the byte on the wire: an MQTT 3.1.1 return code (0 accepted,
 * 1..5 refused) or, for MQTT 5, a reason code value (see {@link #reasonCode()}).
 *
 * @param properties the MQTT 5 CONNACK properties; {@link Properties#EMPTY} for 3.1.1
 */
public record ConnAck(boolean sessionPresent, int returnCode, Properties properties)
    implements Packet {
  public static final int ACCEPTED = 0;
  public static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;
  public static final int IDENTIFIER_REJECTED = 2;
  public static final int SERVER_UNAVAILABLE = 3;
  public static final int BAD_USERNAME_OR_PASSWORD = 4;
  public static final int NOT_AUTHORIZED = 5;

  /** An MQTT 3.1.1 CONNACK. */
  public ConnAck(boolean sessionPresent, int returnCode) {
    this(sessionPresent, returnCode, Properties.EMPTY);
  }

  /** An MQTT 5 CONNACK. */
  public ConnAck(boolean sessionPresent, ReasonCode reasonCode, Properties properties) {
    this(sessionPresent, reasonCode.value(), properties);
  }

  public ConnAck {
    java.util.Objects.requireNonNull(properties, "properties");
  }

  /** The return code read as an MQTT 5 reason code, or null when none has that value. */
  public ReasonCode reasonCode() {
    return ReasonCodes.of(returnCode);
  }

  /** Whether the MQTT 5 form of this packet may carry this reason code. */
  public static boolean carries(ReasonCode code) {
    return ReasonCodes.allowedIn(code, PacketType.CONNACK);
  }

  @Override
  public int type() {
    return PacketType.CONNACK;
  }
}
