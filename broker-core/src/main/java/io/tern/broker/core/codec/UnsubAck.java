package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.List;
import java.util.Objects;

/**
 * UNSUBACK. MQTT 5 adds one reason code per filter of the UNSUBSCRIBE, in order, and properties;
 * MQTT 3.1.1 has the packet identifier alone, and its encoding leaves both out.
 */
public record UnsubAck(int packetId, List<ReasonCode> reasonCodes, Properties properties)
    implements Packet {

  /** An UNSUBACK without reason codes or properties: the MQTT 3.1.1 form. */
  public UnsubAck(int packetId) {
    this(packetId, List.of(), Properties.EMPTY);
  }

  public UnsubAck {
    reasonCodes = List.copyOf(reasonCodes);
    Objects.requireNonNull(properties, "properties");
  }

  @Override
  public int type() {
    return PacketType.UNSUBACK;
  }
}
