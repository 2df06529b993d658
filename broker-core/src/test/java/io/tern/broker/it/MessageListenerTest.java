package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.BrokerBuilder;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.hook.DropReason;
import io.tern.broker.hook.MessageListener;
import io.tern.broker.message.Message;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Message listeners over real clients: published, delivered, acknowledged, dropped. */
@Timeout(30)
class MessageListenerTest extends BrokerTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.maxQueuedMessages(1).addMessageListener(new MessageListener() {
      @Override
      public void onPublished(Optional<ClientInfo> publisher, Message message) {
        events.add("published " + message.payloadAsString() + " by "
            + publisher.map(ClientInfo::clientId).orElse("host"));
      }

      @Override
      public void onDelivered(String clientId, Message message) {
        events.add("delivered " + message.payloadAsString() + " to " + clientId + " at " + message.qos().value());
      }

      @Override
      public void onAcknowledged(String clientId, Message message) {
        events.add("acknowledged " + message.payloadAsString() + " by " + clientId);
      }

      @Override
      public void onDropped(String clientId, Message message, DropReason reason) {
        events.add("dropped " + message.payloadAsString() + " for " + clientId + ": " + reason);
      }
    });
  }

  @Test
  void followsAMessageFromPublisherToAcknowledgement() throws Exception {
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("t", 2);
    Paho publisher = connectPaho("publisher");

    publisher.publish("t", "one", 1, false);
    publisher.publish("t", "two", 2, false);
    broker.publish(Message.of("t", "three")).toCompletableFuture().join();

    await().untilAsserted(() -> assertThat(events).contains(
        "published one by publisher", "delivered one to subscriber at 1", "acknowledged one by subscriber",
        "published two by publisher", "delivered two to subscriber at 2", "acknowledged two by subscriber",
        "published three by host", "delivered three to subscriber at 0"));
  }

  @Test
  void reportsWhatIsNotDelivered() throws Exception {
    Paho offline = Paho.connect(broker, "offline", Paho.options(false));
    offline.client.subscribe("t", 1);
    offline.close();
    Paho publisher = connectPaho("publisher");

    publisher.publish("t", "kept", 1, false);
    publisher.publish("t", "over the bound", 1, false);
    publisher.publish("t", "qos 0", 0, false);

    await().untilAsserted(() -> assertThat(events).contains(
        "dropped over the bound for offline: QUEUE_FULL", "dropped qos 0 for offline: CLIENT_OFFLINE"));
    assertThat(events).noneMatch(event -> event.startsWith("dropped kept"));
  }
}
