package io.tern.broker.hook;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.message.ReasonCode;
import java.net.InetSocketAddress;

/**
 * Told when clients connect and disconnect and when sessions begin and end. Every method does
 * nothing by default; implement those of interest. See the package documentation for the thread
 * and failure rules: called on the client's event loop, must not block.
 */
public interface LifecycleListener {

  /** A client was accepted; its CONNACK is on its way. */
  default void onConnected(ClientInfo client, boolean sessionPresent) {}

  /**
   * Authentication refused a client, when it connected or re-authenticated: the authenticator
   * denied or redirected it (the reason is its reason code), failed (reported as {@link
   * ReasonCode#SERVER_UNAVAILABLE}), or the client named an Authentication Method the broker does
   * not support ({@link ReasonCode#BAD_AUTHENTICATION_METHOD}).
   */
  default void onAuthenticationFailed(String clientId, InetSocketAddress remoteAddress, ReasonCode reason) {}

  /** A connected client's connection ended. */
  default void onDisconnected(ClientInfo client, DisconnectReason reason) {}

  /** A new session began; {@code persistent} when it outlives the connection. */
  default void onSessionCreated(String clientId, boolean persistent) {}

  /** A client resumed its persistent session. */
  default void onSessionResumed(String clientId) {}

  /** A session ended, and why: its state (subscriptions, queued messages) is gone. */
  default void onSessionEnded(String clientId, SessionEndReason reason) {}
}
