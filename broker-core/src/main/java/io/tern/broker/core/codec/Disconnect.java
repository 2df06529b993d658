package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.Objects;

/**
 * DISCONNECT. MQTT 3.1.1 carries nothing; MQTT 5 adds a reason code and properties, both of which
 * may be left out for a normal disconnection ({@link ReasonCode#SUCCESS}, value 0x00).
 */
public record Disconnect(ReasonCode reasonCode, Properties properties) implements Packet {
  /** A normal disconnection without properties: what MQTT 3.1.1 sends, and what it decodes to. */
  public static final Disconnect INSTANCE = new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY);

  public Disconnect {
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(properties, "properties");
  }

  /** Whether the MQTT 5 form of this packet may carry this reason code. */
  public static boolean carries(ReasonCode code) {
    return ReasonCodes.allowedIn(code, PacketType.DISCONNECT);
  }

  @Override
  public int type() {
    return PacketType.DISCONNECT;
  }
}
