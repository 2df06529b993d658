package io.tern.broker.core.codec;

import java.util.List;

/** UNSUBSCRIBE: at least one topic filter. */
public record Unsubscribe(int packetId, List<String> filters) implements Packet {
  @Override
  public int type() {
    return PacketType.UNSUBSCRIBE;
  }
}
