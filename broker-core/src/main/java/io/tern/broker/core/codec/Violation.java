package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;

/**
 * Why a packet could not be accepted: a protocol error as a value, not an exception.
 *
 * @param specId the normative statement broken, such as {@code MQTT-2.2.2-2}, or a short tag where
 *     the specification names none
 * @param description what was wrong, for the debug log
 * @param reasonCode what an MQTT 5 peer is told in the DISCONNECT (or CONNACK) that closes the
 *     connection; MQTT 3.1.1 has no way to say it
 */
public record Violation(String specId, String description, ReasonCode reasonCode) {

  /** A violation that makes the packet malformed, the answer for most decoding failures. */
  public Violation(String specId, String description) {
    this(specId, description, ReasonCode.MALFORMED_PACKET);
  }
}
