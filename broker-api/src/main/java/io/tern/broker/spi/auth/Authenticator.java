package io.tern.broker.spi.auth;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a client may connect, by user name and password, by MQTT 5 enhanced
 * authentication (a challenge and response exchange of AUTH packets, MQTT 5.0 section 4.12), or
 * both.
 *
 * <p><b>User name and password.</b> Implement {@link #authenticate} alone: it is called once per
 * CONNECT and answers {@link AuthResult#allow()}, {@link AuthResult#deny} or {@link
 * AuthResult#redirect}. A CONNECT that names an Authentication Method is then refused with 0x8C
 * (Bad authentication method) without asking.
 *
 * <p><b>Enhanced authentication.</b> Also name the methods in {@link #authenticationMethods()}. A
 * CONNECT with one of them comes to {@link #authenticate} with its Authentication Method and Data;
 * the answer may be {@link AuthResult#continueWith}, which the broker sends to the client as AUTH
 * 0x18, and the client's answering AUTH comes to {@link #continueAuthentication} with the state
 * the authenticator kept, until it allows (the CONNACK carries the method and any final data),
 * denies (CONNACK with its reason code, or 0x87, Not authorized, where CONNACK cannot carry it) or
 * redirects. A client that authenticated this way may
 * re-authenticate at any time with AUTH 0x19: that comes to {@link #authenticate} again, with
 * {@link AuthRequest#reauthentication()} set, and goes on the same way; success is answered with
 * AUTH 0x00, a refusal with DISCONNECT carrying the reason code (or 0x87, Not authorized, where
 * DISCONNECT cannot carry it), and the client's other packets keep flowing meanwhile.
 *
 * <p><b>Threads and blocking.</b> Every method is called on one of the broker's event loops and
 * must return at once; the stages may complete later on any thread (an authenticator often asks
 * a database). Calls for one connection never overlap: the next step of an exchange is asked only
 * once the previous stage has completed, and the state handed over with a continuation is seen by
 * the next call (the broker passes it across threads safely). Calls for different connections may
 * come from several threads at once.
 *
 * <p><b>Ordering.</b> While a stage for a connecting client is pending, the broker reads nothing
 * more from that client, so its later packets wait and keep their order. A client that takes
 * longer than the connect timeout to answer a challenge is disconnected.
 *
 * <p><b>Failure.</b> A stage that completes exceptionally, a null stage or result, a method that
 * throws, or a continuation where none is possible (the client started no enhanced
 * authentication) refuses the client as {@link io.tern.broker.message.ReasonCode#SERVER_UNAVAILABLE}
 * (a connected client that re-authenticates is disconnected with 0x89, Server busy) and is logged.
 * Refusals, redirections and failures are reported to lifecycle listeners as authentication
 * failures.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * The answer to a CONNECT, or to an MQTT 5 client's request to re-authenticate (see {@link
   * AuthRequest#reauthentication()}).
   */
  CompletionStage<AuthResult> authenticate(AuthRequest request);

  /**
   * The MQTT 5 Authentication Methods this authenticator handles, such as {@code "SCRAM-SHA-256"};
   * compared exactly. Asked once, when the broker is built. Default none: a CONNECT that names a
   * method is refused with 0x8C (Bad authentication method) [MQTT-4.12.0-1].
   */
  default Set<String> authenticationMethods() {
    return Set.of();
  }

  /**
   * The answer to the client's next AUTH packet in an exchange that this authenticator continued
   * with {@link AuthResult#continueWith}. Only called for authenticators that name methods in
   * {@link #authenticationMethods()}; by default it fails, which refuses the client.
   */
  default CompletionStage<AuthResult> continueAuthentication(AuthStep step) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getName() + " continued an authentication but does not implement continueAuthentication"));
  }
}
