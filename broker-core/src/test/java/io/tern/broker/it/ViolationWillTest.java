package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.connectWithWill;
import static io.tern.broker.it.ConnectPackets.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The will is published when the broker closes a client for a violation, not after DISCONNECT. */
@Timeout(30)
class ViolationWillTest extends BrokerTest {
  private Paho subscriber;

  @BeforeEach
  void connectWatcher() throws Exception {
    subscriber = connectPaho("will-watcher");
    subscriber.client.subscribe("will/#", 2);
  }

  private RawClient connectWithTheWill(String clientId, int keepAlive, int willQos, boolean willRetain)
      throws IOException {
    RawClient client = new RawClient(broker);
    client.send(connectWithWill(clientId, keepAlive, "will/" + clientId, clientId + " is gone", willQos, willRetain));
    RawClient.Frame connack = client.read();
    assertThat(connack.type()).isEqualTo(2);
    assertThat(connack.body()).containsExactly(0, 0);
    return client;
  }

  private void publishMarker() throws Exception {
    try (Paho publisher = Paho.connect(broker, "marker")) {
      publisher.publish("will/marker", "marker", 1, false);
    }
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of("packet type 15", bytes(0xF0, 0x00)),
        Arguments.of("PUBLISH QoS 3", bytes(0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01)),
        Arguments.of("PUBLISH to a wildcard", RawClient.publishPacket("will/+", 0, false, 0, "x")),
        Arguments.of("SUBSCRIBE to a/#/b", subscribe(1, "a/#/b", 0)),
        Arguments.of("second CONNECT", RawClient.connectPacket("again", true, 0)),
        Arguments.of("remaining length of 5 bytes", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void willIsPublishedWhenTheBrokerClosesForAViolation_MQTT_3_1_2_8(String name, byte[] violation)
      throws Exception {
    try (RawClient client = connectWithTheWill("offender", 0, 1, false)) {
      client.send(violation);
      assertThat(client.closedByBroker()).isTrue();
    }
    await().untilAsserted(() -> assertThat(subscriber.received)
        .containsExactly(new Paho.Received("will/offender", "offender is gone", 1, false, false)));
  }

  @Test
  void willIsNotPublishedAfterDisconnect_MQTT_3_1_2_10() throws Exception {
    try (RawClient client = connectWithTheWill("polite", 0, 1, false)) {
      client.send(0xE0, 0x00);
      assertThat(client.closedByBroker()).isTrue();
    }
    publishMarker();
    await().untilAsserted(() -> assertThat(subscriber.payloads()).contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("marker");
  }

  @Test
  void willIsPublishedWhenTheClientDropsTheConnection_MQTT_3_1_2_8() throws Exception {
    RawClient client = connectWithTheWill("dropper", 0, 2, false);
    client.close();
    await().untilAsserted(() -> assertThat(subscriber.received)
        .containsExactly(new Paho.Received("will/dropper", "dropper is gone", 2, false, false)));
  }

  @Test
  void willIsPublishedWhenTheKeepAliveRunsOut_MQTT_3_1_2_8() throws Exception {
    try (RawClient client = connectWithTheWill("sleeper", 1, 0, false)) {
      await().atMost(Duration.ofSeconds(4)).until(client::closedByBroker);
    }
    await().untilAsserted(() -> assertThat(subscriber.received)
        .containsExactly(new Paho.Received("will/sleeper", "sleeper is gone", 0, false, false)));
  }

  @Test
  void retainedWillIsKeptForLaterSubscribers_MQTT_3_1_2_17() throws Exception {
    try (RawClient client = connectWithTheWill("keeper", 0, 1, true)) {
      client.send(0xF0, 0x00);
      assertThat(client.closedByBroker()).isTrue();
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("keeper is gone"));
    try (Paho late = Paho.connect(broker, "late")) {
      late.client.subscribe("will/keeper", 1);
      await().untilAsserted(() -> assertThat(late.received)
          .containsExactly(new Paho.Received("will/keeper", "keeper is gone", 1, true, false)));
    }
  }

  @Test
  void willIsNotPublishedForARefusedConnect() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.send(ConnectPackets.connect("MQTT", 6, ConnectPackets.CLEAN_SESSION | ConnectPackets.WILL, 0,
          ConnectPackets.string("refused"), ConnectPackets.string("will/refused"), ConnectPackets.string("no")));
      assertThat(client.read().body()).containsExactly(0, 1);
      assertThat(client.closedByBroker()).isTrue();
    }
    publishMarker();
    await().untilAsserted(() -> assertThat(subscriber.payloads()).contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("marker");
  }
}
