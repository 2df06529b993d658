package io.tern.broker.spi.auth;

/** An authorizer's answer. */
public enum AccessDecision {
  /** Allowed; later authorizers are not asked. */
  ALLOW,
  /** Refused; later authorizers are not asked. */
  DENY,
  /** No opinion; the next authorizer decides, and the broker's default when none is left. */
  ABSTAIN
}
