package io.tern.broker.core.codec;

/**
 * A decoded MQTT control packet, or one to encode.
 *
 * <p>Packets are plain values: the decoder creates them from the wire, the protocol layer acts on
 * them, the encoder writes them. Outbound PUBLISH packets are not built as objects; see
 * {@link MqttEncoder#writePublish}.
 */
public sealed interface Packet
    permits Connect, ConnAck, Publish, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
        Unsubscribe, UnsubAck, PingReq, PingResp, Disconnect, Auth {

  /** The control packet type, as in the high nibble of the fixed header. */
  int type();
}
