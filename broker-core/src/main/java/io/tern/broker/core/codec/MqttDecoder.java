package io.tern.broker.core.codec;

import java.nio.ByteBuffer;

/**
 * Decodes MQTT 3.1 and 3.1.1 packets from bytes as they arrive, one packet per call.
 *
 * <p>One decoder per connection, used by the connection's owner thread only. Before the CONNECT
 * has been decoded, only a CONNECT is acceptable; after it, the decoder accepts the packets a
 * client may send to a server.
 *
 * <p>A malformed packet is reported as a {@link Violation}, never as an exception.
 */
public final class MqttDecoder {

  /** @param maxPacketSize the largest whole packet accepted, fixed header included */
  public MqttDecoder(int maxPacketSize) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Decodes the next packet from {@code in} (position to limit).
   *
   * @return the packet, with {@code in}'s position just past it; or null when {@code in} holds no
   *     whole packet yet (position unchanged) or the bytes are malformed (see {@link #violation()})
   */
  public Packet decode(ByteBuffer in) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The violation that stopped decoding, or null. Once set, the connection must be closed. */
  public Violation violation() {
    throw new UnsupportedOperationException("TODO");
  }
}
