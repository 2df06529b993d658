package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 5 CONNECT and CONNACK: every CONNACK property says what the broker really does, and what
 * the broker changed of the client's request is told back.
 */
@Timeout(30)
class Mqtt5ConnectTest {
  private Broker broker;

  private Broker start(UnaryOperator<BrokerBuilder> settings) {
    broker = TestBrokers.start(settings);
    return broker;
  }

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private ConnAck connAck(String clientId, int keepAlive, Properties properties) throws Exception {
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      return client.connect(RawMqtt5Client.connectPacket(clientId, true, keepAlive, properties));
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void connAckAnnouncesTheBrokersCapabilitiesAndNothingItDidNotChange() throws Exception {
    start(b -> b.maxPacketSize(4096));
    ConnAck ack = connAck("plain", 30, Properties.EMPTY);
    assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    assertThat(ack.sessionPresent()).isFalse();
    Properties p = ack.properties();
    assertThat(p.maximumPacketSize()).isEqualTo(4096L);
    assertThat(p.retainAvailable()).isNotEqualTo(Boolean.FALSE);
    assertThat(p.wildcardSubscriptionAvailable()).isNotEqualTo(Boolean.FALSE);
    assertThat(p.subscriptionIdentifierAvailable()).isNotEqualTo(Boolean.FALSE);
    assertThat(p.topicAliasMaximum()).isEqualTo(16);
    // defaults that need no saying, and answers to questions not asked
    assertThat(p.receiveMaximum()).isNull();
    assertThat(p.maximumQos()).isNull();
    assertThat(p.sessionExpiryInterval()).isNull();
    assertThat(p.serverKeepAlive()).isNull();
    assertThat(p.assignedClientIdentifier()).isNull();
    assertThat(p.responseInformation()).isNull();
  }

  @Test
  void hiveMqReadsTheConfiguredRestrictions() {
    start(b -> b.maxPacketSize(4096).receiveMaximum(7).maxQos(QoS.AT_LEAST_ONCE).topicAliasMaximum(5));
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("restricted").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    Mqtt5ConnAck ack = client.connect();
    try {
      Mqtt5ConnAckRestrictions restrictions = ack.getRestrictions();
      assertThat(restrictions.getMaximumPacketSize()).isEqualTo(4096);
      assertThat(restrictions.getReceiveMaximum()).isEqualTo(7);
      assertThat(restrictions.getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(restrictions.getTopicAliasMaximum()).isEqualTo(5);
      assertThat(restrictions.isRetainAvailable()).isTrue();
      assertThat(restrictions.isWildcardSubscriptionAvailable()).isTrue();
      assertThat(restrictions.areSubscriptionIdentifiersAvailable()).isTrue();
    } finally {
      client.disconnect();
    }
  }

  @Test
  void receiveMaximumIsAnnouncedWhenBelowTheDefault() throws Exception {
    start(b -> b.receiveMaximum(10));
    assertThat(connAck("limited", 30, Properties.EMPTY).properties().receiveMaximum()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void maximumQosIsAnnouncedWhenQos2IsNotSupported_MQTT_3_2_2_9(int maxQos) throws Exception {
    start(b -> b.maxQos(QoS.of(maxQos)));
    assertThat(connAck("qos-limited", 30, Properties.EMPTY).properties().maximumQos()).isEqualTo(maxQos);
  }

  @Test
  void subscriptionsAskingMoreThanMaximumQosAreAcceptedAndGrantedTheMaximum_MQTT_3_2_2_10() throws Exception {
    start(b -> b.maxQos(QoS.AT_LEAST_ONCE));
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("sub-qos2", true, 30, Properties.EMPTY))) {
      client.send(new Subscribe(1, List.of(new Subscribe.Request("a/#", 2)), Properties.EMPTY));
      assertThat(((SubAck) client.read(PacketType.SUBACK)).returnCodes()).containsExactly(1);
    }
  }

  @Test
  void publishAboveTheAnnouncedMaximumQosIsDisconnectedWith0x9B() throws Exception {
    start(b -> b.maxQos(QoS.AT_LEAST_ONCE));
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("too-high", true, 30, Properties.EMPTY))) {
      client.send(new Publish("a/b", 2, false, false, 1, utf8("x"), Properties.EMPTY));
      assertThat(client.readDisconnect().reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED);
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void willQosAboveMaximumQosIsRefusedWith0x9B_MQTT_3_2_2_12(int maxQos) throws Exception {
    start(b -> b.maxQos(QoS.of(maxQos)));
    Connect.Will will = new Connect.Will("wills/high", utf8("gone"), maxQos + 1, false, Properties.EMPTY);
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(RawMqtt5Client.connectPacket("high-will", true, 30, Properties.EMPTY, will));
      assertThat(ack.reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED);
      assertThat(ack.sessionPresent()).isFalse();
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void willQosAtMaximumQosIsAccepted() throws Exception {
    start(b -> b.maxQos(QoS.AT_LEAST_ONCE));
    Connect.Will will = new Connect.Will("wills/ok", utf8("gone"), 1, false, Properties.EMPTY);
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(RawMqtt5Client.connectPacket("ok-will", true, 30, Properties.EMPTY, will));
      assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }
  }

  @Test
  void topicAliasMaximumIsTheLimitTheBrokerEnforces() throws Exception {
    start(b -> b.topicAliasMaximum(3));
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(RawMqtt5Client.connectPacket("aliaser", true, 30, Properties.EMPTY));
      assertThat(ack.properties().topicAliasMaximum()).isEqualTo(3);
      client.send(new Publish("a/b", 1, false, false, 1, utf8("x"),
          Properties.builder().topicAlias(3).build()));
      assertThat(client.read(PacketType.PUBACK)).isNotNull();
      client.send(new Publish("a/b", 1, false, false, 2, utf8("x"),
          Properties.builder().topicAlias(4).build()));
      assertThat(client.readDisconnect().reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
    }
  }

  @Test
  void noTopicAliasMaximumIsAnnouncedWhenAliasesAreOff() throws Exception {
    start(b -> b.topicAliasMaximum(0));
    assertThat(connAck("no-aliases", 30, Properties.EMPTY).properties().topicAliasMaximum()).isNull();
  }

  @Test
  void sharedSubscriptionAvailableSaysWhatSubscribeDoes() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(RawMqtt5Client.connectPacket("sharer", true, 30, Properties.EMPTY));
      boolean available = !Boolean.FALSE.equals(ack.properties().sharedSubscriptionAvailable());
      client.send(new Subscribe(1, List.of(new Subscribe.Request("$share/group/a/b", 1)), Properties.EMPTY));
      int code = ((SubAck) client.read(PacketType.SUBACK)).returnCodes()[0] & 0xFF;
      if (available) {
        assertThat(code).isLessThan(0x80);
      } else {
        assertThat(code).isEqualTo(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED.value());
      }
    }
  }

