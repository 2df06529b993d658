package io.tern.broker.core.delivery;

import io.tern.broker.core.codec.Properties;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One published message as the broker routes it: created once per inbound PUBLISH and shared,
 * read-only, by every loop that delivers it. What differs per subscriber (packet id, QoS, the
 * retain and DUP flags, subscription identifiers, topic alias, the remaining expiry) is applied
 * when it is encoded for that subscriber.
 *
 * @param topic the topic name
 * @param topicUtf8 the topic name in UTF-8, encoded once for every subscriber
 * @param payload the payload; never modified
 * @param qos the QoS it was published with
 * @param retain whether it was published with RETAIN set
 * @param properties the MQTT 5 properties forwarded to subscribers (Payload Format Indicator,
 *     Message Expiry Interval, Content Type, Response Topic, Correlation Data, User Properties);
 *     never a Topic Alias or a Subscription Identifier
 * @param origin the client id of the publisher, for No Local; null for the host application
 * @param receivedNanos when the broker received it, in {@link System#nanoTime()} terms; the
 *     Message Expiry Interval counts from here
 */
public record Message(String topic, byte[] topicUtf8, byte[] payload, int qos, boolean retain,
    Properties properties, String origin, long receivedNanos) {

  public Message {
    Objects.requireNonNull(properties, "properties");
  }

  /** A message without properties or publisher, such as 3.1.1 tests and the stores produce. */
  public static Message of(String topic, byte[] payload, int qos, boolean retain) {
    return of(topic, payload, qos, retain, Properties.EMPTY, null);
  }

  public static Message of(String topic, byte[] payload, int qos, boolean retain, Properties properties,
      String origin) {
    return new Message(topic, topic.getBytes(StandardCharsets.UTF_8), payload, qos, retain, properties, origin,
        System.nanoTime());
  }

  /** This message with other routing attributes, keeping its properties, origin and age. */
  public Message with(String newTopic, byte[] newPayload, int newQos, boolean newRetain) {
    byte[] utf8 = newTopic.equals(topic) ? topicUtf8 : newTopic.getBytes(StandardCharsets.UTF_8);
    return new Message(newTopic, utf8, newPayload, newQos, newRetain, properties, origin, receivedNanos);
  }

  /** Whether its Message Expiry Interval has passed. */
  public boolean expired(long nowNanos) {
    Long interval = properties.messageExpiryInterval();
    return interval != null && nowNanos - receivedNanos >= TimeUnit.SECONDS.toNanos(interval);
  }

  /**
   * The properties to send a subscriber, with the Message Expiry Interval lowered to the time left
   * [MQTT-3.3.2-6]; the same instance when it has no expiry.
   */
  public Properties propertiesAt(long nowNanos) {
    Long interval = properties.messageExpiryInterval();
    if (interval == null) {
      return properties;
    }
    long elapsed = TimeUnit.NANOSECONDS.toSeconds(nowNanos - receivedNanos);
    return properties.toBuilder().messageExpiryInterval(Math.max(0, interval - elapsed)).build();
  }
}
