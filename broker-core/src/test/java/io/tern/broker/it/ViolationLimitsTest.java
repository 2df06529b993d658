package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.subackBody;
import static io.tern.broker.it.ConnectPackets.subscribe;
import static io.tern.broker.it.ConnectPackets.unsubscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.message.QoS;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Configured limits: subscriptions over them are refused in the SUBACK, packets and topic names
 * over them cost the client its connection, and nobody else.
 */
@Timeout(30)
class ViolationLimitsTest {
  private static final int FAILURE = 0x80;

  private Broker broker;
  private Paho watcher;

  private void start(UnaryOperator<BrokerBuilder> settings) throws Exception {
    broker = TestBrokers.start(settings);
    watcher = Paho.connect(broker, "watcher");
    watcher.client.subscribe("after/#", 1);
  }

  @AfterEach
  void stop() throws Exception {
    if (watcher != null) {
      watcher.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private void assertOthersUnaffected() throws Exception {
    try (Paho publisher = Paho.connect(broker, "publisher")) {
      publisher.publish("after/limit", "still served", 1, false);
    }
    await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("still served"));
  }

  private static RawClient.Frame subscribeAndRead(RawClient client, byte[] subscribe) throws Exception {
    client.send(subscribe);
    RawClient.Frame suback = client.read();
    assertThat(suback.type()).isEqualTo(9);
    assertThat(suback.flags()).isZero();
    return suback;
  }

  @Test
  void packetAnnouncedOverTheMaximumIsRefusedWithoutWaitingForItsBody() throws Exception {
    start(b -> b.maxPacketSize(1024));
    try (RawClient client = new RawClient(broker)) {
      client.connect("big", true);
      // PUBLISH QoS 0, remaining length 1,000,000 (C0 84 3D), then the start of a topic
      client.send(0x30, 0xC0, 0x84, 0x3D, 0x00, 0x03, 'b', 'i', 'g');
      await().atMost(Duration.ofSeconds(2)).until(client::closedByBroker);
    }
    assertOthersUnaffected();
  }

  @Test
  void packetOfExactlyTheMaximumIsAcceptedAndOneByteMoreIsNot() throws Exception {
    start(b -> b.maxPacketSize(1024));
    String fits = "x".repeat(1024 - 1 - 2 - 2 - "after/size".length());
    byte[] largest = RawClient.publishPacket("after/size", 0, false, 0, fits);
    byte[] tooLarge = RawClient.publishPacket("after/size", 0, false, 0, fits + "y");
    assertThat(largest).hasSize(1024);
    assertThat(tooLarge).hasSize(1025);

    try (RawClient client = new RawClient(broker)) {
      client.connect("sized", true);
      client.send(largest);
      await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactly(fits));
      client.send(tooLarge);
      assertThat(client.closedByBroker()).isTrue();
    }
    assertThat(watcher.payloads()).containsExactly(fits);
  }

  @Test
  void filterOverTheTopicLengthIsRefusedAndTheOthersGranted() throws Exception {
    start(b -> b.maxTopicLength(16));
    try (RawClient client = new RawClient(broker)) {
      client.connect("long", true);
      RawClient.Frame suback = subscribeAndRead(client,
          subscribe(7, "short/a", 1, "a".repeat(17), 0, "b".repeat(16), 2, "é".repeat(9), 1));
      assertThat(suback.body()).containsExactly(subackBody(7, 1, FAILURE, 2, FAILURE));

      try (Paho publisher = Paho.connect(broker, "publisher")) {
        publisher.publish("b".repeat(16), "sixteen", 2, false);
      }
      RawClient.Frame publish = client.read();
      assertThat(publish.type()).isEqualTo(3);
      assertThat(publish.topic()).isEqualTo("b".repeat(16));
      assertThat(publish.payload()).isEqualTo("sixteen");
    }
  }

