package io.tern.broker.spi.store;

import io.tern.broker.message.QoS;
import java.util.Arrays;
import java.util.Objects;

/**
 * A retained message.
 *
 * @param topic the topic name
 * @param payload the payload; never empty, since an empty payload clears the retained message.
 *     The array is shared and must not be modified.
 * @param qos the QoS it was published with
 * @param properties the MQTT 5 properties forwarded with it (Payload Format Indicator, Message
 *     Expiry Interval, Content Type, Response Topic, Correlation Data, User Properties), encoded
 *     as in a PUBLISH packet's property block without its length prefix; empty when there are none.
 *     Opaque to a store, which keeps the bytes as they are. Shared and must not be modified.
 * @param timestamp when the broker received it, in epoch milliseconds; a Message Expiry Interval
 *     counts from here across a restart. 0 when unknown: it then counts from the broker's start.
 */
public record RetainedMessage(String topic, byte[] payload, QoS qos, byte[] properties, long timestamp) {
  private static final byte[] NONE = new byte[0];

  public RetainedMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(properties, "properties");
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp must not be negative: " + timestamp);
    }
  }

  /** A message without properties or time of receipt, as an MQTT 3.1.1 client publishes it. */
  public RetainedMessage(String topic, byte[] payload, QoS qos) {
    this(topic, payload, qos, NONE, 0);
  }

  // Arrays compare by content, so that two messages with the same bytes are equal.
  @Override
  public boolean equals(Object o) {
    return o instanceof RetainedMessage m && topic.equals(m.topic) && qos == m.qos && timestamp == m.timestamp
        && Arrays.equals(payload, m.payload) && Arrays.equals(properties, m.properties);
  }

  @Override
  public int hashCode() {
    return (topic.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + qos.hashCode();
  }

  @Override
  public String toString() {
    return "RetainedMessage[" + topic + ", " + qos + ", " + payload.length + " bytes, " + properties.length
        + " bytes of properties]";
  }
}
