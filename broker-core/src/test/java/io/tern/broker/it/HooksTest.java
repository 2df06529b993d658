package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.hook.LifecycleListener;
import io.tern.broker.hook.PublishContext;
import io.tern.broker.hook.PublishDecision;
import io.tern.broker.hook.SessionEndReason;
import io.tern.broker.hook.SubscribeDecision;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Publish and subscribe interceptors and lifecycle listeners, seen from real clients. */
@Timeout(30)
class HooksTest extends BrokerTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> seenBySecond = new CopyOnWriteArrayList<>();

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder
        .addPublishInterceptor(this::firstInterceptor)
        .addPublishInterceptor(context -> {
          seenBySecond.add(context.message().topic() + "=" + context.message().payloadAsString()
              + (context.client().isPresent() ? " from " + context.client().get().clientId() : " from the host"));
          return PublishDecision.proceed();
        })
        .addSubscribeInterceptor((client, filter, qos) -> switch (filter) {
          case "capped/#" -> SubscribeDecision.grant(QoS.AT_MOST_ONCE);
          case "forbidden/#" -> SubscribeDecision.reject(ReasonCode.NOT_AUTHORIZED);
          case "broken/#" -> throw new IllegalStateException("interceptor failure for the test");
          default -> SubscribeDecision.proceed();
        })
        .addLifecycleListener(new LifecycleListener() {
          @Override
          public void onConnected(ClientInfo client, boolean sessionPresent) {
            events.add("connected " + client.clientId() + " present=" + sessionPresent);
          }

          @Override
          public void onDisconnected(ClientInfo client, DisconnectReason reason) {
            events.add("disconnected " + client.clientId() + " " + reason);
          }

          @Override
          public void onSessionCreated(String clientId, boolean persistent) {
            events.add("created " + clientId + " persistent=" + persistent);
          }

          @Override
          public void onSessionResumed(String clientId) {
            events.add("resumed " + clientId);
          }

          @Override
          public void onSessionEnded(String clientId, SessionEndReason reason) {
            events.add("ended " + clientId + " " + reason);
          }
        })
        .addLifecycleListener(new LifecycleListener() {
          @Override
          public void onConnected(ClientInfo client, boolean sessionPresent) {
            throw new IllegalStateException("listener failure for the test");
          }
        });
  }

  private PublishDecision firstInterceptor(PublishContext context) {
    Message message = context.message();
    if (message.topic().startsWith("redact/")) {
      return PublishDecision.modify(new Message("redacted/" + message.topic().substring(7),
          message.payloadAsString().replaceAll("pin=\\d+", "pin=***").getBytes(), message.qos(), message.retain()));
    }
    if (message.topic().startsWith("drop/")) {
      return PublishDecision.drop();
    }
    if (message.topic().startsWith("reject/")) {
      return PublishDecision.reject(ReasonCode.NOT_AUTHORIZED);
    }
    if (message.topic().startsWith("broken/")) {
      throw new IllegalStateException("interceptor failure for the test");
    }
    return PublishDecision.proceed();
  }

  @Test
  void interceptorsChangeOrStopWhatClientsPublish() throws Exception {
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("#", 1);
    Paho publisher = connectPaho("publisher");

    publisher.publish("redact/card", "pin=1234 amount=5", 1, false);
    publisher.publish("drop/x", "dropped", 1, false);
    publisher.publish("reject/x", "rejected", 2, false);
    publisher.publish("broken/x", "fails closed", 1, false);
    publisher.publish("plain", "end", 1, false);

    await().untilAsserted(() -> assertThat(subscriber.received).extracting(Paho.Received::topic, Paho.Received::payload)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("redacted/card", "pin=*** amount=5"),
            org.assertj.core.groups.Tuple.tuple("plain", "end")));
    // The second interceptor saw the first one's replacement, and nothing after a stop.
    assertThat(seenBySecond).containsExactly("redacted/card=pin=*** amount=5 from publisher", "plain=end from publisher");
  }

  @Test
  void interceptorsSeeTheHostsMessagesAndWills() throws Exception {
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("#", 1);
    broker.publish(Message.of("redact/host", "pin=42")).toCompletableFuture().join();
    MqttConnectOptions withWill = Paho.options(true);
    withWill.setWill("redact/will", "pin=7".getBytes(), 1, false);
    Paho dying = Paho.connect(broker, "dying", withWill);
    dying.client.disconnectForcibly(0, 0, false);
    dying.client.close(true);

    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactlyInAnyOrder("pin=***", "pin=***"));
    assertThat(seenBySecond).contains("redacted/host=pin=*** from the host", "redacted/will=pin=*** from dying");
  }

  @Test
  void subscribeInterceptorsCapOrRefuseFilters() throws Exception {
    Paho client = connectPaho("subscriber");
    int[] granted = client.client.subscribeWithResponse(
        new String[] {"open/#", "capped/#", "forbidden/#", "broken/#"}, new int[] {2, 2, 2, 2}).getGrantedQos();
    assertThat(granted).containsExactly(2, 0, 0x80, 0x80);
  }

  @Test
  void lifecycleListenersFollowConnectionsAndSessions() throws Exception {
    Paho persistent = Paho.connect(broker, "keeper", Paho.options(false));
    persistent.close();
    Paho again = Paho.connect(broker, "keeper", Paho.options(false));
    Paho taker = Paho.connect(broker, "keeper", Paho.options(false));
    Paho lost = connectPaho("lost");
    lost.client.disconnectForcibly(0, 0, false);

    await().untilAsserted(() -> assertThat(events).containsSubsequence(
        "created keeper persistent=true", "connected keeper present=false", "disconnected keeper CLIENT_DISCONNECTED",
        "resumed keeper", "connected keeper present=true", "disconnected keeper TAKEN_OVER",
        "resumed keeper", "connected keeper present=true",
        "created lost persistent=false", "connected lost present=false", "disconnected lost CONNECTION_LOST",
        "ended lost CONNECTION_CLOSED"));
    taker.close();
    again.abandon();

    Paho cleaned = connectPaho("keeper"); // a clean session replaces the persistent one
    await().untilAsserted(() -> assertThat(events).contains("ended keeper CLEAN_START"));
    cleaned.close();
    Paho removed = Paho.connect(broker, "removed", Paho.options(false));
    removed.close();
    broker.admin().removeSession("removed").toCompletableFuture().join();
    await().untilAsserted(() -> assertThat(events).contains("ended removed REMOVED"));

    Mqtt5BlockingClient shortLived = Mqtt5Client.builder().identifier("short-lived").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    shortLived.connectWith().sessionExpiryInterval(1).send();
    shortLived.disconnect();
    await().untilAsserted(() -> assertThat(events).contains("ended short-lived EXPIRED"));
  }
}
