package io.tern.broker.core.transport;

import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.Violation;

/**
 * What a connection does with what it decodes. Called on the connection's current loop thread
 * only, one call at a time.
 */
public interface ConnectionHandler {

  /** A packet arrived. */
  void onPacket(Connection connection, Packet packet);

  /** The bytes were malformed; the connection closes right after this returns. */
  void onViolation(Connection connection, Violation violation);

  /**
   * The connection is closed; called once.
   *
   * @param reason why
   * @param detail more about it, for the log; may be null
   */
  void onClosed(Connection connection, DisconnectReason reason, String detail);

  /** Called about every quarter second, for timeouts; {@code nowNanos} is {@link System#nanoTime()}. */
  default void onTick(Connection connection, long nowNanos) {}
}
