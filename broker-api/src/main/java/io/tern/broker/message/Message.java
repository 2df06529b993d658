package io.tern.broker.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An application message as the in-process API publishes and receives it.
 *
 * @param topic the topic name; no wildcards
 * @param payload the payload; shared, not copied, and must not be modified once handed over
 * @param qos the quality of service
 * @param retain whether the broker keeps it as the topic's retained message (on publish), or
 *     whether it is a retained message sent on subscription (on receipt)
 * @param properties the MQTT 5 properties forwarded with it; {@link MessageProperties#NONE} for none
 */
public record Message(String topic, byte[] payload, QoS qos, boolean retain, MessageProperties properties) {
  public Message {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
    if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      throw new IllegalArgumentException("not a valid topic name: '" + topic + "'");
    }
  }

  /** A message without MQTT 5 properties. */
  public Message(String topic, byte[] payload, QoS qos, boolean retain) {
    this(topic, payload, qos, retain, MessageProperties.NONE);
  }

  /** A QoS 0 message that is not retained. */
  public static Message of(String topic, byte[] payload) {
    return new Message(topic, payload, QoS.AT_MOST_ONCE, false);
  }

  /** A QoS 0 message with a UTF-8 text payload that is not retained. */
  public static Message of(String topic, String payload) {
    return of(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** This message with another QoS. */
  public Message withQos(QoS newQos) {
    return new Message(topic, payload, newQos, retain, properties);
  }

  /** This message with the retain flag set as given. */
  public Message withRetain(boolean newRetain) {
    return new Message(topic, payload, qos, newRetain, properties);
  }

  /** This message with other MQTT 5 properties. */
  public Message withProperties(MessageProperties newProperties) {
    return new Message(topic, payload, qos, retain, newProperties);
  }

  /** The payload decoded as UTF-8. */
  public String payloadAsString() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
