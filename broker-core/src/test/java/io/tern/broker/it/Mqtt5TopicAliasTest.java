package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.message.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Topic aliases both ways: those a client sets when publishing (inbound, up to the broker's Topic
 * Alias Maximum of 4 here) and those the broker assigns on what it sends (outbound, up to the lower
 * of the client's Topic Alias Maximum and the broker's {@code outboundTopicAliases}, 3 here).
 */
@Timeout(30)
class Mqtt5TopicAliasTest extends Mqtt5BrokerTest {

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.topicAliasMaximum(4).outboundTopicAliases(3);
  }

  // ---- inbound

  @Test
  void aClientMaySetAnAliasAndThenPublishWithTheAliasAlone_MQTT_3_3_2_12() throws Exception {
    Paho subscriber = connectPaho("alias-in-sub");
    subscriber.client.subscribe("alias/#", 1);
    RawClient5 publisher = track(new RawClient5(broker));
    ConnAck connAck = publisher.connect("alias-in-pub", Properties.EMPTY);
    assertThat(connAck.properties().topicAliasMaximum()).isEqualTo(4);

    publish(publisher, 1, "alias/one", 1, "set 1");
    publish(publisher, 2, "", 1, "by 1");
    publish(publisher, 3, "alias/four", 4, "set 4"); // the maximum is accepted
    publish(publisher, 4, "", 4, "by 4");
    publish(publisher, 5, "alias/other", 1, "set 1 again"); // an alias may be set to another topic
    publish(publisher, 6, "", 1, "by 1 again");

    await().until(() -> subscriber.received.size() == 6);
    assertThat(subscriber.received).extracting(r -> r.topic() + ":" + r.payload()).containsExactly(
        "alias/one:set 1", "alias/one:by 1", "alias/four:set 4", "alias/four:by 4",
        "alias/other:set 1 again", "alias/other:by 1 again");
  }

  @Test
  void anAliasAboveTheMaximumIsDisconnectedWith0x94_MQTT_3_3_2_9() throws Exception {
    RawClient5 publisher = raw5("alias-above");

    publisher.send(new Publish("alias/x", 1, false, false, 1, new byte[] {1},
        Properties.builder().topicAlias(5).build()));

    assertThat(publisher.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
    assertThat(publisher.closedByBroker()).isTrue();
  }

  @Test
  void anAliasWhenTheBrokerAnnouncedNoneIsDisconnectedWith0x94_MQTT_3_3_2_9() throws Exception {
    try (Broker noAliases = TestBrokers.start(builder -> builder.topicAliasMaximum(0));
        RawClient5 publisher = new RawClient5(noAliases)) {
      ConnAck connAck = publisher.connect("alias-none", Properties.EMPTY);
      assertThat(connAck.properties().topicAliasMaximum()).isNull(); // absent means 0

      publisher.send(new Publish("alias/x", 0, false, false, 0, new byte[] {1},
          Properties.builder().topicAlias(1).build()));

      assertThat(publisher.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
      assertThat(publisher.closedByBroker()).isTrue();
    }
  }

  @Test
  void anAliasOf0IsAProtocolError_MQTT_3_3_2_8() throws Exception {
    RawClient5 publisher = raw5("alias-zero");

    // PUBLISH QoS 0 "a/b", properties: Topic Alias (0x23) 0; the encoder will not write a 0
    publisher.send(0x30, 10, 0, 3, 'a', '/', 'b', 3, 0x23, 0, 0, 'x');

    assertThat(publisher.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(publisher.closedByBroker()).isTrue();
  }

  @Test
  void anAliasNeverSetUsedWithAnEmptyTopicIsAProtocolError() throws Exception {
    Paho subscriber = connectPaho("alias-unset-sub");
    subscriber.client.subscribe("#", 1);
    RawClient5 publisher = raw5("alias-unset");
    publish(publisher, 1, "alias/two", 2, "sets 2");

    publisher.send(new Publish("", 1, false, false, 2, new byte[] {1}, Properties.builder().topicAlias(3).build()));

    assertThat(publisher.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(publisher.closedByBroker()).isTrue();
    connectPaho("alias-unset-marker").publish("alias/marker", "marker", 1, false);
    await().until(() -> subscriber.payloads().contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("sets 2", "marker");
  }

  @Test
  void aliasesDoNotCarryOverToANewConnection_MQTT_3_3_2_7() throws Exception {
    Properties persistent = Properties.builder().sessionExpiryInterval(300).build();
    try (RawClient5 first = new RawClient5(broker)) {
      first.connect("alias-again", persistent);
      publish(first, 1, "alias/kept", 1, "sets 1");
    }
    RawClient5 second = track(new RawClient5(broker));
    // the session is resumed, its aliases are not
    assertThat(second.connect("alias-again", false, persistent).sessionPresent()).isTrue();

    second.send(new Publish("", 1, false, false, 2, new byte[] {1}, Properties.builder().topicAlias(1).build()));

    assertThat(second.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  // ---- outbound

  @Test
  void theBrokerAssignsAliasesUpToTheClientsMaximumAndThenSendsTheAliasAlone_MQTT_3_3_2_11_MQTT_3_1_2_26()
      throws Exception {
    RawClient5 subscriber = raw5("alias-out-2", Properties.builder().topicAliasMaximum(2).build());
    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("out/#", 0));
    Paho publisher = connectPaho("alias-out-pub");

    for (String topic : List.of("out/a", "out/b", "out/c", "out/a", "out/b", "out/c", "out/a")) {
      publisher.publish(topic, topic, 0, false);
    }

    List<Publish> received = readPublishes(subscriber, 7);
    // first sight of a topic: the topic and a new alias; then the alias alone; none left for out/c
    assertThat(received).extracting(RawPublish::describe).containsExactly(
        "out/a alias 1", "out/b alias 2", "out/c", " alias 1", " alias 2", "out/c", " alias 1");
  }

  @Test
  void theBrokerAssignsNoMoreAliasesThanItsOwnLimit_MQTT_3_3_2_11() throws Exception {
    RawClient5 subscriber = raw5("alias-out-100", Properties.builder().topicAliasMaximum(100).build());
    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("limit/#", 1));
    Paho publisher = connectPaho("alias-limit-pub");

    for (int round = 0; round < 2; round++) {
      for (int i = 1; i <= 5; i++) {
        publisher.publish("limit/" + i, "m", 1, false);
      }
    }

    List<Publish> received = readPublishes(subscriber, 10);
    assertThat(received).extracting(RawPublish::describe).containsExactly(
        "limit/1 alias 1", "limit/2 alias 2", "limit/3 alias 3", "limit/4", "limit/5",
        " alias 1", " alias 2", " alias 3", "limit/4", "limit/5");
  }

  @Test
  void noAliasesForAClientThatAnnouncedNone_MQTT_3_1_2_27() throws Exception {
    RawClient5 absent = raw5("alias-absent");
    RawClient5 zero = raw5("alias-zero-max", Properties.builder().topicAliasMaximum(0).build());
    for (RawClient5 subscriber : List.of(absent, zero)) {
      subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("none/#", 0));
    }
    Paho publisher = connectPaho("alias-none-pub");

    for (int i = 0; i < 3; i++) {
      publisher.publish("none/same", "m" + i, 0, false);
    }

    for (RawClient5 subscriber : List.of(absent, zero)) {
      assertThat(readPublishes(subscriber, 3)).extracting(RawPublish::describe)
          .containsExactly("none/same", "none/same", "none/same");
    }
  }

  @Test
  void outboundAliasesStartAfreshOnANewConnection_MQTT_3_3_2_7() throws Exception {
    Properties connect = Properties.builder().topicAliasMaximum(5).sessionExpiryInterval(300).build();
    Paho publisher = connectPaho("alias-fresh-pub");
    try (RawClient5 first = new RawClient5(broker)) {
      first.connect("alias-fresh", connect);
      first.subscribe(1, Properties.EMPTY, new Subscribe.Request("fresh/#", 1));
      publisher.publish("fresh/x", "one", 1, false);
      assertThat(RawPublish.describe(first.read(Publish.class))).isEqualTo("fresh/x alias 1"); // not acknowledged
    }
    RawClient5 second = track(new RawClient5(broker));
    assertThat(second.connect("alias-fresh", false, connect).sessionPresent()).isTrue();
    // the message left unacknowledged is resent, with the topic: the old alias means nothing now
    Publish resent = second.read(Publish.class);
    assertThat(resent.dup()).isTrue();
    assertThat(RawPublish.describe(resent)).isEqualTo("fresh/x alias 1");
    second.send(new PubAck(resent.packetId()));

    publisher.publish("fresh/x", "two", 1, false);
    assertThat(readPublishes(second, 1)).extracting(RawPublish::describe).containsExactly(" alias 1");
  }

  /** HiveMQ, not Paho: Paho v5 1.2.5 leaves aliased topics empty (eclipse-paho/paho.mqtt.java#866). */
  @Test
  void aClientLibrarySeesTheRightTopicsThroughTheAliasesTheBrokerAssigns() throws Exception {
    HiveMq5 subscriber = hiveMqUnconnected("alias-hivemq");
    subscriber.client.connectWith().restrictions().topicAliasMaximum(2).applyRestrictions().send();
    subscriber.client.subscribeWith().topicFilter("lib/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Paho publisher = connectPaho("alias-lib-pub");

    List<String> topics = List.of("lib/a", "lib/b", "lib/c", "lib/a", "lib/b", "lib/c", "lib/b");
    for (String topic : topics) {
      publisher.publish(topic, topic, 1, false);
    }

    await().until(() -> subscriber.received.size() == topics.size());
    assertThat(subscriber.received).extracting(p -> p.getTopic().toString()).containsExactlyElementsOf(topics);
    assertThat(subscriber.payloads()).containsExactlyElementsOf(topics);
  }

  private static void publish(RawClient5 publisher, int packetId, String topic, int alias, String payload)
      throws Exception {
    publisher.send(new Publish(topic, 1, false, false, packetId, payload.getBytes(StandardCharsets.UTF_8),
        Properties.builder().topicAlias(alias).build()));
    PubAck ack = publisher.read(PubAck.class);
    assertThat(ack.packetId()).isEqualTo(packetId);
    assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
  }

  private static List<Publish> readPublishes(RawClient5 subscriber, int count) throws Exception {
    List<Publish> publishes = new java.util.ArrayList<>();
    while (publishes.size() < count) {
      Publish publish = subscriber.read(Publish.class);
      if (publish.qos() == 1) {
        subscriber.send(new PubAck(publish.packetId()));
      }
      publishes.add(publish);
    }
    return publishes;
  }

  /** A PUBLISH as its topic name on the wire and its Topic Alias, if any. */
  private static final class RawPublish {
    private RawPublish() {}

    static String describe(Publish publish) {
      Integer alias = publish.properties().topicAlias();
      return publish.topic() + (alias == null ? "" : " alias " + alias);
    }
  }
}
