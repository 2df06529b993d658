package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.tuple;

import io.tern.broker.Broker;
import io.tern.broker.core.store.memory.MemoryRetainedStore;
import io.tern.broker.spi.store.RetainedMessage;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WillTest extends BrokerTest {
  private static MqttConnectOptions withWill(String topic, String payload, int qos, boolean retained) {
    MqttConnectOptions options = Paho.options(true);
    options.setWill(topic, payload.getBytes(), qos, retained);
    return options;
  }

  @Test
  void willIsPublishedWhenTheConnectionDropsWithoutDisconnect_MQTT_3_1_2_8() throws Exception {
    try (Paho watcher = Paho.connect(broker, "watcher")) {
      watcher.client.subscribe("wills/#", 2);
      Paho dying = Paho.connect(broker, "dying", withWill("wills/dying", "gone", 2, false));

      dying.client.disconnectForcibly(0, 0, false); // closes the socket without DISCONNECT

      await().untilAsserted(() -> assertThat(watcher.received)
          .containsExactly(new Paho.Received("wills/dying", "gone", 2, false, false)));
      dying.client.close(true);
    }
  }

  @Test
  void willIsNotPublishedAfterDisconnect_MQTT_3_1_2_10() throws Exception {
    try (Paho watcher = Paho.connect(broker, "watcher")) {
      watcher.client.subscribe("wills/#", 1);
      Paho polite = Paho.connect(broker, "polite", withWill("wills/polite", "never", 1, false));
      polite.close();

      try (Paho marker = Paho.connect(broker, "marker")) {
        marker.publish("wills/marker", "after", 1, false);
      }
      await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("after"));
    }
  }

  @Test
  void retainedWillIsKeptForLaterSubscribers_MQTT_3_1_2_17() throws Exception {
    Paho dying = Paho.connect(broker, "dying", withWill("wills/state", "offline", 1, true));
    dying.client.disconnectForcibly(0, 0, false);
    dying.client.close(true);

    try (Paho late = Paho.connect(broker, "late")) {
      await().untilAsserted(() -> {
        late.client.subscribe("wills/state", 1);
        assertThat(late.received).contains(new Paho.Received("wills/state", "offline", 1, true, false));
      });
    }
  }

  @Test
  void aWillWithoutRetainIsNotKept_MQTT_3_1_2_16() throws Exception {
    try (Paho watcher = Paho.connect(broker, "watcher")) {
      watcher.client.subscribe("wills/#", 1);
      Paho dying = Paho.connect(broker, "dying", withWill("wills/fleeting", "once", 1, false));
      dying.client.disconnectForcibly(0, 0, false);
      dying.client.close(true);
      await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("once"));
    }
    try (Paho late = Paho.connect(broker, "late"); Paho marker = Paho.connect(broker, "marker")) {
      late.client.subscribe("wills/#", 1);
      marker.publish("wills/marker", "end", 1, false);
      await().untilAsserted(() -> assertThat(late.payloads()).containsExactly("end"));
    }
  }

  @Test
  void willIsPublishedWhenTheConnectionIsTakenOver() throws Exception {
    try (Paho watcher = Paho.connect(broker, "watcher")) {
      watcher.client.subscribe("wills/#", 1);
      Paho first = Paho.connect(broker, "same", withWill("wills/same", "replaced", 1, false));
      try (Paho second = Paho.connect(broker, "same")) {
        await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("replaced"));
        assertThat(second.client.isConnected()).isTrue();
      } finally {
        first.abandon();
      }
    }
  }

  @Test
  void willsArePublishedWhenTheBrokerCloses() throws Exception {
    MemoryRetainedStore store = new MemoryRetainedStore();
    Broker own = TestBrokers.start(b -> b.retainedStore(store));
    Paho dying = Paho.connect(own, "dying", withWill("wills/shutdown", "bye", 1, true));

    own.close();
    await().untilAsserted(() -> assertThat(dying.client.isConnected()).isFalse());
    dying.abandon();

    assertThat(store.loadAll().toCompletableFuture().join())
        .extracting(RetainedMessage::topic, m -> new String(m.payload()))
        .containsExactly(tuple("wills/shutdown", "bye"));
  }
}
