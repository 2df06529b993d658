package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;

/**
 * Unwinds the parsing of one packet body to {@link MqttDecoder#decode}, which turns it into a
 * {@link Violation}. It never leaves the codec package. Without a stack trace, since it is raised
 * at most once per connection and the violation says all there is to say.
 */
final class Malformed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final transient Violation violation;

  Malformed(String specId, String description) {
    this(specId, description, ReasonCode.MALFORMED_PACKET);
  }

  Malformed(String specId, String description, ReasonCode reasonCode) {
    super(description, null, false, false);
    this.violation = new Violation(specId, description, reasonCode);
  }

  /** A well-formed packet that breaks a rule of the protocol (MQTT 5 reason code 0x82). */
  static Malformed protocolError(String specId, String description) {
    return new Malformed(specId, description, ReasonCode.PROTOCOL_ERROR);
  }
}
