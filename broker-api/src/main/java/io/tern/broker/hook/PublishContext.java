package io.tern.broker.hook;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.Message;
import java.util.Objects;
import java.util.Optional;

/**
 * A message on its way to the router.
 *
 * @param client the client that published it, or empty for the host application's own messages
 * @param message the message as it stands, after earlier interceptors' changes
 */
public record PublishContext(Optional<ClientInfo> client, Message message) {
  public PublishContext {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(message, "message");
  }
}
