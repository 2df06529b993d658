package io.tern.broker.core.delivery;

import java.nio.charset.StandardCharsets;

/**
 * One published message as the broker routes it: created once per inbound PUBLISH and shared,
 * read-only, by every loop that delivers it. What differs per subscriber (packet id, QoS, the
 * retain and DUP flags) is applied when it is encoded for that subscriber.
 *
 * @param topic the topic name
 * @param topicUtf8 the topic name in UTF-8, encoded once for every subscriber
 * @param payload the payload; never modified
 * @param qos the QoS it was published with
 * @param retain whether it was published with RETAIN set
 */
public record Message(String topic, byte[] topicUtf8, byte[] payload, int qos, boolean retain) {

  public static Message of(String topic, byte[] payload, int qos, boolean retain) {
    return new Message(topic, topic.getBytes(StandardCharsets.UTF_8), payload, qos, retain);
  }
}