  @Test
  void publishToATopicOverTheLengthClosesTheConnection() throws Exception {
    start(b -> b.maxTopicLength(16));
    try (RawClient client = new RawClient(broker)) {
      client.connect("long", true);
      client.send(RawClient.publishPacket("after/" + "x".repeat(11), 1, false, 5, "too long"));
      assertThat(client.closedByBroker()).isTrue();
    }
    assertOthersUnaffected();
  }

  @Test
  void filterOverTheLevelLimitIsRefusedAndTheOthersGranted() throws Exception {
    start(b -> b.maxTopicLevels(3));
    try (RawClient client = new RawClient(broker)) {
      client.connect("deep", true);
      RawClient.Frame suback = subscribeAndRead(client,
          subscribe(300, "a/b/c", 1, "a/b/c/d", 1, "a/b/#", 0, "a/b/c/#", 2, "/a/b", 2, "a//b/", 1)); // empty levels count too
      assertThat(suback.body()).containsExactly(subackBody(300, 1, FAILURE, 0, FAILURE, 2, FAILURE));
    }
  }

  @Test
  void publishToATopicOverTheLevelLimitClosesTheConnection() throws Exception {
    start(b -> b.maxTopicLevels(3));
    try (RawClient client = new RawClient(broker)) {
      client.connect("deep", true);
      client.send(RawClient.publishPacket("after/a/b/c", 0, false, 0, "too deep"));
      assertThat(client.closedByBroker()).isTrue();
    }
    assertOthersUnaffected();
  }

  @Test
  void subscriptionsBeyondThePerClientLimitAreRefused() throws Exception {
    start(b -> b.maxSubscriptionsPerClient(2));
    try (RawClient client = new RawClient(broker)) {
      client.connect("many", true);
      assertThat(subscribeAndRead(client, subscribe(1, "a", 0, "b", 1, "c", 2)).body())
          .containsExactly(subackBody(1, 0, 1, FAILURE));
      // replacing an existing subscription does not count as another [MQTT-3.8.4-3]
      assertThat(subscribeAndRead(client, subscribe(2, "a", 1)).body()).containsExactly(subackBody(2, 1));
      assertThat(subscribeAndRead(client, subscribe(3, "d", 1)).body()).containsExactly(subackBody(3, FAILURE));

      // the refused filter gets nothing: the first message the client sees is the one for "a"
      try (Paho publisher = Paho.connect(broker, "publisher")) {
        publisher.publish("c", "refused", 0, false);
        publisher.publish("a", "granted", 0, false);
      }
      RawClient.Frame publish = client.read();
      assertThat(publish.topic()).isEqualTo("a");
      assertThat(publish.payload()).isEqualTo("granted");

      // unsubscribing frees a place
      client.send(unsubscribe(4, "b"));
      RawClient.Frame unsuback = client.read();
      assertThat(unsuback.type()).isEqualTo(11);
      assertThat(unsuback.body()).containsExactly(0, 4);
      assertThat(subscribeAndRead(client, subscribe(5, "c", 2)).body()).containsExactly(subackBody(5, 2));
    }
  }

  @Test
  void requestedQosAboveTheMaximumIsGrantedAtTheMaximum_MQTT_3_9_3_2() throws Exception {
    start(b -> b.maxQos(QoS.AT_LEAST_ONCE));
    try (RawClient client = new RawClient(broker)) {
      client.connect("capped", true);
      assertThat(subscribeAndRead(client, subscribe(9, "x", 2, "y", 0, "z", 1)).body())
          .containsExactly(subackBody(9, 1, 0, 1));

      try (Paho publisher = Paho.connect(broker, "publisher")) {
        publisher.publish("x", "exactly once", 2, false);
      }
      RawClient.Frame publish = client.read();
      assertThat(publish.type()).isEqualTo(3);
      assertThat(publish.qos()).isEqualTo(1);
      assertThat(publish.payload()).isEqualTo("exactly once");
    }
  }
}
