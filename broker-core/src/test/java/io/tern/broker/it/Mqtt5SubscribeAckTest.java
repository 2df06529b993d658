package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.BrokerBuilder;
import io.tern.broker.admin.SessionInfo;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.PingReq;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubComp;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.core.codec.UnsubAck;
import io.tern.broker.core.codec.Unsubscribe;
import io.tern.broker.hook.SubscribeDecision;
import io.tern.broker.message.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 SUBSCRIBE and UNSUBSCRIBE as the broker handles them: one SUBACK or UNSUBACK per
 * packet, with its packet identifier and a code per filter; several filters handled as several
 * packets; replacing a subscription; and what unsubscribing deletes, stops and completes.
 */
@Timeout(60)
class Mqtt5SubscribeAckTest extends Mqtt5BrokerTest {
  private static final Duration QUIET = Duration.ofMillis(700);

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.addSubscribeInterceptor((client, filter, qos) -> switch (filter) {
      case "denied/x" -> SubscribeDecision.reject(ReasonCode.NOT_AUTHORIZED);
      // codes a SUBACK cannot carry: the broker must not pass them on as they are
      case "odd/payload-format" -> SubscribeDecision.reject(ReasonCode.PAYLOAD_FORMAT_INVALID);
      case "odd/malformed" -> SubscribeDecision.reject(ReasonCode.MALFORMED_PACKET);
      default -> SubscribeDecision.proceed();
    });
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String payload(Publish publish) {
    return new String(publish.payload(), StandardCharsets.UTF_8);
  }

  private static Subscribe subscribe(int packetId, Subscribe.Request... requests) {
    return new Subscribe(packetId, List.of(requests), Properties.EMPTY);
  }

  private static Subscribe.Request request(String filter, int qos) {
    return new Subscribe.Request(filter, qos);
  }

  private static Unsubscribe unsubscribe(int packetId, String... filters) {
    return new Unsubscribe(packetId, List.of(filters), Properties.EMPTY);
  }

