package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.tern.broker.Broker;
import io.tern.broker.SharedSubscriptionStrategy;
import io.tern.broker.admin.SessionInfo;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.core.store.memory.MemorySessionStore;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AccessDecision;
import io.tern.broker.spi.auth.Authorizer;
import io.tern.broker.spi.store.SessionStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared subscriptions, {@code $share/{ShareName}/{filter}} (MQTT 5.0 section 4.8.2), with MQTT 5
 * and MQTT 3.1.1 members on both of the test broker's loops.
 */
@Timeout(60)
class SharedSubscriptionTest extends BrokerTest {
  private static final String WORKERS = "$share/workers/jobs/+";

  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  private Paho publisher;

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable client : closeAfter) {
      client.close();
    }
  }

  /** A Paho MQTT 5 client that records the payloads it receives, closed after the test. */
  private final class V5Member implements AutoCloseable {
    final MqttClient client;
    final List<String> payloads = new CopyOnWriteArrayList<>();
    final List<MqttMessage> messages = new CopyOnWriteArrayList<>();

    V5Member(String clientId) throws MqttException {
      client = new MqttClient(TestBrokers.uri(broker), clientId, new MemoryPersistence());
      client.setCallback(new MqttCallback() {
        @Override
        public void disconnected(MqttDisconnectResponse response) {}

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void messageArrived(String topic, MqttMessage message) {
          messages.add(message);
          payloads.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
      });
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setAutomaticReconnect(false);
      options.setConnectionTimeout(5);
      client.connect(options);
      closeAfter.add(this);
    }

    /** Subscribes and returns the SUBACK's reason codes. */
    int[] subscribe(String filter, int qos) throws MqttException {
      return client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}).getReasonCodes();
    }

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
  }

  /** A HiveMQ MQTT 5 client subscribed to a filter, recording the payloads it receives. */
  private List<String> hiveMember(String clientId, String filter) throws Exception {
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    client.connect();
    closeAfter.add(client::disconnect);
    List<String> payloads = new CopyOnWriteArrayList<>();
    client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
        .callback(publish -> payloads.add(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)))
        .send().get(10, TimeUnit.SECONDS);
    return payloads;
  }

  private Paho pahoMember(String clientId, String filter) throws Exception {
    Paho member = connectPaho(clientId);
    member.client.subscribe(filter, 1);
    return member;
  }

  private static List<String> payloads(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  private void publishAll(List<String> payloads, int qos) throws Exception {
    if (publisher == null) {
      publisher = connectPaho("publisher");
    }
    for (String payload : payloads) {
      publisher.publish("jobs/1", payload, qos, false);
    }
  }

  @SafeVarargs
  private static List<String> union(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return all;
  }

  private static SubAck subscribe5(RawMqtt5Client client, Properties properties, Subscribe.Request... requests)
      throws Exception {
    client.send(new Subscribe(1, List.of(requests), properties));
    return (SubAck) client.read(PacketType.SUBACK);
  }

  private RawMqtt5Client raw5(String clientId, Properties connectProperties) throws Exception {
    RawMqtt5Client client = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket(clientId, true, 30, connectProperties));
    closeAfter.add(client);
    return client;
  }

  private static Publish readPublish(RawMqtt5Client client) throws Exception {
    return (Publish) client.read(PacketType.PUBLISH);
  }

  private static String payload(Publish publish) {
    return new String(publish.payload(), StandardCharsets.UTF_8);
  }

  private RawClient raw311(String clientId, boolean cleanSession) throws Exception {
    RawClient client = new RawClient(broker);
    closeAfter.add(client);
    client.connect(clientId, cleanSession);
    return client;
  }

  /** Subscribes a 3.1.1 raw client and returns its SUBACK return code. */
  private static int subscribe311(RawClient client, String filter, int qos) throws Exception {
    client.send(RawClient.subscribePacket(1, filter, qos));
    RawClient.Frame suback = client.read();
    assertThat(suback.type()).isEqualTo(9);
    return suback.body()[2] & 0xFF;
  }

  private static RawClient.Frame readPublish(RawClient client) throws Exception {
    RawClient.Frame frame = client.read();
    assertThat(frame.type()).as("packet type of %s", frame).isEqualTo(3);
    return frame;
  }

  private int queuedFor(String clientId) {
    return broker.admin().session(clientId).toCompletableFuture().join()
        .map(SessionInfo::queuedMessages).orElse(-1);
  }

  @Test
  void connAckSaysSharedSubscriptionsAreAvailable() throws Exception {
    RawMqtt5Client raw = new RawMqtt5Client(broker);
    closeAfter.add(raw);
    ConnAck connAck = raw.connect(RawMqtt5Client.connectPacket("raw", true, 30, Properties.EMPTY));
    Mqtt5BlockingClient hive = Mqtt5Client.builder().identifier("hive").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    Mqtt5ConnAck hiveConnAck = hive.connect();
    hive.disconnect();

    // Said outright, rather than left to the default of an absent property.
    assertThat(connAck.properties().sharedSubscriptionAvailable()).isTrue();
    assertThat(hiveConnAck.getRestrictions().isSharedSubscriptionAvailable()).isTrue();
  }

  @Test
  void eachMessageGoesToOneMemberInTurnWhileOtherSubscriptionsEachGetACopy_MQTT_4_8_2_3() throws Exception {
    V5Member paho = new V5Member("paho-v5-member");
    assertThat(paho.subscribe(WORKERS, 1)).containsExactly(1);
    List<String> hive = hiveMember("hive-member", WORKERS);
    Paho auditor = pahoMember("auditor", "$share/auditors/jobs/#");
    Paho watcher = pahoMember("watcher", "jobs/#");
    List<String> sent = payloads("job-", 20);

    publishAll(sent, 1);

    await().untilAsserted(() -> assertThat(watcher.payloads()).containsExactlyElementsOf(sent));
    await().untilAsserted(() -> assertThat(auditor.payloads()).containsExactlyElementsOf(sent));
    await().untilAsserted(() -> assertThat(union(paho.payloads, hive)).containsExactlyInAnyOrderElementsOf(sent));
    // Round robin: with both members connected, they take turns.
    assertThat(paho.payloads).hasSize(10);
    assertThat(hive).hasSize(10);
    assertThat(paho.messages).allSatisfy(message -> assertThat(message.getQos()).isEqualTo(1));
  }

  @Test
  void mqtt311AndMqtt5ClientsShareOneGroup() throws Exception {
    Paho v3 = pahoMember("paho-v3-member", WORKERS);
    V5Member v5 = new V5Member("paho-v5-member");
    v5.subscribe(WORKERS, 2);
    List<String> sent = payloads("job-", 10);

    publishAll(sent, 2);

    await().untilAsserted(() -> assertThat(union(v3.payloads(), v5.payloads))
        .containsExactlyInAnyOrderElementsOf(sent));
    assertThat(v3.payloads()).hasSize(5);
    assertThat(v5.payloads).hasSize(5);
    // Each at its own granted QoS [MQTT-4.8.2-3].
    assertThat(v3.received).allSatisfy(received -> assertThat(received.qos()).isEqualTo(1));
    assertThat(v5.messages).allSatisfy(message -> assertThat(message.getQos()).isEqualTo(2));
  }

  @Test
  void aNewSharedSubscriptionIsSentNoRetainedMessages() throws Exception {
    connectPaho("retainer").publish("jobs/1", "retained", 1, true);
    await().until(() -> broker.admin().retainedMessages().size() == 1);
    V5Member member = new V5Member("member");
    member.subscribe(WORKERS, 1);
    Paho ordinary = pahoMember("ordinary", "jobs/+");
    await().untilAsserted(() -> assertThat(ordinary.payloads()).containsExactly("retained"));

    publishAll(List.of("live"), 1);

    await().untilAsserted(() -> assertThat(ordinary.payloads()).containsExactly("retained", "live"));
    await().untilAsserted(() -> assertThat(member.payloads).containsExactly("live"));
  }

  @Test
  void retainAsPublishedAndSubscriptionIdentifiersApplyToASharedSubscription() throws Exception {
    RawMqtt5Client member = raw5("member", Properties.EMPTY);
    SubAck shared = subscribe5(member, Properties.builder().subscriptionIdentifier(7).build(),
        new Subscribe.Request(WORKERS, 1, false, true, Subscribe.SEND_RETAINED));
    SubAck own = subscribe5(member, Properties.builder().subscriptionIdentifier(8).build(),
        new Subscribe.Request("jobs/1", 1));
    assertThat(shared.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);
    assertThat(own.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);

    connectPaho("retainer").publish("jobs/1", "flagged", 1, true);

    // Two copies: one for the shared subscription and one for the client's own.
    Publish first = readPublish(member);
    Publish second = readPublish(member);
    Map<Integer, Publish> byIdentifier = Map.of(
        first.properties().subscriptionIdentifiers().get(0), first,
        second.properties().subscriptionIdentifiers().get(0), second);
    assertThat(byIdentifier).containsOnlyKeys(7, 8);
    assertThat(byIdentifier.get(7).retain()).as("Retain As Published on the shared subscription").isTrue();
    assertThat(byIdentifier.get(8).retain()).isFalse();
    assertThat(first.properties().subscriptionIdentifiers()).hasSize(1);
    assertThat(second.properties().subscriptionIdentifiers()).hasSize(1);
  }

  @Test
  void aShareNameThatIsEmptyHoldsAWildcardOrHasNoFilterAfterItIsRefusedWith0x8F_MQTT_4_8_2_1_MQTT_4_8_2_2()
      throws Exception {
    RawMqtt5Client client = raw5("client", Properties.EMPTY);

    SubAck subAck = subscribe5(client, Properties.EMPTY,
        new Subscribe.Request("$share//jobs", 1),
        new Subscribe.Request("$share/workers", 1),
        new Subscribe.Request("$share/workers/", 1),
        new Subscribe.Request("$share/+/jobs", 1),
        new Subscribe.Request("$share/#", 1),
        new Subscribe.Request("$share/workers/jobs", 1));

    assertThat(subAck.reasonCodes()).containsExactly(ReasonCode.TOPIC_FILTER_INVALID,
        ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.TOPIC_FILTER_INVALID,
        ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.GRANTED_QOS_1);
  }

  @Test
  void anInvalidShareNameIsAFailureForAnMqtt311Client_MQTT_4_8_2_2() throws Exception {
    RawClient client = raw311("client", true);

    client.send(ConnectPackets.subscribe(1, "$share//jobs", 1, "$share/workers", 1, "$share/+/jobs", 1, WORKERS, 1));

    RawClient.Frame subAck = client.read();
    assertThat(subAck.body()).isEqualTo(ConnectPackets.subackBody(1, 0x80, 0x80, 0x80, 1));
  }

  @Test
  void aWildcardInsideTheShareNamesLevelIsAMalformedFilter_MQTT_4_7_1_2() throws Exception {
    RawMqtt5Client client = raw5("client", Properties.EMPTY);

    client.send(new Subscribe(1, List.of(new Subscribe.Request("$share/a+b/jobs", 1))));

    assertThat(client.read()).isEqualTo(new Disconnect(ReasonCode.MALFORMED_PACKET, Properties.EMPTY));
    assertThat(client.closedByBroker()).isTrue();
  }

  @Test
  void noLocalOnASharedSubscriptionIsAProtocolError_MQTT_3_8_3_4() throws Exception {
    RawMqtt5Client client = raw5("client", Properties.EMPTY);

    client.send(new Subscribe(1, List.of(new Subscribe.Request(WORKERS, 1, true, false, Subscribe.SEND_RETAINED))));

    assertThat(client.read()).isEqualTo(new Disconnect(ReasonCode.PROTOCOL_ERROR, Properties.EMPTY));
    assertThat(client.closedByBroker()).isTrue();
  }

  @Test
  void unacknowledgedAndQueuedMessagesGoToAnotherMemberWhenTheirMemberDisconnects() throws Exception {
    // Receive Maximum 1: one message in flight, the others queued behind it.
    RawMqtt5Client withholding = raw5("withholding", Properties.builder().receiveMaximum(1).build());
    assertThat(subscribe5(withholding, Properties.EMPTY, new Subscribe.Request(WORKERS, 1)).reasonCodes())
        .containsExactly(ReasonCode.GRANTED_QOS_1);
    List<String> sent = payloads("job-", 4);
    publishAll(sent, 1);
    assertThat(payload(readPublish(withholding))).isEqualTo("job-0");
    await().until(() -> queuedFor("withholding") == 3);
    V5Member other = new V5Member("other");
    other.subscribe(WORKERS, 1);

    withholding.close(); // without a PUBACK

    await().untilAsserted(() -> assertThat(other.payloads).containsExactlyInAnyOrderElementsOf(sent));
    assertThat(other.messages).allSatisfy(message -> assertThat(message.isDuplicate()).isFalse());
  }

  @Test
  void aQos2MessageAlreadySentStaysWithItsMemberWhileAQos1OneMoves_MQTT_4_8_2_4() throws Exception {
    RawClient first = raw311("first", false);
    assertThat(subscribe311(first, WORKERS, 2)).isEqualTo(2);
    publishAll(List.of("exactly-once"), 2);
    publishAll(List.of("at-least-once"), 1);
    assertThat(readPublish(first).payload()).isEqualTo("exactly-once");
    assertThat(readPublish(first).payload()).isEqualTo("at-least-once");
    RawClient second = raw311("second", true);
    assertThat(subscribe311(second, WORKERS, 2)).isEqualTo(2);

    first.close(); // without PUBREC or PUBACK

    // Both would be handed over together, the QoS 2 one first: only the QoS 1 one comes.
    RawClient.Frame moved = readPublish(second);
    assertThat(moved.payload()).isEqualTo("at-least-once");
    second.send(new PubAck(moved.publishPacketId()));
    publishAll(List.of("marker"), 1);
    assertThat(readPublish(second).payload()).isEqualTo("marker");
    // The QoS 2 delivery completes with its own member when it returns.
    RawClient back = raw311("first", false);
    RawClient.Frame resent = readPublish(back);
    assertThat(resent.payload()).isEqualTo("exactly-once");
    assertThat(resent.qos()).isEqualTo(2);
    assertThat(resent.dup()).isTrue();
  }

  @Test
  void aQos2MessageSentToAMemberWhoseSessionEndsGoesToNoOtherMember_MQTT_4_8_2_5() throws Exception {
    RawMqtt5Client ending = raw5("ending", Properties.EMPTY); // Session Expiry 0: the session ends with the connection
    subscribe5(ending, Properties.EMPTY, new Subscribe.Request(WORKERS, 2));
    publishAll(List.of("exactly-once"), 2);
    publishAll(List.of("at-least-once"), 1);
    assertThat(payload(readPublish(ending))).isEqualTo("exactly-once");
    assertThat(payload(readPublish(ending))).isEqualTo("at-least-once");
    RawClient other = raw311("other", true);
    assertThat(subscribe311(other, WORKERS, 2)).isEqualTo(2);

    ending.close(); // without PUBREC or PUBACK

    // Both would be handed over together, the QoS 2 one first: only the QoS 1 one comes.
    RawClient.Frame moved = readPublish(other);
    assertThat(moved.payload()).isEqualTo("at-least-once");
    other.send(new PubAck(moved.publishPacketId()));
    publishAll(List.of("marker"), 1);
    assertThat(readPublish(other).payload()).isEqualTo("marker");
    await().until(() -> broker.admin().session("ending").toCompletableFuture().join().isEmpty());
  }

  @Test
  void aMessageRefusedWithAnErrorPubAckGoesToNoOtherMember_MQTT_4_8_2_6() throws Exception {
    RawMqtt5Client refusing = raw5("refusing", Properties.EMPTY);
    subscribe5(refusing, Properties.EMPTY, new Subscribe.Request(WORKERS, 1));
    publishAll(List.of("refused"), 1);
    Publish refused = readPublish(refusing);
    refusing.send(new PubAck(refused.packetId(), ReasonCode.UNSPECIFIED_ERROR, Properties.EMPTY));
    publishAll(List.of("accepted"), 1);
    Publish accepted = readPublish(refusing);
    V5Member other = new V5Member("other");
    other.subscribe(WORKERS, 1);

    refusing.close(); // "accepted" is unacknowledged and moves; "refused" was answered and is gone

    await().untilAsserted(() -> assertThat(other.payloads).containsExactly("accepted"));
    assertThat(payload(accepted)).isEqualTo("accepted");
    publishAll(List.of("marker"), 1);
    await().untilAsserted(() -> assertThat(other.payloads).containsExactly("accepted", "marker"));
  }

  @Test
  void anOfflinePersistentMemberReceivesOnlyWhenNoMemberIsConnected() throws Exception {
    Paho persistent = Paho.connect(broker, "persistent", Paho.options(false));
    persistent.client.subscribe(WORKERS, 1);
    persistent.close();
    Paho connected = Paho.connect(broker, "connected");
    connected.client.subscribe(WORKERS, 1);
    List<String> whileConnected = payloads("connected-", 4);
    publishAll(whileConnected, 1);
    await().untilAsserted(() -> assertThat(connected.payloads()).containsExactlyElementsOf(whileConnected));
    connected.close(); // a clean session: it leaves the group

    List<String> whileNoneConnected = payloads("queued-", 2);
    publishAll(whileNoneConnected, 1);
    await().until(() -> queuedFor("persistent") == 2);
    Paho back = Paho.connect(broker, "persistent", Paho.options(false));
    closeAfter.add(back);

    await().untilAsserted(() -> assertThat(back.payloads()).containsExactlyElementsOf(whileNoneConnected));
  }

  @Test
  void anUnsubscribedMemberGetsNoMore() throws Exception {
    Paho leaving = pahoMember("leaving", WORKERS);
    Paho staying = pahoMember("staying", WORKERS);

    leaving.client.unsubscribe(WORKERS);
    List<String> sent = payloads("job-", 6);
    publishAll(sent, 1);

    await().untilAsserted(() -> assertThat(staying.payloads()).containsExactlyElementsOf(sent));
    assertThat(leaving.payloads()).isEmpty();
  }

  @Test
  void aMemberWhoseSessionEndsHandsItsMessagesToAnother() throws Exception {
    RawMqtt5Client ending = raw5("ending", Properties.builder().receiveMaximum(1).build());
    subscribe5(ending, Properties.EMPTY, new Subscribe.Request(WORKERS, 1));
    publishAll(payloads("job-", 3), 1);
    readPublish(ending);
    await().until(() -> queuedFor("ending") == 2);
    Paho staying = pahoMember("staying", WORKERS);

    ending.send(new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY)); // Session Expiry 0: the session ends

    await().untilAsserted(() -> assertThat(staying.payloads()).containsExactlyInAnyOrder("job-0", "job-1", "job-2"));
    await().until(() -> broker.admin().session("ending").toCompletableFuture().join().isEmpty());
    publishAll(payloads("after-", 4), 1);
    await().untilAsserted(() -> assertThat(staying.payloads()).hasSize(7));
  }

  @Test
  void aRestoredPersistentSessionRejoinsItsGroup() throws Exception {
    SessionStore store = new MemorySessionStore();
    try (Broker first = TestBrokers.start(b -> b.sessionStore(store))) {
      Paho member = Paho.connect(first, "durable", Paho.options(false));
      member.client.subscribe(WORKERS, 1);
      member.close();
    }
    try (Broker second = TestBrokers.start(b -> b.sessionStore(store))) {
      try (Paho publisher = Paho.connect(second, "publisher")) {
        publisher.publish("jobs/1", "after restart", 1, false);
      }
      Paho member = Paho.create(second, "durable");
      member.client.connect(Paho.options(false));
      try (member) {
        await().untilAsserted(() -> assertThat(member.payloads()).containsExactly("after restart"));
      }
    }
  }

  @Test
  void theFilterAfterTheShareNameIsWhatIsAuthorized() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    Authorizer onlyJobs = new Authorizer() {
      @Override
      public AccessDecision checkPublish(ClientInfo client, String topic, QoS qos, boolean retain) {
        return AccessDecision.ALLOW;
      }

      @Override
      public AccessDecision checkSubscribe(ClientInfo client, String topicFilter, QoS qos) {
        asked.add(topicFilter);
        return topicFilter.startsWith("jobs/") ? AccessDecision.ALLOW : AccessDecision.DENY;
      }
    };
    try (Broker guarded = TestBrokers.start(b -> b.addAuthorizer(onlyJobs));
        RawMqtt5Client client = RawMqtt5Client.connected(guarded,
            RawMqtt5Client.connectPacket("client", true, 30, Properties.EMPTY))) {

      SubAck subAck = subscribe5(client, Properties.EMPTY, new Subscribe.Request(WORKERS, 1),
          new Subscribe.Request("$share/workers/secrets/+", 1));

      assertThat(subAck.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1, ReasonCode.NOT_AUTHORIZED);
      assertThat(asked).containsExactly("jobs/+", "secrets/+");
    }
  }

  @Test
  void stickyByPublisherKeepsEachPublishersMessagesInOrderAtOneMember() throws Exception {
    try (Broker sticky = TestBrokers.start(b -> b.sharedSubscriptionStrategy(
        SharedSubscriptionStrategy.STICKY_BY_PUBLISHER))) {
      List<Paho> members = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Paho member = Paho.connect(sticky, "member-" + i);
        closeAfter.add(member);
        member.client.subscribe(WORKERS, 1);
        members.add(member);
      }
      List<List<String>> sent = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        try (Paho publisher = Paho.connect(sticky, "publisher-" + p)) {
          sent.add(payloads("p" + p + "-", 10));
          for (String payload : sent.get(p)) {
            publisher.publish("jobs/1", payload, 1, false);
          }
        }
      }

      await().untilAsserted(() -> assertThat(members.stream().mapToInt(m -> m.payloads().size()).sum())
          .isEqualTo(40));
      for (List<String> fromOnePublisher : sent) {
        assertThat(members).filteredOn(m -> m.payloads().contains(fromOnePublisher.get(0))).singleElement()
            .satisfies(m -> assertThat(m.payloads()).containsSubsequence(fromOnePublisher)
                .containsAll(fromOnePublisher));
      }
    }
  }

  @Test
  void randomGivesEachMessageToExactlyOneMember() throws Exception {
    try (Broker random = TestBrokers.start(b -> b.sharedSubscriptionStrategy(SharedSubscriptionStrategy.RANDOM))) {
      Paho first = Paho.connect(random, "first");
      Paho second = Paho.connect(random, "second");
      closeAfter.add(first);
      closeAfter.add(second);
      first.client.subscribe(WORKERS, 1);
      second.client.subscribe(WORKERS, 1);
      List<String> sent = payloads("job-", 30);
      try (Paho publisher = Paho.connect(random, "publisher")) {
        for (String payload : sent) {
          publisher.publish("jobs/1", payload, 1, false);
        }
      }

      await().untilAsserted(() -> assertThat(union(first.payloads(), second.payloads()))
          .containsExactlyInAnyOrderElementsOf(sent));
    }
  }
}
