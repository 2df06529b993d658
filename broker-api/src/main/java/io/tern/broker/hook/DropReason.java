package io.tern.broker.hook;

/** Why a message was not delivered to a subscriber. */
public enum DropReason {
  /** A QoS 0 message while the client is not reading what it was sent (outbound buffer half full). */
  CLIENT_NOT_READING,
  /** A QoS 0 message for a persistent session whose client is offline; only QoS 1 and 2 are kept. */
  CLIENT_OFFLINE,
  /** A QoS 1 or 2 message for a session whose queue is full. */
  QUEUE_FULL,
  /** A message larger than the Maximum Packet Size the client announced (MQTT 5). */
  TOO_LARGE_FOR_CLIENT,
  /**
   * A message whose Message Expiry Interval passed before it could be sent: queued for an offline
   * or busy session, or kept as a retained message until a new subscription matched it (MQTT 5).
   */
  EXPIRED
}
