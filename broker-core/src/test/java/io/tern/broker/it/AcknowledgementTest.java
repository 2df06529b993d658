package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.codec.Unsubscribe;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Acknowledgements and their order, over raw sockets. */
@Timeout(30)
class AcknowledgementTest extends BrokerTest {
  @Test
  void unsubackIsSentEvenWhenNothingWasSubscribed_MQTT_3_10_4_5() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.connect("u", true);
      client.send(new Unsubscribe(7, List.of("never/subscribed")));
      RawClient.Frame unsuback = client.read();
      assertThat(unsuback.type()).isEqualTo(11);
      assertThat(unsuback.packetId()).isEqualTo(7); // [MQTT-3.10.4-4]
    }
  }

  @Test
  void severalFiltersInOneUnsubscribeGetOneUnsuback_MQTT_3_10_4_6() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.connect("u", true);
      client.send(RawClient.subscribePacket(1, "a", 1));
      client.send(RawClient.subscribePacket(2, "b", 1));
      client.send(RawClient.subscribePacket(3, "c", 1));
      assertThat(List.of(client.read().packetId(), client.read().packetId(), client.read().packetId()))
          .containsExactly(1, 2, 3);

      client.send(new Unsubscribe(4, List.of("a", "b")));
      assertThat(client.read().packetId()).isEqualTo(4);
      client.send(RawClient.publishPacket("a", 1, false, 10, "to a"));
      client.send(RawClient.publishPacket("c", 1, false, 11, "to c"));

      // a and b are gone, c stays: only the PUBACKs and the message on c come back
      RawClient.Frame first = client.read();
      RawClient.Frame second = client.read();
      RawClient.Frame third = client.read();
      assertThat(List.of(first.type(), second.type(), third.type())).containsExactlyInAnyOrder(4, 4, 3);
      RawClient.Frame publish = first.type() == 3 ? first : second.type() == 3 ? second : third;
      assertThat(publish.topic()).isEqualTo("c");
    }
  }

  @Test
  void inFlightMessagesAreCompletedAfterUnsubscribe_MQTT_3_10_4_3() throws Exception {
    try (RawClient client = new RawClient(broker); RawClient publisher = new RawClient(broker)) {
      client.connect("inflight", true);
      client.send(RawClient.subscribePacket(1, "f", 2));
      client.read();
      publisher.connect("pub", true);
      publisher.send(RawClient.publishPacket("f", 2, false, 1, "pending"));
      RawClient.Frame publish = client.read();
      assertThat(publish.payload()).isEqualTo("pending");

      client.send(new Unsubscribe(2, List.of("f")));
      assertThat(client.read().type()).isEqualTo(11);
      client.send(new PubRec(publish.publishPacketId()));
      RawClient.Frame pubrel = client.read();
      assertThat(pubrel.type()).isEqualTo(6);
      assertThat(pubrel.packetId()).isEqualTo(publish.publishPacketId());
    }
  }

  @Test
  void acknowledgementsFollowTheOrderOfThePublishes_MQTT_4_6_0_2_and_MQTT_4_6_0_3() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.connect("order", true);
      int[] ids = {9, 3, 7, 1, 5};
      for (int id : ids) {
        client.send(RawClient.publishPacket("nobody/listens", 1, false, id, "q1"));
        client.send(RawClient.publishPacket("nobody/listens", 2, false, id + 100, "q2"));
      }
      for (int id : ids) {
        RawClient.Frame puback = client.read();
        RawClient.Frame pubrec = client.read();
        assertThat(puback.type()).isEqualTo(4);
        assertThat(puback.packetId()).isEqualTo(id);
        assertThat(pubrec.type()).isEqualTo(5);
        assertThat(pubrec.packetId()).isEqualTo(id + 100);
      }
      for (int id : ids) {
        client.send(new PubRel(id + 100));
      }
      for (int id : ids) {
        RawClient.Frame pubcomp = client.read();
        assertThat(pubcomp.type()).isEqualTo(7);
        assertThat(pubcomp.packetId()).isEqualTo(id + 100);
      }
    }
  }

  @Test
  void pubrelsFollowTheOrderOfThePubrecs_MQTT_4_6_0_4() throws Exception {
    try (RawClient client = new RawClient(broker); RawClient publisher = new RawClient(broker)) {
      client.connect("rel-order", true);
      client.send(RawClient.subscribePacket(1, "r", 2));
      client.read();
      publisher.connect("pub", true);
      for (int i = 1; i <= 3; i++) {
        publisher.send(RawClient.publishPacket("r", 2, false, i, "m" + i));
      }
      int[] received = {client.read().publishPacketId(), client.read().publishPacketId(), client.read().publishPacketId()};
      client.send(new PubRec(received[2]));
      client.send(new PubRec(received[0]));
      client.send(new PubRec(received[1]));
      assertThat(List.of(client.read().packetId(), client.read().packetId(), client.read().packetId()))
          .containsExactly(received[2], received[0], received[1]);
    }
  }

  @Test
  void outgoingDupDoesNotCopyTheIncomingDup_MQTT_3_3_1_3() throws Exception {
    try (RawClient client = new RawClient(broker); RawClient publisher = new RawClient(broker)) {
      client.connect("dup", true);
      client.send(RawClient.subscribePacket(1, "d", 1));
      client.read();
      publisher.connect("pub", true);
      byte[] publish = RawClient.publishPacket("d", 1, false, 1, "resent");
      publish[0] |= 0x08; // DUP: the publisher says it is a retransmission
      publisher.send(publish);

      RawClient.Frame delivered = client.read();
      assertThat(delivered.payload()).isEqualTo("resent");
      assertThat(delivered.dup()).isFalse();
      client.send(new PubAck(delivered.publishPacketId()));
    }
  }

  @Test
  void aDuplicateQos2PublishBeforePubrelIsNotDeliveredTwice_MQTT_4_3_3_2() throws Exception {
    try (RawClient client = new RawClient(broker); RawClient publisher = new RawClient(broker)) {
      client.connect("once", true);
      client.send(RawClient.subscribePacket(1, "e", 0));
      client.read();
      publisher.connect("pub", true);
      byte[] publish = RawClient.publishPacket("e", 2, false, 42, "exactly once");
      publisher.send(publish);
      assertThat(publisher.read().type()).isEqualTo(5);
      publish[0] |= 0x08;
      publisher.send(publish);
      assertThat(publisher.read().type()).isEqualTo(5);
      publisher.send(new PubRel(42));
      assertThat(publisher.read().type()).isEqualTo(7);
      publisher.send(RawClient.publishPacket("e", 0, false, 0, "marker"));

      assertThat(client.read().payload()).isEqualTo("exactly once");
      assertThat(client.read().payload()).isEqualTo("marker");
    }
  }

  @Test
  void nothingSentAfterARefusedConnectIsProcessed_MQTT_3_1_4_5() throws Exception {
    try (Paho watcher = Paho.connect(broker, "watcher")) {
      watcher.client.subscribe("refused/#", 1);
      try (RawClient refused = new RawClient(broker)) {
        byte[] connect = RawClient.connectPacket("refused", true, 0);
        connect[8] = 6; // protocol level 6: refused with return code 1
        byte[] publish = RawClient.publishPacket("refused/leak", 1, false, 1, "must not arrive");
        byte[] both = new byte[connect.length + publish.length];
        System.arraycopy(connect, 0, both, 0, connect.length);
        System.arraycopy(publish, 0, both, connect.length, publish.length);
        refused.send(both);
        assertThat(refused.read().body()).containsExactly(0, 1);
        assertThat(refused.closedByBroker()).isTrue();
      }
      try (Paho marker = Paho.connect(broker, "marker")) {
        marker.publish("refused/marker", "end", 1, false);
      }
      await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("end"));
    }
  }
}
