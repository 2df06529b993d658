package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubComp;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.spi.store.SessionStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SessionTest extends BrokerTest {
  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.maxQueuedMessages(5);
  }

  @Test
  void persistentSessionKeepsSubscriptionsAndQueuesWhileOffline_MQTT_3_1_2_4() throws Exception {
    Paho subscriber = Paho.connect(broker, "keeper", Paho.options(false));
    subscriber.client.subscribe("queued/#", 1);
    subscriber.close();

    try (Paho publisher = Paho.connect(broker, "pub")) {
      publisher.publish("queued/a", "one", 1, false);
      publisher.publish("queued/b", "two", 2, false);
      publisher.publish("queued/c", "qos0 is not kept", 0, false);
    }

    Paho again = Paho.create(broker, "keeper");
    again.client.connect(Paho.options(false));
    try (again) {
      await().untilAsserted(() -> assertThat(again.payloads()).containsExactly("one", "two"));
    }
  }

  @Test
  void sessionPresentReflectsStoredSession_MQTT_3_2_2_2() throws Exception {
    try (RawClient first = new RawClient(broker)) {
      assertThat(first.connect("present", false)).isFalse();
    }
    try (RawClient second = new RawClient(broker)) {
      // Whether or not the broker has seen the first close yet, the session is there to resume.
      assertThat(second.connect("present", false)).isTrue();
    }
  }

  @Test
  void cleanSessionDiscardsTheStoredSession_MQTT_3_1_2_6() throws Exception {
    try (RawClient first = new RawClient(broker)) {
      first.connect("cleaner", false);
      first.send(RawClient.subscribePacket(1, "c", 1));
      assertThat(first.read().type()).isEqualTo(9);
    }
    try (RawClient clean = new RawClient(broker)) {
      assertThat(clean.connect("cleaner", true)).isFalse(); // [MQTT-3.2.2-1]
    }
    try (RawClient again = new RawClient(broker)) {
      assertThat(again.connect("cleaner", false)).isFalse();
    }
  }

  @Test
  void unacknowledgedMessagesAreResentWithDupOnReconnect_MQTT_4_4_0_1() throws Exception {
    int firstId;
    try (RawClient client = new RawClient(broker)) {
      client.connect("resend", false);
      client.send(RawClient.subscribePacket(1, "r/#", 2));
      assertThat(client.read().type()).isEqualTo(9);
      try (Paho publisher = Paho.connect(broker, "pub")) {
        publisher.publish("r/1", "at least once", 1, false);
        publisher.publish("r/2", "exactly once", 2, false);
      }
      RawClient.Frame one = client.read();
      RawClient.Frame two = client.read();
      assertThat(one.dup()).isFalse();
      assertThat(one.payload()).isEqualTo("at least once");
      assertThat(two.payload()).isEqualTo("exactly once");
      firstId = one.publishPacketId();
      // acknowledge neither, and leave
    }

    try (RawClient client = new RawClient(broker)) {
      assertThat(client.connect("resend", false)).isTrue();
      RawClient.Frame one = client.read();
      RawClient.Frame two = client.read();
      assertThat(one.type()).isEqualTo(3);
      assertThat(one.dup()).isTrue();
      assertThat(one.publishPacketId()).isEqualTo(firstId);
      assertThat(one.payload()).isEqualTo("at least once");
      assertThat(two.dup()).isTrue();
      assertThat(two.qos()).isEqualTo(2);

      client.send(new PubAck(one.publishPacketId()));
      client.send(new PubRec(two.publishPacketId()));
      RawClient.Frame pubrel = client.read();
      assertThat(pubrel.type()).isEqualTo(6);
      assertThat(pubrel.flags()).isEqualTo(2);
      assertThat(pubrel.packetId()).isEqualTo(two.publishPacketId());
      client.send(new PubComp(two.publishPacketId()));
    }

    try (RawClient client = new RawClient(broker)) {
      assertThat(client.connect("resend", false)).isTrue();
      // everything was acknowledged: only the PINGRESP to our PINGREQ comes back
      client.send(0xC0, 0);
      assertThat(client.read().type()).isEqualTo(13);
    }
  }

  @Test
  void pubrelIsResentForMessagesThatReachedPubrec_MQTT_4_4_0_1() throws Exception {
    int id;
    try (RawClient client = new RawClient(broker)) {
      client.connect("rel", false);
      client.send(RawClient.subscribePacket(1, "rel", 2));
      client.read();
      try (Paho publisher = Paho.connect(broker, "pub")) {
        publisher.publish("rel", "x", 2, false);
      }
      id = client.read().publishPacketId();
      client.send(new PubRec(id));
      assertThat(client.read().type()).isEqualTo(6);
    }
    try (RawClient client = new RawClient(broker)) {
      assertThat(client.connect("rel", false)).isTrue();
      RawClient.Frame pubrel = client.read();
      assertThat(pubrel.type()).isEqualTo(6);
      assertThat(pubrel.packetId()).isEqualTo(id);
    }
  }

  @Test
  void queueBeyondItsLimitDropsTheNewestMessages() throws Exception {
    Paho subscriber = Paho.connect(broker, "bounded", Paho.options(false));
    subscriber.client.subscribe("flood", 1);
    subscriber.close();
    try (Paho publisher = Paho.connect(broker, "pub")) {
      for (int i = 0; i < 8; i++) {
        publisher.publish("flood", "m" + i, 1, false);
      }
    }
    Paho again = Paho.create(broker, "bounded");
    again.client.connect(Paho.options(false));
    try (again) {
      await().untilAsserted(() -> assertThat(again.payloads()).containsExactly("m0", "m1", "m2", "m3", "m4"));
      assertThat(broker.admin().metrics().droppedQueueFull()).isEqualTo(3);
    }
  }

  @Test
  void aSecondConnectionWithTheSameIdClosesTheFirst_MQTT_3_1_4_2() throws Exception {
    Paho first = Paho.connect(broker, "twin");
    try (Paho second = Paho.connect(broker, "twin")) {
      await().untilAsserted(() -> assertThat(first.client.isConnected()).isFalse());
      assertThat(second.client.isConnected()).isTrue();
      second.client.subscribe("t", 1);
      second.publish("t", "still works", 1, false);
      await().untilAsserted(() -> assertThat(second.payloads()).containsExactly("still works"));
    } finally {
      first.client.close(true);
    }
  }

  @Test
  void emptyClientIdWithCleanSessionGetsAnIdentifier_MQTT_3_1_3_6() throws Exception {
    try (RawClient a = new RawClient(broker); RawClient b = new RawClient(broker)) {
      a.connect("", true);
      b.connect("", true);
      a.send(RawClient.subscribePacket(1, "anon", 0));
      assertThat(a.read().type()).isEqualTo(9);
      b.send(RawClient.publishPacket("anon", 0, false, 0, "hi"));
      assertThat(a.read().payload()).isEqualTo("hi");
    }
  }

  @Test
  void emptyClientIdWithoutCleanSessionIsRejected_MQTT_3_1_3_8() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.send(RawClient.connectPacket("", false, 0));
      RawClient.Frame connack = client.read();
      assertThat(connack.type()).isEqualTo(2);
      assertThat(connack.body()).containsExactly(0, 2);
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void storedSessionsSurviveARebuiltBrokerWithTheSameStore() throws Exception {
    SessionStore store = new io.tern.broker.core.store.memory.MemorySessionStore();
    try (Broker first = TestBrokers.start(b -> b.sessionStore(store))) {
      Paho subscriber = Paho.connect(first, "durable", Paho.options(false));
      subscriber.client.subscribe(new String[] {"s/1", "s/2"}, new int[] {1, 2});
      subscriber.client.unsubscribe("s/2");
      subscriber.close();
    }
    assertThat(store.loadAll().toCompletableFuture().join()).singleElement()
        .satisfies(s -> assertThat(s.subscriptions()).extracting(x -> x.topicFilter()).containsExactly("s/1"));
    try (Broker second = TestBrokers.start(b -> b.sessionStore(store))) {
      try (Paho publisher = Paho.connect(second, "pub")) {
        publisher.publish("s/1", "after restart", 1, false);
      }
      Paho subscriber = Paho.create(second, "durable");
      subscriber.client.connect(Paho.options(false));
      try (subscriber) {
        await().untilAsserted(() -> assertThat(subscriber.payloads()).isEqualTo(List.of("after restart")));
      }
    }
  }
}
