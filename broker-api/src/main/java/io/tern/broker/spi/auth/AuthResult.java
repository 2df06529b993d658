package io.tern.broker.spi.auth;

import io.tern.broker.message.ReasonCode;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticator's answer to one step of an authentication: allow, deny, continue the exchange
 * (MQTT 5 enhanced authentication) or send the client to another server. Build it with the
 * static methods.
 *
 * <p>A value, made on any thread and acted upon on the client's event loop once the stage that
 * carries it completes. Byte arrays are sent as they are when the answer is acted upon; do not
 * change them after returning the answer. The factory methods throw {@link
 * IllegalArgumentException} (or {@link NullPointerException}) for an inconsistent answer, such as
 * {@code deny} with a success code.
 *
 * @param reasonCode {@link ReasonCode#SUCCESS} to accept; {@link
 *     ReasonCode#CONTINUE_AUTHENTICATION} to send the client a challenge; otherwise the reason
 *     the client is refused, such as {@link ReasonCode#BAD_USER_NAME_OR_PASSWORD}, {@link
 *     ReasonCode#NOT_AUTHORIZED}, or {@link ReasonCode#USE_ANOTHER_SERVER} and {@link
 *     ReasonCode#SERVER_MOVED} for a redirection. MQTT 3.1.1 clients get the nearest CONNACK
 *     return code (3, Server unavailable, for a redirection).
 * @param authenticationData the Authentication Data for the client: the challenge of a
 *     continuation, or the final data of a success (in the CONNACK, or in the AUTH that ends a
 *     re-authentication). Only sent to a client that started enhanced authentication; ignored
 *     otherwise.
 * @param serverReference for {@link ReasonCode#USE_ANOTHER_SERVER} and {@link
 *     ReasonCode#SERVER_MOVED}: where the client should connect instead (MQTT 5 Server Reference,
 *     for example {@code "mqtt2.example.com:1883"}); MQTT 3.1.1 clients cannot be told
 * @param state for a continuation: what the authenticator wants back with the client's answer
 *     ({@link AuthStep#state()}); kept by the broker for this connection only
 */
public record AuthResult(ReasonCode reasonCode, Optional<byte[]> authenticationData,
    Optional<String> serverReference, Optional<Object> state) {
  private static final AuthResult ALLOW = new AuthResult(ReasonCode.SUCCESS);

  public AuthResult {
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(authenticationData, "authenticationData");
    Objects.requireNonNull(serverReference, "serverReference");
    Objects.requireNonNull(state, "state");
    boolean continues = reasonCode == ReasonCode.CONTINUE_AUTHENTICATION;
    if (reasonCode != ReasonCode.SUCCESS && !continues && !reasonCode.isError()) {
      throw new IllegalArgumentException("a refusal needs an error reason code, not " + reasonCode);
    }
    if (authenticationData.isPresent() && reasonCode.isError()) {
      throw new IllegalArgumentException("authentication data goes with a success or a continuation only");
    }
    if (serverReference.isPresent() && !isRedirection(reasonCode)) {
      throw new IllegalArgumentException("a server reference goes with USE_ANOTHER_SERVER or SERVER_MOVED only");
    }
    if (state.isPresent() && !continues) {
      throw new IllegalArgumentException("exchange state goes with a continuation only");
    }
  }

  /** An answer with a reason code alone: {@link #allow()} for SUCCESS, a refusal otherwise. */
  public AuthResult(ReasonCode reasonCode) {
    this(reasonCode, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Accept the client. */
  public static AuthResult allow() {
    return ALLOW;
  }

  /**
   * Accept the client, ending an enhanced authentication exchange with this Authentication Data
   * (the server's final message of a SASL mechanism, say).
   */
  public static AuthResult allow(byte[] authenticationData) {
    return new AuthResult(ReasonCode.SUCCESS, Optional.of(authenticationData), Optional.empty(), Optional.empty());
  }

  /** Refuse the client for this reason, an error reason code (0x80 or above). */
  public static AuthResult deny(ReasonCode reason) {
    if (!reason.isError()) {
      throw new IllegalArgumentException("a refusal needs an error reason code, not " + reason);
    }
    return new AuthResult(reason);
  }

  /**
   * Ask the client for more: the broker sends it AUTH with Reason Code 0x18 and this
   * Authentication Data, and hands its answer to {@link Authenticator#continueAuthentication}.
   * Only for a request or step with an Authentication Method; anywhere else it counts as a
   * failure of the authenticator.
   *
   * @param authenticationData the challenge; may be empty
   * @param state what to get back with the client's answer ({@link AuthStep#state()}); may be null
   */
  public static AuthResult continueWith(byte[] authenticationData, Object state) {
    return new AuthResult(ReasonCode.CONTINUE_AUTHENTICATION, Optional.of(authenticationData), Optional.empty(),
        Optional.ofNullable(state));
  }

  /** Like {@link #continueWith(byte[], Object)}, keeping no state. */
  public static AuthResult continueWith(byte[] authenticationData) {
    return continueWith(authenticationData, null);
  }

  /**
   * Send the client to another server: MQTT 5 clients are refused with {@link
   * ReasonCode#SERVER_MOVED} when {@code permanent}, otherwise {@link
   * ReasonCode#USE_ANOTHER_SERVER}, with this Server Reference; MQTT 3.1.1 clients get CONNACK
   * return code 3 (Server unavailable). A connected client that re-authenticates is disconnected
   * with the same reason code and reference.
   */
  public static AuthResult redirect(String serverReference, boolean permanent) {
    Objects.requireNonNull(serverReference, "serverReference");
    return new AuthResult(permanent ? ReasonCode.SERVER_MOVED : ReasonCode.USE_ANOTHER_SERVER, Optional.empty(),
        Optional.of(serverReference), Optional.empty());
  }

  /** Whether the client is accepted. */
  public boolean allowed() {
    return reasonCode == ReasonCode.SUCCESS;
  }

  /** Whether the exchange goes on with a challenge to the client. */
  public boolean continues() {
    return reasonCode == ReasonCode.CONTINUE_AUTHENTICATION;
  }

  /** Whether the client is sent to another server. */
  public boolean redirects() {
    return isRedirection(reasonCode);
  }

  private static boolean isRedirection(ReasonCode code) {
    return code == ReasonCode.USE_ANOTHER_SERVER || code == ReasonCode.SERVER_MOVED;
  }
}
