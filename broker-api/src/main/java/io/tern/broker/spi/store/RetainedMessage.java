package io.tern.broker.spi.store;

import io.tern.broker.message.QoS;
import java.util.Objects;

/**
 * A retained message.
 *
 * @param topic the topic name
 * @param payload the payload; never empty, since an empty payload clears the retained message.
 *     The array is shared and must not be modified.
 * @param qos the QoS it was published with
 */
public record RetainedMessage(String topic, byte[] payload, QoS qos) {
  public RetainedMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
  }
}
