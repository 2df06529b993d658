package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.concat;
import static io.tern.broker.it.ConnectPackets.subackBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packets split across and packed into TCP segments are decoded the same end to end. */
@Timeout(30)
class ConnectionSplitReadTest extends BrokerTest {
  private Paho subscriber;

  @BeforeEach
  void connectWatcher() throws Exception {
    subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("split/#", 1);
  }

  private static void sendInChunks(RawClient client, byte[] bytes, int chunk) throws Exception {
    for (int at = 0; at < bytes.length; at += chunk) {
      client.send(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk)));
    }
  }

  @Test
  void everyPacketSentByteByByte() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      sendInChunks(client, RawClient.connectPacket("dribble", true, 0), 1);
      assertThat(client.read().body()).containsExactly(0, 0);

      sendInChunks(client, RawClient.subscribePacket(3, "split/echo", 0), 1);
      RawClient.Frame suback = client.read();
      assertThat(suback.type()).isEqualTo(9);
      assertThat(suback.body()).containsExactly(subackBody(3, 0));

      sendInChunks(client, RawClient.publishPacket("split/one", 1, false, 42, "byte by byte"), 1);
      RawClient.Frame puback = client.read();
      assertThat(puback.type()).isEqualTo(4);
      assertThat(puback.body()).containsExactly(0, 42);
      await().untilAsserted(() -> assertThat(subscriber.received)
          .containsExactly(new Paho.Received("split/one", "byte by byte", 1, false, false)));

      sendInChunks(client, new byte[] {(byte) 0xC0, 0x00}, 1);
      assertThat(client.read().type()).isEqualTo(13);
    }
  }

  @Test
  void multiByteRemainingLengthSplitBetweenItsBytes() throws Exception {
    String payload = "m".repeat(20_000); // remaining length of three bytes
    byte[] publish = RawClient.publishPacket("split/long", 0, false, 0, payload);
    assertThat(publish[3] & 0x80).isZero();
    assertThat(publish[2] & 0x80).isNotZero();
    try (RawClient client = new RawClient(broker)) {
      client.connect("lengthy", true);
      client.send(Arrays.copyOfRange(publish, 0, 2));
      client.send(Arrays.copyOfRange(publish, 2, 3));
      client.send(Arrays.copyOfRange(publish, 3, 4));
      client.send(Arrays.copyOfRange(publish, 4, publish.length));
      await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly(payload));
    }
  }

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {7, 1000, 65_536})
  void largePublishesInChunksArriveWhole(int chunk) throws Exception {
    List<String> payloads = new ArrayList<>();
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String payload = i + ":" + String.valueOf((char) ('a' + i)).repeat(50_000 * (i + 1) / 5);
      payloads.add(payload);
      packets.add(RawClient.publishPacket("split/large", 1, false, i + 1, payload));
    }
    try (RawClient client = new RawClient(broker)) {
      client.connect("chunker", true);
      sendInChunks(client, concat(packets.toArray(byte[][]::new)), chunk);
      for (int i = 1; i <= 5; i++) {
        RawClient.Frame puback = client.read();
        assertThat(puback.type()).isEqualTo(4);
        assertThat(puback.packetId()).isEqualTo(i);
      }
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactlyElementsOf(payloads));
  }

  @Test
  void connectAndFollowingPacketsInOneSegment() throws Exception {
    // The broker hands the connection to the client id's home loop after CONNECT; the packets that
    // came in the same read must follow it there, in order.
    byte[] all = concat(
        RawClient.connectPacket("packed", true, 0),
        RawClient.subscribePacket(1, "split/packed", 1),
        RawClient.publishPacket("split/packed", 1, false, 2, "to myself"),
        new byte[] {(byte) 0xC0, 0x00});
    for (int attempt = 0; attempt < 10; attempt++) {
      try (RawClient client = new RawClient(broker)) {
        client.send(all);
        RawClient.Frame connack = client.read();
        assertThat(connack.type()).isEqualTo(2);
        assertThat(connack.body()).containsExactly(0, 0);
        RawClient.Frame suback = client.read();
        assertThat(suback.type()).isEqualTo(9);
        assertThat(suback.body()).containsExactly(subackBody(1, 1));
        List<Integer> types = new ArrayList<>();
        RawClient.Frame delivered = null;
        for (int i = 0; i < 3; i++) {
          RawClient.Frame frame = client.read();
          types.add(frame.type());
          if (frame.type() == 3) {
            delivered = frame;
          }
        }
        // PUBACK, the echoed PUBLISH and PINGRESP; the PUBLISH may come before or after the PUBACK
        assertThat(types).containsExactlyInAnyOrder(3, 4, 13);
        assertThat(types.indexOf(4)).isLessThan(types.indexOf(13));
        assertThat(delivered.payload()).isEqualTo("to myself");
        client.send(0xE0, 0x00);
        assertThat(client.closedByBroker()).isTrue();
      }
    }
  }

  @Test
  void violationAfterValidPacketsInTheSameSegment() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.connect("valid-then-not", true);
      client.send(concat(
          RawClient.publishPacket("split/first", 0, false, 0, "delivered"),
          new byte[] {(byte) 0xF0, 0x00},
          RawClient.publishPacket("split/second", 0, false, 0, "never")));
      assertThat(client.closedByBroker()).isTrue();
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("delivered"));
    // nothing after the violation is routed: a later marker is the next message
    try (Paho publisher = Paho.connect(broker, "publisher")) {
      publisher.publish("split/marker", "marker", 1, false);
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("delivered", "marker"));
  }

  @Test
  void connackIsSentWhenAViolationFollowsTheConnectInTheSameSegment_MQTT_3_2_0_1() throws Exception {
    byte[] all = concat(
        RawClient.connectPacket("valid-then-not", true, 0),
        RawClient.publishPacket("split/first", 0, false, 0, "delivered"),
        new byte[] {(byte) 0xF0, 0x00});
    try (RawClient client = new RawClient(broker)) {
      client.send(all);
      RawClient.Frame connack = client.read();
      assertThat(connack.type()).isEqualTo(2);
      assertThat(connack.body()).containsExactly(0, 0);
      assertThat(client.closedByBroker()).isTrue();
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("delivered"));
  }

  @Test
  void pubackIsSentWhenAViolationFollowsThePublishInTheSameSegment_MQTT_3_3_4_1() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.connect("acked-then-not", true);
      client.send(concat(
          RawClient.publishPacket("split/acked", 1, false, 7, "routed"),
          new byte[] {(byte) 0xF0, 0x00}));
      RawClient.Frame puback = client.read();
      assertThat(puback.type()).isEqualTo(4);
      assertThat(puback.body()).containsExactly(0, 7);
      assertThat(client.closedByBroker()).isTrue();
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("routed"));
  }
}
