package io.tern.broker.spi.auth;

import io.tern.broker.message.ReasonCode;
import java.util.Objects;

/**
 * An authenticator's decision.
 *
 * @param reasonCode {@link ReasonCode#SUCCESS} to accept; otherwise the reason the client is
 *     refused, such as {@link ReasonCode#BAD_USER_NAME_OR_PASSWORD} or {@link
 *     ReasonCode#NOT_AUTHORIZED}. MQTT 3.1.1 clients get the nearest CONNACK return code.
 */
public record AuthResult(ReasonCode reasonCode) {
  private static final AuthResult ALLOW = new AuthResult(ReasonCode.SUCCESS);

  public AuthResult {
    Objects.requireNonNull(reasonCode, "reasonCode");
    if (reasonCode != ReasonCode.SUCCESS && !reasonCode.isError()) {
      throw new IllegalArgumentException("a refusal needs an error reason code, not " + reasonCode);
    }
  }

  /** Accept the client. */
  public static AuthResult allow() {
    return ALLOW;
  }

  /** Refuse the client for this reason. */
  public static AuthResult deny(ReasonCode reason) {
    return new AuthResult(reason);
  }

  public boolean allowed() {
    return reasonCode == ReasonCode.SUCCESS;
  }
}
