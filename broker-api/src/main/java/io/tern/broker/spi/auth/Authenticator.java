package io.tern.broker.spi.auth;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a client may connect.
 *
 * <p>Called once per CONNECT, on the broker's event loop; it must return at once and may complete
 * the stage later on any thread (it often asks a database). While the stage is pending the broker
 * reads nothing more from that client. A stage that completes exceptionally, or a method that
 * throws, refuses the client as {@link io.tern.broker.message.ReasonCode#SERVER_UNAVAILABLE} and is
 * logged.
 */
@FunctionalInterface
public interface Authenticator {

  /** The decision for this connection attempt. */
  CompletionStage<AuthResult> authenticate(AuthRequest request);
}
