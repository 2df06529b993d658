package io.tern.broker.core.codec;

import java.util.List;

/** SUBSCRIBE: at least one topic filter with its requested QoS. */
public record Subscribe(int packetId, List<Request> requests) implements Packet {

  /** One topic filter and the maximum QoS requested for it. */
  public record Request(String filter, int qos) {}

  @Override
  public int type() {
    return PacketType.SUBSCRIBE;
  }
}
