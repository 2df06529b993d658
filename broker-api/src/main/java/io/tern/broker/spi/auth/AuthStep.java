package io.tern.broker.spi.auth;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's answer in an enhanced authentication exchange: the AUTH packet (Reason Code 0x18,
 * Continue authentication) it sent after the broker passed on an {@link
 * AuthResult#continueWith(byte[], Object) AuthResult.continueWith} challenge.
 *
 * <p>Made by the broker on the client's event loop and handed to {@link
 * Authenticator#continueAuthentication}; a value that may be read on any thread. Steps of one
 * exchange come one at a time, in order, each after the previous answer was acted upon.
 *
 * @param clientId the client identifier
 * @param remoteAddress the peer's address
 * @param authenticationMethod the exchange's Authentication Method, the same as in the request
 *     that started it (the broker refuses an AUTH naming another one)
 * @param authenticationData the Authentication Data of the client's AUTH, if any; a copy the
 *     authenticator may keep or clear
 * @param state what the authenticator handed the broker with its last {@code continueWith} (a
 *     nonce, a transcript, a half-done SASL context), if anything; the broker keeps it for this
 *     connection only and never looks inside
 * @param reauthentication true when the exchange is a re-authentication of a connected client
 */
public record AuthStep(String clientId, InetSocketAddress remoteAddress, String authenticationMethod,
    Optional<byte[]> authenticationData, Optional<Object> state, boolean reauthentication) {
  public AuthStep {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(authenticationMethod, "authenticationMethod");
    Objects.requireNonNull(authenticationData, "authenticationData");
    Objects.requireNonNull(state, "state");
  }

  /**
   * The exchange state, as the type the authenticator stored.
   *
   * @throws IllegalStateException when there is no state or it is not of that type; a throw from
   *     {@link Authenticator#continueAuthentication} counts as a failure of the authenticator
   */
  public <T> T state(Class<T> type) {
    Object value = state.orElseThrow(() -> new IllegalStateException("no exchange state was kept"));
    if (!type.isInstance(value)) {
      throw new IllegalStateException("the exchange state is a " + value.getClass().getName() + ", not a "
          + type.getName());
    }
    return type.cast(value);
  }
}
