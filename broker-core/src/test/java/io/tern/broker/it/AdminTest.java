package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.admin.BrokerAdmin;
import io.tern.broker.admin.MetricsSnapshot;
import io.tern.broker.admin.SessionInfo;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AdminTest extends BrokerTest {

  private BrokerAdmin admin() {
    return broker.admin();
  }

  private <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void listsConnectedClientsAndOfflinePersistentSessions() throws Exception {
    Paho online = connectPaho("online");
    online.client.subscribe(new String[] {"a/#", "b"}, new int[] {1, 2});
    Paho offline = Paho.connect(broker, "offline", Paho.options(false));
    offline.client.subscribe("queued", 1);
    offline.close();
    online.publish("queued", "one", 1, false);
    online.publish("queued", "two", 1, false);

    await().untilAsserted(() -> {
      List<SessionInfo> sessions = join(admin().sessions());
      assertThat(sessions).extracting(SessionInfo::clientId).containsExactlyInAnyOrder("online", "offline");
      SessionInfo away = sessions.stream().filter(s -> s.clientId().equals("offline")).findFirst().orElseThrow();
      assertThat(away.connected()).isFalse();
      assertThat(away.persistent()).isTrue();
      assertThat(away.queuedMessages()).isEqualTo(2);
      assertThat(away.subscriptions()).containsExactly(Map.entry("queued", QoS.AT_LEAST_ONCE));
    });
    SessionInfo here = join(admin().session("online")).orElseThrow();
    assertThat(here.connected()).isTrue();
    assertThat(here.client().orElseThrow().remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    assertThat(here.subscriptions()).containsExactly(Map.entry("a/#", QoS.AT_LEAST_ONCE), Map.entry("b", QoS.EXACTLY_ONCE));
    assertThat(join(admin().session("nobody"))).isEmpty();
  }

  @Test
  void disconnectsAClientWhoseWillIsThenPublished() throws Exception {
    Paho watcher = connectPaho("watcher");
    watcher.client.subscribe("wills/#", 1);
    MqttConnectOptions withWill = Paho.options(true);
    withWill.setWill("wills/kicked", "gone".getBytes(), 1, false);
    Paho kicked = Paho.connect(broker, "kicked", withWill);

    assertThat(join(admin().disconnect("kicked"))).isTrue();
    assertThat(join(admin().disconnect("nobody"))).isFalse();

    await().untilAsserted(() -> assertThat(kicked.client.isConnected()).isFalse());
    await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("gone"));
    kicked.abandon();
  }

  @Test
  void removesASessionWithItsSubscriptionsAndQueue() throws Exception {
    Paho keeper = Paho.connect(broker, "keeper", Paho.options(false));
    keeper.client.subscribe("kept", 1);
    keeper.close();

    assertThat(join(admin().removeSession("keeper"))).isTrue();
    assertThat(join(admin().removeSession("keeper"))).isFalse();
    assertThat(join(admin().session("keeper"))).isEmpty();

    connectPaho("publisher").publish("kept", "to nobody", 1, false);
    Paho again = Paho.create(broker, "keeper");
    again.client.connect(Paho.options(false));
    try (again) {
      assertThat(join(admin().session("keeper")).orElseThrow().subscriptions()).isEmpty();
    }
  }

  @Test
  void metricsCountTheMessagesQueuedForOfflineSessionsUntilTheyLeaveTheQueue() throws Exception {
    Paho first = Paho.connect(broker, "queue-a", Paho.options(false));
    first.client.subscribe("queued", 1);
    first.close();
    Paho second = Paho.connect(broker, "queue-b", Paho.options(false));
    second.client.subscribe("queued", 1);
    second.close();

    Paho publisher = connectPaho("publisher");
    for (int i = 0; i < 3; i++) {
      publisher.publish("queued", "m" + i, 1, false);
    }
    await().until(() -> admin().metrics().queuedMessages() == 6);

    Paho back = Paho.create(broker, "queue-a");
    back.client.connect(Paho.options(false));
    try (back) {
      await().until(() -> back.received.size() == 3);
      assertThat(admin().metrics().queuedMessages()).isEqualTo(3);
    }
    assertThat(join(admin().removeSession("queue-b"))).isTrue();
    assertThat(admin().metrics().queuedMessages()).isZero();
  }

  @Test
  void anAdminKeptAfterCloseAnswersThatTheBrokerIsNotRunning() {
    BrokerAdmin admin = broker.admin();
    broker.close();

    assertThat(admin.sessions().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(admin.disconnect("anyone").toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void listsAndClearsRetainedMessages() throws Exception {
    broker.publish(Message.of("status/a", "up").withRetain(true)).toCompletableFuture().join();
    connectPaho("publisher").publish("status/b", "down", 1, true);

    await().untilAsserted(() -> assertThat(admin().retainedMessages())
        .extracting(Message::topic, Message::payloadAsString)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("status/a", "up"),
            org.assertj.core.groups.Tuple.tuple("status/b", "down")));
    assertThat(admin().clearRetained("status/a")).isTrue();
    assertThat(admin().clearRetained("status/a")).isFalse();

    Paho late = connectPaho("late");
    late.client.subscribe("status/#", 1);
    await().untilAsserted(() -> assertThat(late.payloads()).containsExactly("down"));
  }

  @Test
  void metricsCountConnectionsMessagesAndBytes() throws Exception {
    MetricsSnapshot before = admin().metrics();
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("m", 1);
    Paho publisher = connectPaho("publisher");
    publisher.publish("m", "counted", 1, false);
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("counted"));

    MetricsSnapshot after = admin().metrics();
    assertThat(after.connections()).isEqualTo(before.connections() + 2);
    assertThat(after.messagesIn()).isEqualTo(before.messagesIn() + 1);
    assertThat(after.messagesOut()).isEqualTo(before.messagesOut() + 1);
    assertThat(after.bytesIn()).isGreaterThan(before.bytesIn());
    assertThat(after.bytesOut()).isGreaterThan(before.bytesOut());
    assertThat(Optional.of(after.droppedQos0())).contains(0L);
  }
}
