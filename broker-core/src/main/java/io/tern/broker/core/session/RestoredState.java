package io.tern.broker.core.session;

import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.StoredProperties;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.SubscriptionOptions;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.StoredMessage;
import io.tern.broker.spi.store.StoredSession;
import io.tern.broker.spi.store.StoredSubscription;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts between the broker's live state and the storage SPI's records. Times cross a restart as
 * epoch milliseconds, since {@link System#nanoTime()} means nothing to another JVM.
 */
final class RestoredState {
  private static final Logger log = LoggerFactory.getLogger(RestoredState.class);

  private RestoredState() {}

  static RetainedMessage toStored(Message message) {
    long ageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - message.receivedNanos());
    return new RetainedMessage(message.topic(), message.payload(), QoS.of(message.qos()),
        StoredProperties.encode(message.properties()), Math.max(0, System.currentTimeMillis() - ageMillis));
  }

  /**
   * The retained message as the router keeps it, aged by the time since it was received, as far as
   * the clocks tell (a timestamp in the future counts as now).
   */
  static Message toMessage(RetainedMessage stored, long nowMillis, long nowNanos) {
    Properties properties = Properties.EMPTY;
    try {
      properties = StoredProperties.decode(stored.properties());
    } catch (IllegalArgumentException e) {
      log.warn("retained message of '{}' restored without its properties: {}", stored.topic(), e.getMessage());
    }
    long ageMillis = stored.timestamp() == 0 ? 0 : Math.max(0, nowMillis - stored.timestamp());
    return new Message(stored.topic(), stored.topic().getBytes(StandardCharsets.UTF_8), stored.payload(),
        stored.qos().value(), true, properties, null, nowNanos - TimeUnit.MILLISECONDS.toNanos(ageMillis));
  }

  /** A message on its way to a persistent session as the store keeps it; see {@link StoredMessage}. */
  static StoredMessage toStored(Outgoing outgoing) {
    Message message = outgoing.message;
    Properties properties = message.properties();
    if (outgoing.identifiers.length > 0) {
      Properties.Builder builder = properties.toBuilder();
      for (int id : outgoing.identifiers) {
        builder.subscriptionIdentifier(id);
      }
      properties = builder.build();
    }
    long ageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - message.receivedNanos());
    return new StoredMessage(outgoing.storeId, message.topic(), message.payload(), QoS.of(outgoing.qos),
        outgoing.retain, StoredProperties.encode(properties), Math.max(0, System.currentTimeMillis() - ageMillis),
        outgoing.packetId);
  }

  /**
   * A stored message as the session delivers it, aged by the time since it was received; its
   * Subscription Identifiers come back apart from the properties it forwards.
   */
  static Outgoing toOutgoing(String clientId, StoredMessage stored, long nowMillis, long nowNanos) {
    Properties properties = Properties.EMPTY;
    try {
      properties = StoredProperties.decode(stored.properties());
    } catch (IllegalArgumentException e) {
      log.warn("message {} of client '{}' restored without its properties: {}", stored.messageId(), clientId,
          e.getMessage());
    }
    int[] identifiers = properties.subscriptionIdentifiers().stream().mapToInt(Integer::intValue).toArray();
    long ageMillis = stored.timestamp() == 0 ? 0 : Math.max(0, nowMillis - stored.timestamp());
    Message message = new Message(stored.topic(), stored.topic().getBytes(StandardCharsets.UTF_8),
        stored.payload(), stored.qos().value(), stored.retain(), properties.withoutSubscriptionIdentifiers(), null,
        nowNanos - TimeUnit.MILLISECONDS.toNanos(ageMillis));
    Outgoing outgoing = new Outgoing(message, stored.qos().value(), stored.retain(), identifiers, null);
    outgoing.storeId = stored.messageId();
    return outgoing;
  }

  /**
   * How long a restored session has left before it expires: -1 when it never does, 0 when it has
   * expired already. A session whose client was connected when the broker stopped counts from now.
   */
  static long expiryLeftNanos(StoredSession stored, long nowMillis) {
    if (stored.expiryInterval() == Session.NEVER_EXPIRES) {
      return -1;
    }
    long downMillis = stored.disconnectedAt() == 0 ? 0 : Math.max(0, nowMillis - stored.disconnectedAt());
    long leftMillis = TimeUnit.SECONDS.toMillis(stored.expiryInterval()) - downMillis;
    return leftMillis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(leftMillis);
  }

  static int options(StoredSubscription subscription) {
    return SubscriptionOptions.of(subscription.qos().value(), subscription.noLocal(),
        subscription.retainAsPublished(), subscription.subscriptionIdentifier());
  }

  static StoredSubscription toStored(String filter, int options) {
    return new StoredSubscription(filter, QoS.of(SubscriptionOptions.qos(options)),
        SubscriptionOptions.noLocal(options), SubscriptionOptions.retainAsPublished(options),
        SubscriptionOptions.identifier(options));
  }
}
