package io.tern.broker.core.hook;

import io.tern.broker.core.delivery.Message;
import io.tern.broker.message.ReasonCode;

/**
 * What the publish interceptors made of a message: the message to route, or none, and the reason
 * code an MQTT 5 publisher's acknowledgement carries.
 *
 * @param message the message to route; null when an interceptor stopped it
 * @param reasonCode {@link ReasonCode#SUCCESS} when routed or dropped silently; the error code
 *     of a reject or a failed interceptor otherwise
 */
public record PublishVerdict(Message message, ReasonCode reasonCode) {
  private static final PublishVerdict DROPPED = new PublishVerdict(null, ReasonCode.SUCCESS);

  static PublishVerdict route(Message message) {
    return new PublishVerdict(message, ReasonCode.SUCCESS);
  }

  static PublishVerdict dropped() {
    return DROPPED;
  }

  static PublishVerdict stopped(ReasonCode reason) {
    return new PublishVerdict(null, reason);
  }
}
