package io.tern.broker.core.store.file;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the durable log. Each kind describes one change of the broker's durable state, as a
 * set or a removal of one key (a message of a client, a session, a subscription, a retained topic,
 * an inbound QoS 2 packet id), so that replaying a suffix of the log over a snapshot that already
 * reflects part of it gives the same state: see {@link SnapshotSource}.
 *
 * <p>Records are immutable values; byte arrays are shared, never copied, and must not be modified
 * once handed over.
 */
public sealed interface LogRecord
    permits LogRecord.Message, LogRecord.Ack, LogRecord.MessageSent, LogRecord.Session, LogRecord.SessionRemoved,
        LogRecord.Subscription, LogRecord.SubscriptionRemoved, LogRecord.Retained,
        LogRecord.RetainedCleared, LogRecord.InboundQos2, LogRecord.InboundQos2Released, SnapshotEnd {

  byte[] NO_BYTES = new byte[0];

  RecordType type();

  /**
   * A message queued for a persistent session, until {@link Ack} removes it.
   *
   * @param clientId the session it is bound for
   * @param messageId the owner's identifier of the message within that session (not an MQTT packet
   *     id, which is chosen at delivery)
   * @param topic the topic name
   * @param qos the QoS it is delivered with, 1 or 2 (0 is accepted for completeness)
   * @param retain whether it carries the RETAIN flag
   * @param timestamp when the broker received it, in epoch milliseconds; the Message Expiry
   *     Interval counts from here across a restart
   * @param properties the encoded MQTT 5 properties to forward, or an empty array
   * @param payload the payload
   */
  record Message(String clientId, long messageId, String topic, int qos, boolean retain, long timestamp,
      byte[] properties, byte[] payload) implements LogRecord {
    public Message {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(properties, "properties");
      Objects.requireNonNull(payload, "payload");
      checkQos(qos);
    }

    @Override
    public RecordType type() {
      return RecordType.MESSAGE;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Message m && clientId.equals(m.clientId) && messageId == m.messageId
          && topic.equals(m.topic) && qos == m.qos && retain == m.retain && timestamp == m.timestamp
          && Arrays.equals(properties, m.properties) && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(clientId, messageId, topic) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "Message[" + clientId + "/" + messageId + " " + topic + " qos " + qos + ", "
          + payload.length + " bytes]";
    }
  }

  /** The message {@code messageId} of {@code clientId} is acknowledged (or expired, or dropped). */
  record Ack(String clientId, long messageId) implements LogRecord {
    public Ack {
      Objects.requireNonNull(clientId, "clientId");
    }

    @Override
    public RecordType type() {
      return RecordType.ACK;
    }
  }

  /**
   * The message {@code messageId} of {@code clientId} was sent with this packet id: after a restart
   * it goes out again with it and DUP. Changes nothing when the message is no longer kept.
   */
  record MessageSent(String clientId, long messageId, int packetId) implements LogRecord {
    public MessageSent {
      Objects.requireNonNull(clientId, "clientId");
      checkPacketId(packetId);
    }

    @Override
    public RecordType type() {
      return RecordType.MESSAGE_SENT;
    }
  }

  /**
   * A persistent session exists, or its attributes changed; the latest record wins.
   *
   * @param expiryInterval the Session Expiry Interval in seconds ({@code 0xFFFFFFFF}: never)
   * @param disconnectedAt when its client disconnected, in epoch milliseconds, or 0 while
   *     connected; expiry counts from here across a restart
   */
  record Session(String clientId, long expiryInterval, long disconnectedAt) implements LogRecord {
    public Session {
      Objects.requireNonNull(clientId, "clientId");
      if (expiryInterval < 0 || expiryInterval > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("session expiry interval out of range: " + expiryInterval);
      }
    }

    @Override
    public RecordType type() {
      return RecordType.SESSION;
    }
  }

  /** A session ends, with every subscription, message and QoS 2 packet id it had. */
  record SessionRemoved(String clientId) implements LogRecord {
    public SessionRemoved {
      Objects.requireNonNull(clientId, "clientId");
    }

    @Override
    public RecordType type() {
      return RecordType.SESSION_REMOVED;
    }
  }

  /**
   * A subscription of a session, replacing the one with the same filter.
   *
   * @param options the subscription options packed as {@code delivery.SubscriptionOptions} does
   */
  record Subscription(String clientId, String topicFilter, int options) implements LogRecord {
    public Subscription {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(topicFilter, "topicFilter");
    }

    @Override
    public RecordType type() {
      return RecordType.SUBSCRIPTION;
    }
  }

  /** A subscription is removed from a session. */
  record SubscriptionRemoved(String clientId, String topicFilter) implements LogRecord {
    public SubscriptionRemoved {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(topicFilter, "topicFilter");
    }

    @Override
    public RecordType type() {
      return RecordType.SUBSCRIPTION_REMOVED;
    }
  }

  /**
   * The retained message of a topic, replacing any earlier one.
   *
   * @param timestamp when the broker received it, in epoch milliseconds
   * @param properties the encoded MQTT 5 properties, or an empty array
   */
  record Retained(String topic, int qos, long timestamp, byte[] properties, byte[] payload)
      implements LogRecord {
    public Retained {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(properties, "properties");
      Objects.requireNonNull(payload, "payload");
      checkQos(qos);
    }

    @Override
    public RecordType type() {
      return RecordType.RETAINED;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Retained r && topic.equals(r.topic) && qos == r.qos && timestamp == r.timestamp
          && Arrays.equals(properties, r.properties) && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
      return topic.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "Retained[" + topic + " qos " + qos + ", " + payload.length + " bytes]";
    }
  }

  /** A topic no longer has a retained message. */
  record RetainedCleared(String topic) implements LogRecord {
    public RetainedCleared {
      Objects.requireNonNull(topic, "topic");
    }

    @Override
    public RecordType type() {
      return RecordType.RETAINED_CLEARED;
    }
  }

  /** An inbound QoS 2 PUBLISH with this packet id was received; its PUBREL has not come yet. */
  record InboundQos2(String clientId, int packetId) implements LogRecord {
    public InboundQos2 {
      Objects.requireNonNull(clientId, "clientId");
      checkPacketId(packetId);
    }

    @Override
    public RecordType type() {
      return RecordType.INBOUND_QOS2;
    }
  }

  /** The PUBREL for an inbound QoS 2 packet id came: the id is free again. */
  record InboundQos2Released(String clientId, int packetId) implements LogRecord {
    public InboundQos2Released {
      Objects.requireNonNull(clientId, "clientId");
      checkPacketId(packetId);
    }

    @Override
    public RecordType type() {
      return RecordType.INBOUND_QOS2_RELEASED;
    }
  }

  private static void checkQos(int qos) {
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("QoS out of range: " + qos);
    }
  }

  private static void checkPacketId(int packetId) {
    if (packetId < 1 || packetId > 0xFFFF) {
      throw new IllegalArgumentException("packet id out of range: " + packetId);
    }
  }
}
