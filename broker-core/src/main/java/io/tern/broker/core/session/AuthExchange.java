package io.tern.broker.core.session;

import io.tern.broker.core.codec.Auth;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthResult;
import io.tern.broker.spi.auth.AuthStep;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The MQTT 5 enhanced authentication of one connection whose CONNECT named an Authentication
 * Method (section 4.12): which step of an exchange it is at, the state the authenticator keeps
 * between steps, and the rules the client's AUTH packets must follow. It lasts as long as the
 * connection, since the client may re-authenticate at any time. Touched by the connection's loop
 * only.
 */
final class AuthExchange {

  /** Where an exchange stands. */
  private enum Phase {
    /** No exchange under way: only a client's AUTH 0x19 may start one (after CONNACK). */
    IDLE,
    /** The authenticator is deciding: the client must wait for the broker's answer. */
    DECIDING,
    /** The broker sent AUTH 0x18: the client answers with AUTH 0x18. */
    CHALLENGED
  }

  private final String method;
  private Phase phase = Phase.DECIDING; // the CONNECT starts the first exchange
  private boolean reauthentication;
  private Optional<Object> state = Optional.empty();
  private long challengedNanos;
  /** Authentication Data for the CONNACK of a successful first exchange. */
  private byte[] finalData;

  AuthExchange(String method) {
    this.method = method;
  }

  String method() {
    return method;
  }

  boolean reauthenticating() {
    return reauthentication;
  }

  /** When the broker last sent a challenge, in {@link System#nanoTime()} terms. */
  long challengedNanos() {
    return challengedNanos;
  }

  /**
   * Why a client's AUTH breaks the protocol at this point of the exchange, or null when it is
   * the AUTH expected. Each reason is a Protocol Error.
   */
  String problemWith(Auth auth) {
    String named = auth.properties().authenticationMethod();
    if (named == null) {
      return "AUTH without an Authentication Method [MQTT-4.12.0-5]";
    }
    if (!named.equals(method)) {
      return "AUTH names authentication method '" + named + "', not the CONNECT's '" + method + "'"
          + (phase == Phase.IDLE ? " [MQTT-4.12.1-1]" : " [MQTT-4.12.0-5]");
    }
    ReasonCode code = auth.reasonCode();
    return switch (phase) {
      case IDLE -> code == ReasonCode.RE_AUTHENTICATE ? null
          : "AUTH " + code + " while no authentication is under way; 0x19 starts a re-authentication [MQTT-4.12.1-1]";
      case CHALLENGED -> code == ReasonCode.CONTINUE_AUTHENTICATION ? null
          : "AUTH " + code + " in answer to the broker's challenge; expected 0x18 [MQTT-4.12.0-3]";
      case DECIDING -> "AUTH " + code + " before the broker answered the previous step";
    };
  }

  /** The client's AUTH 0x19 starts a re-authentication, which the authenticator now decides. */
  void startReauthentication() {
    phase = Phase.DECIDING;
    reauthentication = true;
    state = Optional.empty();
  }

  /** The client's AUTH 0x18 answers a challenge: the step for the authenticator to decide. */
  AuthStep answer(Auth auth, String clientId, InetSocketAddress remote) {
    phase = Phase.DECIDING;
    Optional<Object> kept = state;
    state = Optional.empty();
    return new AuthStep(clientId, remote, method, Optional.ofNullable(auth.properties().authenticationData()), kept,
        reauthentication);
  }

  /**
   * The AUTH 0x18 carrying the authenticator's challenge, with the method as every AUTH must
   * [MQTT-4.12.0-2, MQTT-4.12.0-5]; null when its data cannot be sent (over 65,535 bytes). The
   * exchange then waits for the client's answer.
   */
  Auth challenge(AuthResult result, long nowNanos) {
    byte[] data = result.authenticationData().orElse(null);
    if (data != null && !Properties.isSendable(data)) {
      return null;
    }
    phase = Phase.CHALLENGED;
    state = result.state();
    challengedNanos = nowNanos;
    return new Auth(ReasonCode.CONTINUE_AUTHENTICATION, properties(data));
  }

  /**
   * The exchange succeeded; its final data waits for the CONNACK of the first exchange or for
   * {@link #reauthenticated()}. False when the data cannot be sent (over 65,535 bytes).
   */
  boolean succeeded(AuthResult result) {
    byte[] data = result.authenticationData().orElse(null);
    if (data != null && !Properties.isSendable(data)) {
      return false;
    }
    phase = Phase.IDLE;
    state = Optional.empty();
    finalData = data;
    return true;
  }

  /** The AUTH 0x00 that tells the client its re-authentication succeeded, with the final data. */
  Auth reauthenticated() {
    reauthentication = false;
    Auth success = new Auth(ReasonCode.SUCCESS, properties(finalData));
    finalData = null;
    return success;
  }

  /**
   * The successful CONNACK's properties with the Authentication Method [MQTT-4.12.0-5] and the
   * final Authentication Data, if any.
   */
  Properties connAckProperties(Properties negotiated) {
    Properties.Builder b = negotiated.toBuilder().authenticationMethod(method);
    if (finalData != null) {
      b.authenticationData(finalData);
      finalData = null;
    }
    return b.build();
  }

  private Properties properties(byte[] data) {
    Properties.Builder b = Properties.builder().authenticationMethod(method);
    if (data != null) {
      b.authenticationData(data);
    }
    return b.build();
  }
}
