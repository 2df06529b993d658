package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keep-alive over a socket: a silent client is closed after one and a half periods [MQTT-3.1.2-24]. */
@Timeout(30)
class ConnectionKeepAliveTest extends BrokerTest {
  private RawClient connectWithKeepAlive(String clientId, int seconds) throws IOException {
    RawClient client = new RawClient(broker);
    client.send(RawClient.connectPacket(clientId, true, seconds));
    RawClient.Frame connack = client.read();
    assertThat(connack.type()).isEqualTo(2);
    assertThat(connack.body()).containsExactly(0, 0);
    return client;
  }

  @Test
  void silentClientIsClosedAfterOneAndAHalfKeepAlivePeriods_MQTT_3_1_2_24() throws Exception {
    try (RawClient client = connectWithKeepAlive("silent", 1)) {
      // open right after CONNACK
      assertThat(ConnectProtocolTest.pings(client)).isTrue();
      await().atLeast(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(4))
          .until(client::closedByBroker);
    }
  }

  @Test
  void pingingClientKeepsItsConnection_MQTT_3_1_2_24() throws Exception {
    try (RawClient client = connectWithKeepAlive("pinger", 1)) {
      await().pollDelay(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(500))
          .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
          .until(() -> ConnectProtocolTest.pings(client));
    }
  }

  @Test
  void anyPacketCountsAsActivity_MQTT_3_1_2_24() throws Exception {
    try (RawClient client = connectWithKeepAlive("talker", 1)) {
      int[] id = {0};
      await().pollDelay(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(500))
          .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
          .until(() -> {
            int packetId = ++id[0];
            client.send(RawClient.publishPacket("chat", 1, false, packetId, "still here"));
            RawClient.Frame puback = client.read();
            return puback.type() == 4 && puback.packetId() == packetId;
          });
      // and once it stops, the period runs out
      await().atMost(Duration.ofSeconds(4)).until(client::closedByBroker);
    }
  }

  @Test
  void keepAliveZeroTurnsTheMechanismOff_MQTT_3_1_2_24() throws Exception {
    try (RawClient zero = connectWithKeepAlive("zero", 0); RawClient one = connectWithKeepAlive("one", 1)) {
      // by the time the client with keep-alive 1 has been dropped, the one with 0 still answers
      await().atMost(Duration.ofSeconds(4)).until(one::closedByBroker);
      assertThat(ConnectProtocolTest.pings(zero)).isTrue();
    }
  }
}
