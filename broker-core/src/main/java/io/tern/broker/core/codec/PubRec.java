package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.Objects;

/**
 * PUBREC. MQTT 3.1.1 carries the packet identifier alone, which reads as {@link ReasonCode#SUCCESS}
 * without properties.
 */
public record PubRec(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

  /** A successful PUBREC without properties: the only form MQTT 3.1.1 has. */
  public PubRec(int packetId) {
    this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
  }

  public PubRec {
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(properties, "properties");
  }

  @Override
  public int type() {
    return PacketType.PUBREC;
  }
}
