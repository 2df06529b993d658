package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.tern.broker.admin.SessionInfo;
import io.tern.broker.core.codec.Disconnect;
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
import io.tern.broker.message.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 QoS 1 and QoS 2 exchanges over a socket, in both directions: the packet identifiers and
 * DUP flags of what the broker sends, what it sends again when a session resumes (and only then),
 * how it answers a client's PUBLISH, PUBREL and repeated packet identifiers, Message Expiry once a
 * PUBLISH has gone out, what still flows while the client's Receive Maximum is used up, and the
 * order of messages.
 */
@Timeout(60)
class Mqtt5QosFlowTest extends Mqtt5BrokerTest {
  /** Long enough for a packet the broker should not send to have arrived. */
  private static final Duration QUIET = Duration.ofMillis(700);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String payload(Publish publish) {
    return new String(publish.payload(), StandardCharsets.UTF_8);
  }

  /** CONNECT properties of a session that outlives its connection, with this Receive Maximum. */
  private static Properties persistent(int receiveMaximum) {
    return Properties.builder().sessionExpiryInterval(300).receiveMaximum(receiveMaximum).build();
  }

  private static Properties receiveMaximum(int value) {
    return Properties.builder().receiveMaximum(value).build();
  }

  private RawMqtt5Client client(String clientId, boolean cleanStart, Properties properties) throws IOException {
    return rawMqtt5(RawMqtt5Client.connectPacket(clientId, cleanStart, 60, properties));
  }

  /** Connects again to a stored session, which must be there. */
  private RawMqtt5Client resume(String clientId, Properties properties) throws IOException {
    RawMqtt5Client client = track(new RawMqtt5Client(broker));
    assertThat(client.connect(RawMqtt5Client.connectPacket(clientId, false, 60, properties)).sessionPresent())
        .as("session present").isTrue();
    return client;
  }

  private void awaitDetached(String clientId) {
    await().untilAsserted(() -> assertThat(broker.admin().session(clientId).toCompletableFuture().join())
        .hasValueSatisfying(s -> assertThat(s.connected()).isFalse()));
  }