  private void publish(String topic, int qos, boolean retain, String payload) throws IOException {
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("publisher", true, 60, Properties.EMPTY))) {
      publisher.publishAndComplete(new Publish(topic, qos, retain, false, qos == 0 ? 0 : 1, utf8(payload),
          Properties.EMPTY));
    }
  }

  /** Acknowledges a PUBLISH from the broker as its QoS requires, completing a QoS 2 exchange. */
  private static void complete(RawMqtt5Client client, Publish publish) throws IOException {
    if (publish.qos() == 1) {
      client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    } else if (publish.qos() == 2) {
      client.send(new PubRec(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      assertThat(((PubRel) client.read(PacketType.PUBREL)).packetId()).isEqualTo(publish.packetId());
      client.send(new PubComp(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    }
  }

  private static void assertQuiet(RawMqtt5Client client) throws IOException {
    Optional<Packet> extra = client.poll(QUIET);
    assertThat(extra).as("a packet the broker should not have sent").isEmpty();
  }

  private SessionInfo session(String clientId) {
    return broker.admin().session(clientId).toCompletableFuture().join().orElseThrow();
  }

  @Test
  void everySubscribeIsAnsweredByASubackWithItsPacketIdentifier_MQTT_3_8_4_1_MQTT_3_8_4_2_MQTT_2_2_1_6()
      throws Exception {
    RawMqtt5Client client = rawMqtt5("acks");
    int[] ids = {7, 1, 65_535, 300, 42};
    client.send(subscribe(ids[0], request("acks/a", 1)));
    client.send(subscribe(ids[1], request("denied/x", 1))); // refused, still answered
    client.send(subscribe(ids[2], request("$share//acks", 0))); // a share without a name, still answered
    client.send(subscribe(ids[3], request("acks/a", 2))); // a replacement
    client.send(subscribe(ids[4], request("acks/+", 0), request("acks/#", 2)));

    List<SubAck> subAcks = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      subAcks.add((SubAck) client.read(PacketType.SUBACK));
    }
    assertThat(subAcks).extracting(SubAck::packetId).containsExactly(ids[0], ids[1], ids[2], ids[3], ids[4]);
    assertThat(subAcks).extracting(SubAck::returnCodes).containsExactly(
        new byte[] {1}, new byte[] {(byte) 0x87}, new byte[] {(byte) 0x8F}, new byte[] {2}, new byte[] {0, 2});
    assertQuiet(client);
  }

  @Test
  void aSubscribeWithSeveralFiltersIsHandledAsSeveralWithOneCombinedSuback_MQTT_3_8_4_5() throws Exception {
    publish("multi/b", 2, true, "retained b");
    RawMqtt5Client client = rawMqtt5("multi");

    client.send(subscribe(9, request("multi/a", 0), request("multi/b", 2), request("denied/x", 1),
        request("multi/+", 1)));

    SubAck subAck = (SubAck) client.read(PacketType.SUBACK);
    assertThat(subAck.packetId()).isEqualTo(9);
    assertThat(subAck.returnCodes()).containsExactly(0, 2, 0x87, 1);
    // each granted filter is a subscription of its own, as after separate SUBSCRIBEs: multi/b and
    // multi/+ each get the retained message, at their own QoS
    List<Publish> retained = List.of((Publish) client.read(PacketType.PUBLISH),
        (Publish) client.read(PacketType.PUBLISH));
    assertThat(retained).extracting(Mqtt5SubscribeAckTest::payload).containsOnly("retained b");
    assertThat(retained).extracting(Publish::retain).containsOnly(true);
    assertThat(retained).extracting(Publish::qos).containsExactlyInAnyOrder(2, 1);
    for (Publish publish : retained) {
      complete(client, publish);
    }

    publish("multi/a", 2, false, "to a");
    Publish toA = (Publish) client.read(PacketType.PUBLISH);
    assertThat(payload(toA)).isEqualTo("to a");
    assertThat(toA.qos()).as("multi/a at 0 and multi/+ at 1: the higher").isEqualTo(1);
    complete(client, toA);
    publish("denied/x", 1, false, "to the refused filter");
    assertQuiet(client);
    assertThat(session("multi").subscriptions()).containsOnlyKeys("multi/a", "multi/b", "multi/+");
  }

  @Test
  void resubscribingReplacesTheSubscriptionResendsRetainedMessagesAndLosesNone_MQTT_3_8_4_4() throws Exception {
    publish("keep/r", 1, true, "retained");
    RawMqtt5Client client = rawMqtt5("keeper", Properties.builder().receiveMaximum(1).build());
    client.subscribe(1, "keep/#", 1);
    Publish first = (Publish) client.read(PacketType.PUBLISH);
    assertThat(payload(first)).isEqualTo("retained");
    publish("keep/live", 1, false, "live 1"); // the window of one holds these back
    publish("keep/live", 1, false, "live 2");

    // the same filter again, at QoS 2 and Retain Handling 0
    client.send(subscribe(2, new Subscribe.Request("keep/#", 2, false, false, Subscribe.SEND_RETAINED)));
    assertThat(((SubAck) client.read(PacketType.SUBACK)).returnCodes()).containsExactly(2);
    client.send(new PubAck(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));

    List<Publish> after = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Publish publish = (Publish) client.read(PacketType.PUBLISH);
      after.add(publish);
      complete(client, publish);
    }
    assertThat(after).extracting(Mqtt5SubscribeAckTest::payload)
        .containsExactlyInAnyOrder("live 1", "live 2", "retained");
    assertThat(after).filteredOn(p -> payload(p).equals("retained")).singleElement()
        .satisfies(p -> assertThat(p.retain()).isTrue());

    // one subscription, replaced: a new message comes once, at the new QoS
    publish("keep/new", 2, false, "after");
    Publish next = (Publish) client.read(PacketType.PUBLISH);
    assertThat(payload(next)).isEqualTo("after");
    assertThat(next.qos()).isEqualTo(2);
    complete(client, next);
    assertQuiet(client);
    assertThat(session("keeper").subscriptions()).containsOnlyKeys("keep/#");
  }

  @Test
  void subackReasonCodesAreOnlyThoseDefinedForSuback_MQTT_3_9_3_2() throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.send5(RawMqtt5Client.connectPacket("odd", true, 60, Properties.EMPTY));
      assertThat(client.read().type()).isEqualTo(PacketType.CONNACK);
      client.send5(subscribe(3, request("odd/payload-format", 1), request("odd/malformed", 1),
          request("denied/x", 1), request("odd/fine", 1)));

      RawClient.Frame subAck = client.read();
      assertThat(subAck.type()).isEqualTo(PacketType.SUBACK);
      // packet id 3, no properties, then one code per filter: what the interceptor chose where a
      // SUBACK may carry it, 0x80 (Unspecified error) where it may not
      assertThat(subAck.body()).containsExactly(0, 3, 0, 0x80, 0x80, 0x87, 0x01);
    }
  }

  @Test
  void unsubscribeDeletesOnlyASubscriptionWhoseFilterIsTheSameCharacterForCharacter_MQTT_3_10_4_1()
      throws Exception {
    RawMqtt5Client client = rawMqtt5("exact");
    client.send(subscribe(1, request("u/a", 1), request("u/+", 1), request("U/a", 1), request("u/a/#", 1)));
    client.read(PacketType.SUBACK);

    client.send(unsubscribe(2, "u/#", "u/A", "u/a/", "u/a ", "u/+"));
    UnsubAck unsubAck = (UnsubAck) client.read(PacketType.UNSUBACK);
    assertThat(unsubAck.reasonCodes()).containsExactly(ReasonCode.NO_SUBSCRIPTION_EXISTED,
        ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.NO_SUBSCRIPTION_EXISTED,
        ReasonCode.SUCCESS);
    assertThat(session("exact").subscriptions()).containsOnlyKeys("u/a", "U/a", "u/a/#");

    publish("u/b", 1, false, "only u/+ matched this");
    publish("u/a", 1, false, "still subscribed");
    Publish publish = (Publish) client.read(PacketType.PUBLISH);
    assertThat(payload(publish)).isEqualTo("still subscribed");
    client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    assertQuiet(client);
  }

  @Test
  void afterUnsubscribingNoNewMessagesAreSentForTheFilter_MQTT_3_10_4_2() throws Exception {
    RawMqtt5Client client = rawMqtt5("stop");
    client.send(subscribe(1, request("g/a", 1), request("g/b", 1)));
    client.read(PacketType.SUBACK);
    client.send(unsubscribe(2, "g/a"));
    client.read(PacketType.UNSUBACK);

    publish("g/a", 1, false, "gone");
    publish("g/b", 1, false, "still");
    Publish publish = (Publish) client.read(PacketType.PUBLISH);
    assertThat(payload(publish)).isEqualTo("still");
    client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    assertQuiet(client);
  }

  @Test
  void qos1AndQos2MessagesAlreadyOnTheirWayAreCompletedAfterUnsubscribing_MQTT_3_10_4_3() throws Exception {
    RawMqtt5Client client = rawMqtt5("finish", Properties.builder().receiveMaximum(2).build());
    client.subscribe(1, "f/#", 2);
    publish("f/1", 1, false, "one");
    publish("f/2", 2, false, "two");
    Publish one = (Publish) client.read(PacketType.PUBLISH);
    Publish two = (Publish) client.read(PacketType.PUBLISH);

    client.send(unsubscribe(2, "f/#"));
    assertThat(((UnsubAck) client.read(PacketType.UNSUBACK)).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
    client.send(new PubAck(one.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    client.send(new PubRec(two.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    PubRel rel = (PubRel) client.read(PacketType.PUBREL);
    assertThat(rel.packetId()).isEqualTo(two.packetId());
    assertThat(rel.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    client.send(new PubComp(two.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));

    await().until(() -> session("finish").inflightMessages() == 0);
    // the window is free again for another subscription
    client.subscribe(3, "other/#", 1);
    publish("other/x", 1, false, "next");
    assertThat(payload((Publish) client.read(PacketType.PUBLISH))).isEqualTo("next");
  }

  @Test
  void everyUnsubscribeIsAnsweredWithItsPacketIdentifierEvenWhenNothingWasDeleted_MQTT_3_10_4_4_MQTT_3_10_4_5_MQTT_2_2_1_6()
      throws Exception {
    RawMqtt5Client client = rawMqtt5("unsub-ids");
    client.subscribe(1, "present", 1);
    int[] ids = {5, 65_535, 2, 1};
    client.send(unsubscribe(ids[0], "never/subscribed"));
    client.send(unsubscribe(ids[1], "present"));
    client.send(unsubscribe(ids[2], "present")); // deleted already
    client.send(unsubscribe(ids[3], "a/+", "a/#"));

    List<UnsubAck> acks = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      acks.add((UnsubAck) client.read(PacketType.UNSUBACK));
    }
    assertThat(acks).extracting(UnsubAck::packetId).containsExactly(ids[0], ids[1], ids[2], ids[3]);
    assertThat(acks).extracting(UnsubAck::reasonCodes).containsExactly(
        List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), List.of(ReasonCode.SUCCESS),
        List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED),
        List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.NO_SUBSCRIPTION_EXISTED));
    assertQuiet(client);
  }

  @Test
  void anUnsubscribeWithSeveralFiltersIsHandledAsSeveralWithOneUnsuback_MQTT_3_10_4_6() throws Exception {
    RawMqtt5Client client = rawMqtt5("several");
    client.send(subscribe(1, request("s/a", 1), request("s/b", 1), request("s/c", 1)));
    client.read(PacketType.SUBACK);

    client.send(unsubscribe(2, "s/a", "s/x", "s/b"));
    UnsubAck ack = (UnsubAck) client.read(PacketType.UNSUBACK);
    assertThat(ack.packetId()).isEqualTo(2);
    assertThat(ack.reasonCodes()).containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED,
        ReasonCode.SUCCESS);
    client.send(PingReq.INSTANCE);
    assertThat(client.read().type()).as("one UNSUBACK, then the PINGRESP").isEqualTo(PacketType.PINGRESP);

    publish("s/a", 1, false, "a");
    publish("s/b", 1, false, "b");
    publish("s/c", 1, false, "c");
    Publish publish = (Publish) client.read(PacketType.PUBLISH);
    assertThat(payload(publish)).isEqualTo("c");
    client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    assertQuiet(client);
    assertThat(session("several").subscriptions()).containsOnlyKeys("s/c");
  }
}
