package io.tern.broker.core.codec;

/**
 * Why a packet could not be accepted: a protocol error as a value, not an exception.
 *
 * @param specId the normative statement broken, such as {@code MQTT-2.2.2-2}, or a short tag where
 *     the specification names none
 * @param description what was wrong, for the debug log
 */
public record Violation(String specId, String description) {}
