package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.CLEAN_SESSION;
import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.connect;
import static io.tern.broker.it.ConnectPackets.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECTs the broker refuses with a CONNACK return code, and the connect timeout. */
@Timeout(30)
class ConnectProtocolTest {
  private Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @ParameterizedTest(name = "protocol level {0}")
  @ValueSource(ints = {0, 1, 2, 6, 255})
  void unsupportedProtocolLevelIsAnsweredWithReturnCode1_MQTT_3_1_2_2(int level) throws Exception {
    broker = TestBrokers.start();
    try (RawClient client = new RawClient(broker)) {
      client.send(connect("MQTT", level, CLEAN_SESSION, 0, string("levels")));
      RawClient.Frame connack = client.read();
      assertThat(connack.type()).isEqualTo(2);
      assertThat(connack.flags()).isZero();
      assertThat(connack.body()).containsExactly(0, 1);
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void mqtt5ConnectIsAcceptedWithAnMqtt5ConnAck() throws Exception {
    broker = TestBrokers.start();
    try (RawClient client = new RawClient(broker)) {
      // level 5, then an empty property block after the keep-alive
      client.send(connect("MQTT", 5, CLEAN_SESSION, 0, bytes(0), string("five")));
      RawClient.Frame connack = client.read();
      assertThat(connack.type()).isEqualTo(2);
      // no session present, reason code 0x00, then a property block that is not empty
      assertThat(connack.body()[0]).isZero();
      assertThat(connack.body()[1]).isZero();
      assertThat(connack.body()[2]).isEqualTo((byte) (connack.body().length - 3));
      assertThat(connack.body().length).isGreaterThan(3);
      client.send(0xC0, 0x00);
      assertThat(client.read().type()).isEqualTo(13);
    }
  }

  @Test
  void mqtt31ConnectIsAccepted() throws Exception {
    broker = TestBrokers.start();
    try (RawClient client = new RawClient(broker)) {
      client.send(connect("MQIsdp", 3, CLEAN_SESSION, 0, string("old")));
      RawClient.Frame connack = client.read();
      assertThat(connack.type()).isEqualTo(2);
      assertThat(connack.body()).containsExactly(0, 0);
      client.send(0xC0, 0x00);
      assertThat(client.read().type()).isEqualTo(13);
    }
  }

  @Test
  void emptyClientIdWithCleanSessionIsAccepted_MQTT_3_1_3_6() throws Exception {
    broker = TestBrokers.start();
    try (RawClient client = new RawClient(broker)) {
      assertThat(client.connect("", true)).isFalse();
      assertThat(pings(client)).isTrue();
    }
  }

  @Test
  void emptyClientIdOnMqtt31IsRejectedWithReturnCode2() throws Exception {
    broker = TestBrokers.start();
    try (RawClient client = new RawClient(broker)) {
      client.send(connect("MQIsdp", 3, CLEAN_SESSION, 0, string("")));
      assertThat(client.read().body()).containsExactly(0, 2);
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void clientIdLimitBelow23BytesIsRefusedAtBuild_MQTT_3_1_3_5() {
    assertThatThrownBy(() -> Broker.builder().maxClientIdLength(22).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxClientIdLength");
  }

  @Test
  void clientIdOverTheConfiguredLengthIsRejectedWithReturnCode2() throws Exception {
    broker = TestBrokers.start(b -> b.maxClientIdLength(24));
    try (RawClient client = new RawClient(broker)) {
      client.send(RawClient.connectPacket("x".repeat(25), true, 0));
      assertThat(client.read().body()).containsExactly(0, 2);
      assertThat(client.closedByBroker()).isTrue();
    }
    try (RawClient client = new RawClient(broker)) {
      // the limit counts UTF-8 bytes: thirteen two-byte characters are 26 bytes
      client.send(RawClient.connectPacket("é".repeat(13), true, 0));
      assertThat(client.read().body()).containsExactly(0, 2);
      assertThat(client.closedByBroker()).isTrue();
    }
    try (RawClient client = new RawClient(broker)) {
      assertThat(client.connect("x".repeat(24), true)).isFalse();
    }
  }

  @Test
  void connectionsBeyondTheLimitGetServerUnavailable() throws Exception {
    broker = TestBrokers.start(b -> b.maxConnections(1));
    RawClient first = new RawClient(broker);
    first.connect("first", true);
    try (RawClient second = new RawClient(broker)) {
      second.send(RawClient.connectPacket("second", true, 0));
      RawClient.Frame connack = second.read();
      assertThat(connack.type()).isEqualTo(2);
      assertThat(connack.body()).containsExactly(0, 3);
      assertThat(second.closedByBroker()).isTrue();
    }
    // the first is untouched
    first.send(0xC0, 0x00);
    assertThat(first.read().type()).isEqualTo(13);

    first.send(0xE0, 0x00);
    assertThat(first.closedByBroker()).isTrue();
    first.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> acceptedAsThird());
  }

  @Test
  void refusedConnectionsDoNotUseUpTheLimit() throws Exception {
    broker = TestBrokers.start(b -> b.maxConnections(1).maxClientIdLength(23));
    for (int i = 0; i < 3; i++) {
      try (RawClient refused = new RawClient(broker)) {
        refused.send(RawClient.connectPacket("x".repeat(24), true, 0));
        assertThat(refused.read().body()).containsExactly(0, 2);
        assertThat(refused.closedByBroker()).isTrue();
      }
      try (RawClient malformed = new RawClient(broker)) {
        malformed.send(connect("MQTT", 4, CLEAN_SESSION | 0x01, 0, string("bad")));
        assertThat(malformed.closedByBroker()).isTrue();
      }
    }
    try (RawClient client = new RawClient(broker)) {
      assertThat(client.connect("ok", true)).isFalse();
    }
  }

  @Test
  void clientsClosedAfterConnectingFreeTheirPlace() throws Exception {
    broker = TestBrokers.start(b -> b.maxConnections(1));
    for (int i = 0; i < 3; i++) {
      RawClient violator = await().atMost(Duration.ofSeconds(5)).until(() -> accepted("violator"), c -> c != null);
      try (violator) {
        violator.send(0xF0, 0x00);
        assertThat(violator.closedByBroker()).isTrue();
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> acceptedAsThird());
  }

  private boolean acceptedAsThird() throws IOException {
    try (RawClient third = new RawClient(broker)) {
      return connects(third, "third");
    }
  }

  /** A new connection, accepted; or null when the broker answered server unavailable. */
  private RawClient accepted(String clientId) throws IOException {
    RawClient client = new RawClient(broker);
    if (connects(client, clientId)) {
      return client;
    }
    client.close();
    return null;
  }

  /** Sends CONNECT; true when accepted, false when refused with server unavailable. */
  private static boolean connects(RawClient client, String clientId) throws IOException {
    client.send(RawClient.connectPacket(clientId, true, 0));
    byte[] body = client.read().body();
    if (Arrays.equals(body, new byte[] {0, 3})) {
      return false;
    }
    assertThat(body).containsExactly(0, 0);
    return true;
  }

  @Test
  void silentConnectionIsClosedAfterTheConnectTimeout() throws Exception {
    broker = TestBrokers.start(b -> b.connectTimeout(Duration.ofMillis(500)));
    try (RawClient silent = new RawClient(broker)) {
      await().atLeast(Duration.ofMillis(300)).atMost(Duration.ofSeconds(4))
          .until(silent::closedByBroker);
    }
  }

  @Test
  void halfSentConnectIsClosedAfterTheConnectTimeout() throws Exception {
    broker = TestBrokers.start(b -> b.connectTimeout(Duration.ofMillis(500)));
    byte[] connect = RawClient.connectPacket("slow", true, 0);
    try (RawClient slow = new RawClient(broker)) {
      slow.send(Arrays.copyOf(connect, connect.length / 2));
      await().atLeast(Duration.ofMillis(300)).atMost(Duration.ofSeconds(4))
          .until(slow::closedByBroker);
    }
  }

  @Test
  void connectedClientOutlivesTheConnectTimeout() throws Exception {
    broker = TestBrokers.start(b -> b.connectTimeout(Duration.ofMillis(500)));
    try (RawClient client = new RawClient(broker)) {
      client.connect("in-time", true);
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> pings(client));
    }
  }

  static boolean pings(RawClient client) throws IOException {
    client.send(0xC0, 0x00);
    RawClient.Frame response = client.read();
    return response.type() == 13 && response.body().length == 0;
  }
}
