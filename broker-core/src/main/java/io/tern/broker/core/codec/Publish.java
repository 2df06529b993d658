package io.tern.broker.core.codec;

import java.util.Objects;

/**
 * A PUBLISH. {@code packetId} is 0 for QoS 0.
 *
 * <p>The payload array is owned by this packet once decoded and is never modified afterwards, so
 * it can be shared read-only between threads.
 *
 * @param topic the topic name; in MQTT 5 it may be empty when {@code properties} holds a Topic
 *     Alias, which the session layer resolves
 * @param properties the MQTT 5 PUBLISH properties; {@link Properties#EMPTY} for 3.1.1
 */
public record Publish(
    String topic,
    int qos,
    boolean retain,
    boolean dup,
    int packetId,
    byte[] payload,
    Properties properties)
    implements Packet {

  /** A PUBLISH without properties, as MQTT 3.1.1 sends. */
  public Publish(String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload) {
    this(topic, qos, retain, dup, packetId, payload, Properties.EMPTY);
  }

  public Publish {
    Objects.requireNonNull(properties, "properties");
  }

  @Override
  public int type() {
    return PacketType.PUBLISH;
  }
}
