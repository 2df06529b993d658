package io.tern.broker.core.session;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AccessDecision;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import io.tern.broker.spi.auth.AuthStep;
import io.tern.broker.spi.auth.Authenticator;
import io.tern.broker.spi.auth.Authorizer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect, publish and subscribe: the configured authenticator and the authorizer chain,
 * compiled into an array so that a broker without authorizers pays one length check per packet.
 *
 * <p>Authorizers are asked in order; the first that does not abstain decides, and when all
 * abstain the answer is allow. One that throws denies (fail closed).
 */
public final class AccessControl {
  private static final Logger log = LoggerFactory.getLogger(AccessControl.class);

  private final Authenticator authenticator;
  private final Set<String> methods;
  private final Authorizer[] authorizers;

  /**
   * @param authenticator null to accept every client without asking
   * @throws IllegalArgumentException when the authenticator names no valid set of authentication
   *     methods
   */
  public AccessControl(Authenticator authenticator, List<Authorizer> authorizers) {
    this.authenticator = authenticator;
    this.methods = authenticator == null ? Set.of() : methodsOf(authenticator);
    this.authorizers = authorizers.toArray(new Authorizer[0]);
  }

  private static Set<String> methodsOf(Authenticator authenticator) {
    Set<String> named = authenticator.authenticationMethods();
    if (named == null) {
      throw new IllegalArgumentException(authenticator + " returned null authentication methods");
    }
    return Set.copyOf(named);
  }

  public boolean authenticates() {
    return authenticator != null;
  }

  /** Whether the authenticator handles this MQTT 5 Authentication Method. */
  boolean supportsMethod(String method) {
    return methods.contains(method);
  }

  /** The authenticator's answer; a throw becomes a failed stage, never an exception here. */
  CompletionStage<AuthResult> authenticate(AuthRequest request) {
    return ask(() -> authenticator.authenticate(request));
  }

  /** The authenticator's answer to the next step of an exchange; a throw becomes a failed stage. */
  CompletionStage<AuthResult> continueAuthentication(AuthStep step) {
    return ask(() -> authenticator.continueAuthentication(step));
  }

  private static CompletionStage<AuthResult> ask(Supplier<CompletionStage<AuthResult>> question) {
    try {
      CompletionStage<AuthResult> stage = question.get();
      return stage != null ? stage
          : CompletableFuture.failedFuture(new IllegalStateException("the authenticator returned null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  boolean mayPublish(ClientInfo client, String topic, int qos, boolean retain) {
    return authorizers.length == 0
        || allowed(client, "publish to", topic, a -> a.checkPublish(client, topic, QoS.of(qos), retain));
  }

  boolean maySubscribe(ClientInfo client, String topicFilter, int qos) {
    return authorizers.length == 0
        || allowed(client, "subscribe to", topicFilter, a -> a.checkSubscribe(client, topicFilter, QoS.of(qos)));
  }

  private boolean allowed(ClientInfo client, String action, String topic,
      Function<Authorizer, AccessDecision> question) {
    for (Authorizer authorizer : authorizers) {
      AccessDecision decision;
      try {
        decision = question.apply(authorizer);
      } catch (RuntimeException e) {
        log.warn("authorizer {} failed on client '{}' asking to {} '{}'; denied", authorizer, client.clientId(),
            action, topic, e);
        return false;
      }
      if (decision == AccessDecision.ALLOW) {
        return true;
      }
      if (decision == AccessDecision.DENY) {
        return false;
      }
    }
    return true;
  }

  /** The MQTT 3.1.1 CONNACK return code nearest to an MQTT 5 refusal. */
  static int connackReturnCode(ReasonCode reason) {
    return switch (reason) {
      case UNSUPPORTED_PROTOCOL_VERSION -> 1;
      case CLIENT_IDENTIFIER_NOT_VALID -> 2;
      case SERVER_UNAVAILABLE, SERVER_BUSY, SERVER_SHUTTING_DOWN, USE_ANOTHER_SERVER, SERVER_MOVED,
          CONNECTION_RATE_EXCEEDED -> 3;
      case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> 4;
      default -> 5;
    };
  }
}
