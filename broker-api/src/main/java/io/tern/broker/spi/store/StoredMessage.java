package io.tern.broker.spi.store;

import io.tern.broker.message.QoS;
import java.util.Arrays;
import java.util.Objects;

/**
 * A QoS 1 or 2 message on its way to a persistent session, as stored: queued, or sent and not yet
 * acknowledged.
 *
 * @param messageId the broker's identifier of the message within its session, increasing in the
 *     order the session received its messages; not an MQTT packet id
 * @param topic the topic name
 * @param payload the payload; shared and must not be modified
 * @param qos the QoS it is delivered with
 * @param retain whether it is delivered with the RETAIN flag
 * @param properties the MQTT 5 properties to send with it (those forwarded from the publisher and
 *     the delivery's Subscription Identifiers), encoded as in a PUBLISH packet's property block
 *     without its length prefix; empty when there are none. Opaque to a store. Shared and must not
 *     be modified.
 * @param timestamp when the broker received it, in epoch milliseconds; a Message Expiry Interval
 *     counts from here across a restart. 0 when unknown: it then counts from the broker's start.
 * @param packetId the packet id it was last sent with, 0 while it is only queued; a message restored
 *     with one is sent again with it and the DUP flag
 */
public record StoredMessage(long messageId, String topic, byte[] payload, QoS qos, boolean retain,
    byte[] properties, long timestamp, int packetId) {

  public StoredMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(properties, "properties");
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp must not be negative: " + timestamp);
    }
    if (packetId < 0 || packetId > 0xFFFF) {
      throw new IllegalArgumentException("packet id out of range: " + packetId);
    }
  }

  /** The same message, sent with this packet id. */
  public StoredMessage withPacketId(int newPacketId) {
    return new StoredMessage(messageId, topic, payload, qos, retain, properties, timestamp, newPacketId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredMessage m && messageId == m.messageId && topic.equals(m.topic) && qos == m.qos
        && retain == m.retain && timestamp == m.timestamp && packetId == m.packetId
        && Arrays.equals(payload, m.payload) && Arrays.equals(properties, m.properties);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(messageId) * 31 + topic.hashCode();
  }

  @Override
  public String toString() {
    return "StoredMessage[" + messageId + " " + topic + " " + qos + (packetId == 0 ? "" : " sent as " + packetId)
        + ", " + payload.length + " bytes]";
  }
}
