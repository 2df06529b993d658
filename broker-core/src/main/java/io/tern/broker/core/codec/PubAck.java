package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.Objects;

/**
 * PUBACK. MQTT 3.1.1 carries the packet identifier alone, which reads as {@link ReasonCode#SUCCESS}
 * without properties.
 */
public record PubAck(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

  /** A successful PUBACK without properties: the only form MQTT 3.1.1 has. */
  public PubAck(int packetId) {
    this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
  }

  public PubAck {
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(properties, "properties");
  }

  /**
   * Whether the MQTT 5 form of PUBACK (and of PUBREC, which has the same table) may carry this
   * reason code.
   */
  public static boolean carries(ReasonCode code) {
    return ReasonCodes.allowedIn(code, PacketType.PUBACK);
  }

  @Override
  public int type() {
    return PacketType.PUBACK;
  }
}