  /** Publishes each payload through a client of its own, completing each exchange. */
  private void publish(String topic, int qos, Properties properties, String... payloads) throws IOException {
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("publisher", true, 60, Properties.EMPTY))) {
      int id = 1;
      for (String payload : payloads) {
        publisher.publishAndComplete(new Publish(topic, qos, false, false, qos == 0 ? 0 : id++, utf8(payload),
            properties));
      }
    }
  }

  private void publish(String topic, int qos, String... payloads) throws IOException {
    publish(topic, qos, Properties.EMPTY, payloads);
  }

  private static Publish nextPublish(RawMqtt5Client client) throws IOException {
    return (Publish) client.read(PacketType.PUBLISH);
  }

  private static void assertQuiet(RawMqtt5Client client) throws IOException {
    Optional<Packet> extra = client.poll(QUIET);
    assertThat(extra).as("a packet the broker should not have sent").isEmpty();
  }

  /** Nothing is waiting to be sent: a PINGREQ is answered by the next packet. */
  private static void assertNothingPending(RawMqtt5Client client) throws IOException {
    client.send(PingReq.INSTANCE);
    assertThat(client.read().type()).as("the packet after PINGREQ").isEqualTo(PacketType.PINGRESP);
  }

  @Test
  void eachNewQos1OrQos2MessageGoesOutWithAnUnusedNonZeroIdAndDup0_MQTT_2_2_1_4_MQTT_4_3_2_1_MQTT_4_3_2_2_MQTT_4_3_3_1_MQTT_4_3_3_2()
      throws Exception {
    RawMqtt5Client client = client("ids", true, receiveMaximum(20));
    client.subscribe(1, "ids/#", 2);
    publish("ids/1", 1, "a1", "a2", "a3", "a4", "a5");
    publish("ids/2", 2, "b1", "b2", "b3", "b4", "b5");
    List<Publish> first = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      first.add(nextPublish(client));
    }
    assertThat(first).extracting(Publish::qos).containsExactly(1, 1, 1, 1, 1, 2, 2, 2, 2, 2);
    assertThat(first).extracting(Publish::dup).containsOnly(false);
    assertThat(first).extracting(Publish::packetId).doesNotContain(0).doesNotHaveDuplicates();

    // The QoS 1 exchanges end; the QoS 2 ones reach PUBREL, so their ids stay in use until PUBCOMP.
    Set<Integer> stillInUse = new HashSet<>();
    for (Publish publish : first) {
      if (publish.qos() == 1) {
        client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      } else {
        client.send(new PubRec(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        assertThat(((PubRel) client.read(PacketType.PUBREL)).packetId()).isEqualTo(publish.packetId());
        stillInUse.add(publish.packetId());
      }
    }
    publish("ids/3", 2, "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10");
    List<Publish> second = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      second.add(nextPublish(client));
    }
    assertThat(second).extracting(Publish::dup).containsOnly(false);
    assertThat(second).extracting(Publish::packetId).doesNotContain(0).doesNotHaveDuplicates()
        .doesNotContainAnyElementsOf(stillInUse);
  }

  @Test
  void anUnacknowledgedQos1MessageIsResentWithDupAndItsIdWhenTheSessionResumesAndOnlyThen_MQTT_4_3_2_3_MQTT_4_4_0_1_MQTT_3_3_1_1()
      throws Exception {
    int id;
    try (RawMqtt5Client client = client("resume-1", false, persistent(10))) {
      client.subscribe(1, "r1/#", 1);
      publish("r1/a", 1, "at least once");
      Publish sent = nextPublish(client);
      assertThat(sent.dup()).isFalse();
      id = sent.packetId();
      assertQuiet(client); // not sent again on the same connection
    } // gone without PUBACK
    awaitDetached("resume-1");

    try (RawMqtt5Client client = resume("resume-1", persistent(10))) {
      Publish again = nextPublish(client);
      assertThat(again.dup()).isTrue();
      assertThat(again.packetId()).isEqualTo(id);
      assertThat(again.qos()).isEqualTo(1);
      assertThat(payload(again)).isEqualTo("at least once");
      assertQuiet(client);
      client.send(new PubAck(id, ReasonCode.SUCCESS, Properties.EMPTY));
      assertNothingPending(client);
    }
    awaitDetached("resume-1");

    try (RawMqtt5Client client = resume("resume-1", persistent(10))) {
      assertNothingPending(client); // acknowledged: never sent again
    }
  }

  @Test
  void qos2IsResentAsPublishUntilPubrecAndThenAsPubrelUntilPubcomp_MQTT_4_3_3_3_MQTT_4_3_3_5_MQTT_4_3_3_6_MQTT_4_4_0_1()
      throws Exception {
    Publish released;
    Publish unreceived;
    try (RawMqtt5Client client = client("resume-2", false, persistent(10))) {
      client.subscribe(1, "r2/#", 2);
      publish("r2/a", 2, "released", "unreceived");
      released = nextPublish(client);
      unreceived = nextPublish(client);
      assertThat(List.of(payload(released), payload(unreceived))).containsExactly("released", "unreceived");
      client.send(new PubRec(released.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      assertThat(((PubRel) client.read(PacketType.PUBREL)).packetId()).isEqualTo(released.packetId());
      assertQuiet(client); // neither the PUBREL nor the other PUBLISH is sent again meanwhile
    } // gone without PUBCOMP or PUBREC
    awaitDetached("resume-2");

    try (RawMqtt5Client client = resume("resume-2", persistent(10))) {
      List<Packet> resent = List.of(client.read(), client.read());
      assertThat(resent).filteredOn(p -> p instanceof PubRel).singleElement()
          .satisfies(p -> assertThat(((PubRel) p).packetId()).isEqualTo(released.packetId()));
      assertThat(resent).filteredOn(p -> p instanceof Publish).singleElement().satisfies(p -> {
        Publish publish = (Publish) p;
        assertThat(publish.packetId()).isEqualTo(unreceived.packetId());
        assertThat(publish.dup()).isTrue();
        assertThat(publish.qos()).isEqualTo(2);
        assertThat(payload(publish)).isEqualTo("unreceived");
      });
      assertQuiet(client); // the released message's PUBLISH is never sent again [MQTT-4.3.3-6]

      client.send(new PubRec(unreceived.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      assertThat(((PubRel) client.read(PacketType.PUBREL)).packetId()).isEqualTo(unreceived.packetId());
      client.send(new PubComp(released.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      client.send(new PubComp(unreceived.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      assertNothingPending(client);
    }
    awaitDetached("resume-2");

    try (RawMqtt5Client client = resume("resume-2", persistent(10))) {
      assertNothingPending(client); // both exchanges are complete
    }
  }

  @Test
  void dupIsSetOnlyOnTheBrokersOwnResendsAndNeverOnQos0_MQTT_3_3_1_2_MQTT_3_3_1_3_MQTT_4_3_1_1() throws Exception {
    RawMqtt5Client subscriber = rawMqtt5("dup-sub");
    subscriber.subscribe(1, "dup/#", 2);
    RawMqtt5Client publisher = rawMqtt5("dup-pub");
    // The publisher marks its PUBLISH packets as resends; the broker's copies are first sends all the same.
    publisher.publishAndComplete(new Publish("dup/1", 1, false, true, 1, utf8("q1"), Properties.EMPTY));
    publisher.publishAndComplete(new Publish("dup/2", 2, false, true, 2, utf8("q2"), Properties.EMPTY));
    publisher.publishAndComplete(new Publish("dup/0", 0, false, false, 0, utf8("q0"), Properties.EMPTY));

    List<Publish> received = List.of(nextPublish(subscriber), nextPublish(subscriber), nextPublish(subscriber));
    assertThat(received).extracting(Mqtt5QosFlowTest::payload).containsExactly("q1", "q2", "q0");
    assertThat(received).extracting(Publish::qos).containsExactly(1, 2, 0);
    assertThat(received).extracting(Publish::dup).containsOnly(false);
    assertThat(received.get(2).packetId()).isZero(); // QoS 0 goes out without a packet identifier

    // A QoS 0 PUBLISH with DUP set is malformed.
    publisher.send(new Publish("dup/0", 0, false, true, 0, utf8("bad"), Properties.EMPTY));
    Disconnect disconnect = publisher.readDisconnect();
    assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(publisher.closedByBroker()).isTrue();
    subscriber.send(new PubAck(received.get(0).packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    subscriber.send(new PubRec(received.get(1).packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    subscriber.read(PacketType.PUBREL);
    assertQuiet(subscriber); // "bad" was not delivered
  }

  @Test
  void theBrokerAnswersEachPublishAndPubrelAsTheQosRequiresWithTheSameId_MQTT_3_3_4_1_MQTT_4_3_2_4_MQTT_4_3_3_8_MQTT_4_3_3_11_MQTT_2_2_1_5()
      throws Exception {
    HiveMq5 subscriber = hiveMq("answers-sub");
    subscriber.client.subscribeWith().topicFilter("answers/#").qos(MqttQos.EXACTLY_ONCE).send();
    RawMqtt5Client client = rawMqtt5("answers");
    int[] qos1Ids = {9, 3, 700, 1, 65_535};
    int[] qos2Ids = {10, 4, 701, 2, 65_534};
    for (int i = 0; i < qos1Ids.length; i++) {
      client.send(new Publish("answers/0", 0, false, false, 0, utf8("zero " + i), Properties.EMPTY));
      client.send(new Publish("answers/1", 1, false, false, qos1Ids[i], utf8("one " + i), Properties.EMPTY));
      client.send(new Publish("answers/2", 2, false, false, qos2Ids[i], utf8("two " + i), Properties.EMPTY));
    }
    // QoS 0 gets no answer, QoS 1 a PUBACK and QoS 2 a PUBREC, each with the PUBLISH's id.
    for (int i = 0; i < qos1Ids.length; i++) {
      PubAck ack = (PubAck) client.read(PacketType.PUBACK);
      assertThat(ack.packetId()).isEqualTo(qos1Ids[i]);
      assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      PubRec rec = (PubRec) client.read(PacketType.PUBREC);
      assertThat(rec.packetId()).isEqualTo(qos2Ids[i]);
      assertThat(rec.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }
    for (int i = qos2Ids.length - 1; i >= 0; i--) {
      client.send(new PubRel(qos2Ids[i], ReasonCode.SUCCESS, Properties.EMPTY));
    }
    for (int i = qos2Ids.length - 1; i >= 0; i--) {
      PubComp comp = (PubComp) client.read(PacketType.PUBCOMP);
      assertThat(comp.packetId()).isEqualTo(qos2Ids[i]);
      assertThat(comp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }
    assertNothingPending(client);
    await().until(() -> subscriber.received.size() == 15);
    assertThat(subscriber.payloads()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 5).boxed()
        .flatMap(i -> Stream.of("zero " + i, "one " + i, "two " + i)).toList());
  }

  @Test
  void afterItsPubackAPacketIdentifierStartsANewMessageWhateverItsDup_MQTT_4_3_2_5() throws Exception {
    HiveMq5 subscriber = hiveMq("again-sub");
    subscriber.client.subscribeWith().topicFilter("again/#").qos(MqttQos.AT_LEAST_ONCE).send();
    RawMqtt5Client publisher = rawMqtt5("again-pub");

    publisher.publishAndComplete(new Publish("again/1", 1, false, false, 5, utf8("first"), Properties.EMPTY));
    publisher.publishAndComplete(new Publish("again/1", 1, false, true, 5, utf8("first"), Properties.EMPTY));
    publisher.publishAndComplete(new Publish("again/1", 1, false, false, 5, utf8("second"), Properties.EMPTY));

    await().until(() -> subscriber.received.size() == 3);
    assertThat(subscriber.payloads()).containsExactly("first", "first", "second");
  }

  @Test
  void afterItsPubcompAPacketIdentifierStartsANewMessage_MQTT_4_3_3_12() throws Exception {
    HiveMq5 subscriber = hiveMq("again2-sub");
    subscriber.client.subscribeWith().topicFilter("again2/#").qos(MqttQos.EXACTLY_ONCE).send();
    RawMqtt5Client publisher = rawMqtt5("again2-pub");

    publisher.publishAndComplete(new Publish("again2/1", 2, false, false, 5, utf8("first"), Properties.EMPTY));
    publisher.publishAndComplete(new Publish("again2/1", 2, false, true, 5, utf8("first"), Properties.EMPTY));
    publisher.publishAndComplete(new Publish("again2/1", 2, false, false, 5, utf8("second"), Properties.EMPTY));

    await().until(() -> subscriber.received.size() == 3);
    assertThat(subscriber.payloads()).containsExactly("first", "first", "second");
  }

  @Test
  void aQos2MessageAlreadySentIsResentAfterItsExpiryWhileAQueuedOneIsDropped_MQTT_4_3_3_7() throws Exception {
    Properties oneSecond = Properties.builder().messageExpiryInterval(1).build();
    long published;
    Publish sent;
    try (RawMqtt5Client client = client("expiring", false, persistent(1))) {
      client.subscribe(1, "exp/#", 2);
      published = System.nanoTime();
      publish("exp/a", 2, oneSecond, "sent", "queued");
      publish("exp/a", 2, "lasting");
      sent = nextPublish(client); // the window of one holds the other two back
      assertThat(payload(sent)).isEqualTo("sent");
    } // gone without PUBREC
    awaitDetached("expiring");
    Mqtt5PublishPropertiesTest.waitPast(published, Duration.ofMillis(1500));
    long droppedBefore = broker.admin().metrics().droppedExpired();

    try (RawMqtt5Client client = resume("expiring", persistent(1))) {
      Publish again = nextPublish(client);
      assertThat(payload(again)).isEqualTo("sent");
      assertThat(again.packetId()).isEqualTo(sent.packetId());
      assertThat(again.dup()).isTrue();
      client.send(new PubRec(again.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      PubRel rel = (PubRel) client.read(PacketType.PUBREL);
      assertThat(rel.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      client.send(new PubComp(again.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));

      // "queued" expired before it was ever sent: dropped, so "lasting" comes next
      Publish next = nextPublish(client);
      assertThat(payload(next)).isEqualTo("lasting");
      assertThat(broker.admin().metrics().droppedExpired() - droppedBefore).isEqualTo(1);
    }
  }

  @Test
  void theQos2ExchangesCompleteEvenOnceTheMessageHasExpired_MQTT_4_3_3_13() throws Exception {
    RawMqtt5Client subscriber = rawMqtt5("late-sub");
    subscriber.subscribe(1, "late/#", 2);
    RawMqtt5Client publisher = rawMqtt5("late-pub");
    Properties oneSecond = Properties.builder().messageExpiryInterval(1).build();

    publisher.send(new Publish("late/a", 2, false, false, 7, utf8("brief"), oneSecond));
    PubRec rec = (PubRec) publisher.read(PacketType.PUBREC);
    long received = System.nanoTime();
    assertThat(rec.packetId()).isEqualTo(7);
    Publish delivered = nextPublish(subscriber);
    assertThat(payload(delivered)).isEqualTo("brief");
    Mqtt5PublishPropertiesTest.waitPast(received, Duration.ofMillis(1500));

    // as receiver: the late PUBREL is completed, not refused as unknown (0x92)
    publisher.send(new PubRel(7, ReasonCode.SUCCESS, Properties.EMPTY));
    PubComp comp = (PubComp) publisher.read(PacketType.PUBCOMP);
    assertThat(comp.packetId()).isEqualTo(7);
    assertThat(comp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    // as sender: the late PUBREC is answered with PUBREL as usual
    subscriber.send(new PubRec(delivered.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    PubRel rel = (PubRel) subscriber.read(PacketType.PUBREL);
    assertThat(rel.packetId()).isEqualTo(delivered.packetId());
    assertThat(rel.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    subscriber.send(new PubComp(delivered.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    assertNothingPending(subscriber);
  }

  @Test
  void withItsSendQuotaUsedUpTheBrokerStillSendsAndAnswersOtherPackets_MQTT_3_3_4_10_MQTT_4_9_0_3() throws Exception {
    RawMqtt5Client client = rawMqtt5("quota", receiveMaximum(1));
    client.subscribe(1, "quota/q2", 2);
    client.subscribe(2, "quota/q0", 0);
    publish("quota/q2", 2, "held", "waiting");
    Publish held = nextPublish(client); // the quota starts above 0 [MQTT-4.9.0-1]
    assertThat(payload(held)).isEqualTo("held");
    assertQuiet(client); // and is now 0 [MQTT-4.9.0-2]

    // A PUBREL is no PUBLISH: it goes out though the QoS 2 message keeps its place until PUBCOMP.
    client.send(new PubRec(held.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    assertThat(((PubRel) client.read(PacketType.PUBREL)).packetId()).isEqualTo(held.packetId());
    assertNothingPending(client);
    client.send(new Subscribe(3, List.of(new Subscribe.Request("quota/other", 1)), Properties.EMPTY));
    assertThat(((SubAck) client.read(PacketType.SUBACK)).packetId()).isEqualTo(3);
    client.send(new Unsubscribe(4, List.of("quota/other"), Properties.EMPTY));
    assertThat(((UnsubAck) client.read(PacketType.UNSUBACK)).packetId()).isEqualTo(4);
    publish("quota/q0", 0, "qos 0 is not counted");
    Publish qos0 = nextPublish(client);
    assertThat(payload(qos0)).isEqualTo("qos 0 is not counted");
    client.send(new Publish("quota/nobody", 1, false, false, 10, utf8("x"), Properties.EMPTY));
    assertThat(((PubAck) client.read(PacketType.PUBACK)).packetId()).isEqualTo(10);
    client.publishAndComplete(new Publish("quota/nobody", 2, false, false, 11, utf8("y"), Properties.EMPTY));
    assertQuiet(client); // "waiting" is still held back

    client.send(new PubComp(held.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    assertThat(payload(nextPublish(client))).isEqualTo("waiting");
  }

  @Test
  void aMessageIsAddedToTheSessionOfEveryClientWithAMatchingSubscription_MQTT_4_5_0_1() throws Exception {
    HiveMq5 hive = hiveMq("every-hive");
    hive.client.subscribeWith().topicFilter("every/+").qos(MqttQos.AT_LEAST_ONCE).send();
    PahoV5 paho = pahoV5("every-paho");
    paho.client.subscribe("every/#", 2);
    try (RawMqtt5Client offline = client("every-offline", false, persistent(10))) {
      offline.subscribe(1, "every/a", 1);
    }
    awaitDetached("every-offline");
    RawMqtt5Client unrelated = rawMqtt5("every-unrelated");
    unrelated.subscribe(1, "elsewhere/#", 1);

    publish("every/a", 1, "for everyone");

    await().untilAsserted(() -> {
      assertThat(hive.payloads()).containsExactly("for everyone");
      assertThat(paho.payloads()).containsExactly("for everyone");
      assertThat(broker.admin().session("every-offline").toCompletableFuture().join())
          .map(SessionInfo::queuedMessages).contains(1);
    });
    try (RawMqtt5Client offline = resume("every-offline", persistent(10))) {
      assertThat(payload(nextPublish(offline))).isEqualTo("for everyone");
    }
    assertQuiet(unrelated);
  }

  @Test
  void messagesFromOnePublisherReachEachSubscriberInTheOrderSent_MQTT_4_6_0_5() throws Exception {
    HiveMq5 hive = hiveMq("order-hive");
    hive.client.subscribeWith().topicFilter("ordered/#").qos(MqttQos.AT_LEAST_ONCE).send();
    PahoV5 paho = pahoV5("order-paho");
    paho.client.subscribe("ordered/#", 1);
    RawMqtt5Client narrow = rawMqtt5("order-narrow", receiveMaximum(3));
    narrow.subscribe(1, "ordered/#", 1);
    RawMqtt5Client publisher = rawMqtt5("order-pub");
    List<String> sent = IntStream.rangeClosed(1, 300).mapToObj(i -> "m" + i).toList();

    // pipelined: every PUBLISH first, the PUBACKs afterwards
    for (int i = 0; i < sent.size(); i++) {
      publisher.send(new Publish("ordered/t", 1, false, false, i + 1, utf8(sent.get(i)), Properties.EMPTY));
    }
    List<String> narrowReceived = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      Publish publish = nextPublish(narrow);
      narrowReceived.add(payload(publish));
      narrow.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    }
    for (int i = 0; i < sent.size(); i++) {
      publisher.read(PacketType.PUBACK);
    }

    assertThat(narrowReceived).containsExactlyElementsOf(sent);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(hive.payloads()).containsExactlyElementsOf(sent);
      assertThat(paho.payloads()).containsExactlyElementsOf(sent);
    });
  }
}
