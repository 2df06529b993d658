package io.tern.broker.spi.store;

import java.util.List;
import java.util.Objects;

/**
 * A persistent session as stored.
 *
 * @param clientId the client identifier
 * @param subscriptions the session's subscriptions, one per topic filter
 */
public record StoredSession(String clientId, List<StoredSubscription> subscriptions) {
  public StoredSession {
    Objects.requireNonNull(clientId, "clientId");
    subscriptions = List.copyOf(subscriptions);
  }
}
