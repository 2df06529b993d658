package io.tern.broker.core.codec;

/**
 * Unwinds the parsing of one packet body to {@link MqttDecoder#decode}, which turns it into a
 * {@link Violation}. It never leaves the codec package. Without a stack trace, since it is raised
 * at most once per connection and the violation says all there is to say.
 */
final class Malformed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final transient Violation violation;

  Malformed(String specId, String description) {
    super(description, null, false, false);
    this.violation = new Violation(specId, description);
  }
}