  @Test
  void wildcardsAndSubscriptionIdentifiersWorkAsAnnounced() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("wild", true, 30, Properties.EMPTY))) {
      client.send(new Subscribe(1, List.of(new Subscribe.Request("w/+/#", 1)),
          Properties.builder().subscriptionIdentifier(42).build()));
      assertThat(((SubAck) client.read(PacketType.SUBACK)).returnCodes()).containsExactly(1);
      client.send(new Publish("w/x/y", 0, false, false, 0, utf8("hit"), Properties.EMPTY));
      Publish delivered = (Publish) client.read(PacketType.PUBLISH);
      assertThat(delivered.topic()).isEqualTo("w/x/y");
      assertThat(delivered.properties().subscriptionIdentifiers()).containsExactly(42);
    }
  }

  @Test
  void retainAvailableMeansRetainedMessagesAreKept() throws Exception {
    start(b -> b);
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("retainer", true, 30, Properties.EMPTY))) {
      publisher.send(new Publish("r/state", 1, true, false, 1, utf8("kept"), Properties.EMPTY));
      publisher.read(PacketType.PUBACK);
    }
    try (RawMqtt5Client late = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("late", true, 30, Properties.EMPTY))) {
      late.subscribe(1, "r/#", 1);
      Publish retained = (Publish) late.read(PacketType.PUBLISH);
      assertThat(retained.retain()).isTrue();
      assertThat(new String(retained.payload(), StandardCharsets.UTF_8)).isEqualTo("kept");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void emptyClientIdGetsAnAssignedClientIdentifier_MQTT_3_1_3_6_MQTT_3_1_3_7_MQTT_3_2_2_16(boolean cleanStart)
      throws Exception {
    start(b -> b);
    Connect connect = RawMqtt5Client.connectPacket("", cleanStart, 30, Properties.EMPTY);
    try (RawMqtt5Client first = new RawMqtt5Client(broker); RawMqtt5Client second = new RawMqtt5Client(broker)) {
      String one = first.connect(connect).properties().assignedClientIdentifier();
      String two = second.connect(connect).properties().assignedClientIdentifier();
      assertThat(one).isNotBlank();
      assertThat(two).isNotBlank().isNotEqualTo(one);
      // and the broker treats the connection as that client: its session is listed under the id
      await().untilAsserted(() -> assertThat(broker.admin().session(one).toCompletableFuture().join())
          .hasValueSatisfying(session -> assertThat(session.connected()).isTrue()));
    }
  }

  @Test
  void anAssignedClientIdentifierNamesAResumableSession() throws Exception {
    start(b -> b);
    Properties expiry = Properties.builder().sessionExpiryInterval(60).build();
    String assigned;
    try (RawMqtt5Client first = new RawMqtt5Client(broker)) {
      ConnAck ack = first.connect(RawMqtt5Client.connectPacket("", false, 30, expiry));
      assertThat(ack.sessionPresent()).isFalse();
      assigned = ack.properties().assignedClientIdentifier();
      first.send(new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY));
    }
    try (RawMqtt5Client again = new RawMqtt5Client(broker)) {
      ConnAck ack = again.connect(RawMqtt5Client.connectPacket(assigned, false, 30, expiry));
      assertThat(ack.sessionPresent()).isTrue();
      assertThat(ack.properties().assignedClientIdentifier()).isNull();
    }
  }

  @Test
  void hiveMqWithoutIdentifierLearnsTheAssignedOne() {
    start(b -> b);
    Mqtt5BlockingClient client = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(broker.port())
        .buildBlocking();
    Mqtt5ConnAck ack = client.connect();
    try {
      assertThat(ack.getAssignedClientIdentifier()).isPresent();
      assertThat(client.getConfig().getClientIdentifier().map(Object::toString))
          .isEqualTo(ack.getAssignedClientIdentifier().map(Object::toString));
    } finally {
      client.disconnect();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 60})
  void serverKeepAliveLowersAKeepAliveAboveTheMaximumOrNone(int requested) throws Exception {
    start(b -> b.maxKeepAlive(Duration.ofSeconds(10)));
    assertThat(connAck("keeper", requested, Properties.EMPTY).properties().serverKeepAlive()).isEqualTo(10);
  }

  @Test
  void withoutServerKeepAliveTheClientsKeepAliveIsUsed_MQTT_3_2_2_22() throws Exception {
    start(b -> b.maxKeepAlive(Duration.ofSeconds(10)));
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(RawMqtt5Client.connectPacket("keeper", true, 1, Properties.EMPTY));
      assertThat(ack.properties().serverKeepAlive()).isNull();
      long start = System.nanoTime();
      assertThat(client.readDisconnect().reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4)); // 1.5 times 1 second, not 10
    }
  }

  @Test
  void withoutAMaximumKeepAliveZeroIsLeftAlone() throws Exception {
    start(b -> b);
    assertThat(connAck("keeper", 0, Properties.EMPTY).properties().serverKeepAlive()).isNull();
  }

  @Test
  void theServerKeepAliveIsEnforcedOnAClientThatAskedForNone() throws Exception {
    start(b -> b.maxKeepAlive(Duration.ofSeconds(1)));
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(RawMqtt5Client.connectPacket("idle", true, 0, Properties.EMPTY));
      assertThat(ack.properties().serverKeepAlive()).isEqualTo(1);
      long start = System.nanoTime();
      assertThat(client.readDisconnect().reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }
  }

  @Test
  void responseInformationIsGivenWhenRequestedAndConfigured() throws Exception {
    start(b -> b.responseInformation("replies/"));
    Properties request = Properties.builder().requestResponseInformation(true).build();
    assertThat(connAck("asker", 30, request).properties().responseInformation()).isEqualTo("replies/");
  }

  @Test
  void responseInformationIsNotGivenWhenNotRequested_MQTT_3_1_2_28() throws Exception {
    start(b -> b.responseInformation("replies/"));
    assertThat(connAck("silent", 30, Properties.EMPTY).properties().responseInformation()).isNull();
    Properties refused = Properties.builder().requestResponseInformation(false).build();
    assertThat(connAck("refuser", 30, refused).properties().responseInformation()).isNull();
  }

  @Test
  void responseInformationIsNotInventedWhenNoneIsConfigured() throws Exception {
    start(b -> b);
    Properties request = Properties.builder().requestResponseInformation(true).build();
    assertThat(connAck("asker", 30, request).properties().responseInformation()).isNull();
  }

  @Test
  void aLoweredSessionExpiryIsToldInTheConnAck() throws Exception {
    start(b -> b.maxSessionExpiry(Duration.ofSeconds(30)));
    Properties asked = Properties.builder().sessionExpiryInterval(3600).build();
    assertThat(connAck("long", 30, asked).properties().sessionExpiryInterval()).isEqualTo(30L);
    Properties within = Properties.builder().sessionExpiryInterval(20).build();
    assertThat(connAck("short", 30, within).properties().sessionExpiryInterval()).isNull();
  }

  @Test
  void aClientWithATinyMaximumPacketSizeStillGetsItsConnAck() throws Exception {
    start(b -> b);
    ConnAck full = connAck("roomy", 30, Properties.EMPTY);
    assertThat(full.properties().retainAvailable()).isTrue();
    int fullSize = MqttEncoder.size(full, 5);

    // Room for the CONNACK only without the properties that repeat a default.
    ConnAck small = connAck("tiny", 30, Properties.builder().maximumPacketSize(fullSize - 1).build());
    assertThat(small.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    assertThat(small.properties().retainAvailable()).isNull();
    assertThat(small.properties().wildcardSubscriptionAvailable()).isNull();
    assertThat(small.properties().maximumPacketSize()).isEqualTo(full.properties().maximumPacketSize());
  }

  @Test
  void aDisconnectMayKeepTheSessionLongerWhenTheConnectAskedForExpiryTheBrokerCapped() throws Exception {
    start(b -> b.maxSessionExpiry(Duration.ZERO));
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, RawMqtt5Client.connectPacket("capped", true, 30,
        Properties.builder().sessionExpiryInterval(60).build()))) {
      client.send(new Disconnect(ReasonCode.SUCCESS,
          Properties.builder().sessionExpiryInterval(30).build()));
      // not a protocol error: the CONNECT asked for an expiry; the broker keeps its cap of 0
      assertThat(client.closedByBroker()).isTrue();
    }
    assertThat(broker.admin().session("capped").toCompletableFuture().get()).isEmpty();
  }
}
