package io.tern.broker.hook;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.Message;
import java.util.Optional;

/**
 * Told what happens to messages: published, delivered, acknowledged, dropped. Every method does
 * nothing by default. Called on the event loop of the client concerned; it must return quickly and
 * must not block (see the package documentation). A broker with no message listener spends
 * nothing on these events.
 */
public interface MessageListener {

  /**
   * A message passed the interceptors and is being routed.
   *
   * @param publisher the client that published it (or whose will it is); empty for the host
   *     application's own messages
   */
  default void onPublished(Optional<ClientInfo> publisher, Message message) {}

  /**
   * A message was written to a client, at the QoS and with the retain flag it was sent with.
   * Resends of unacknowledged messages are not reported again.
   */
  default void onDelivered(String clientId, Message message) {}

  /** A client completed the acknowledgement of a QoS 1 (PUBACK) or QoS 2 (PUBCOMP) message. */
  default void onAcknowledged(String clientId, Message message) {}

  /** A message meant for a client was not delivered to it, for this reason. */
  default void onDropped(String clientId, Message message, DropReason reason) {}
}
