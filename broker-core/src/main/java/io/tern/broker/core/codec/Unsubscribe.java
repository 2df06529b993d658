package io.tern.broker.core.codec;

import java.util.List;
import java.util.Objects;

/**
 * UNSUBSCRIBE: at least one topic filter.
 *
 * @param properties the MQTT 5 UNSUBSCRIBE properties; {@link Properties#EMPTY} for 3.1.1
 */
public record Unsubscribe(int packetId, List<String> filters, Properties properties)
    implements Packet {

  /** An UNSUBSCRIBE without properties, as MQTT 3.1.1 sends. */
  public Unsubscribe(int packetId, List<String> filters) {
    this(packetId, filters, Properties.EMPTY);
  }

  public Unsubscribe {
    Objects.requireNonNull(properties, "properties");
  }

  @Override
  public int type() {
    return PacketType.UNSUBSCRIBE;
  }
}
