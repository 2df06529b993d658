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
   * The broker is about to close the connection for this reason; the last chance to send a
   * packet (an MQTT 5 DISCONNECT). Not called when the connection was lost or its client stopped
   * reading, nor after {@link #onViolation}.
   */
  default void onClosing(Connection connection, DisconnectReason reason) {}

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
