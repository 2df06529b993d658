package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.PingReq;
import io.tern.broker.core.codec.PingResp;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubComp;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.core.codec.UnsubAck;
import io.tern.broker.core.codec.Unsubscribe;
import io.tern.broker.hook.AsyncPublishInterceptor;
import io.tern.broker.hook.PublishDecision;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AccessDecision;
import io.tern.broker.spi.auth.Authorizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reason codes on acknowledgements: SUBACK, UNSUBACK, PUBACK, PUBREC, PUBREL and PUBCOMP, and what
 * an error code means for the exchange it ends.
 */
@Timeout(30)
class Mqtt5ReasonCodeTest extends Mqtt5BrokerTest {
  /** Whether publishing to toggle/... is allowed now. */
  private final AtomicBoolean toggleAllowed = new AtomicBoolean();

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder
        .maxSubscriptionsPerClient(3)
        .addAuthorizer(new Authorizer() {
          @Override
          public AccessDecision checkPublish(ClientInfo client, String topic, QoS qos, boolean retain) {
            if (topic.startsWith("toggle/")) {
              return toggleAllowed.get() ? AccessDecision.ALLOW : AccessDecision.DENY;
            }
            return topic.startsWith("secret/") ? AccessDecision.DENY : AccessDecision.ABSTAIN;
          }

          @Override
          public AccessDecision checkSubscribe(ClientInfo client, String topicFilter, QoS qos) {
            return topicFilter.startsWith("secret/") ? AccessDecision.DENY : AccessDecision.ABSTAIN;
          }
        })
        .addPublishInterceptor(context -> context.message().topic().startsWith("rejected/")
            || context.message().payloadAsString().equals("reject me")
            ? PublishDecision.reject(ReasonCode.QUOTA_EXCEEDED) : PublishDecision.proceed())
        .addPublishInterceptor(context -> context.message().topic().startsWith("unsuitable/")
            ? PublishDecision.reject(ReasonCode.SESSION_TAKEN_OVER) : PublishDecision.proceed());
  }

  // ---- SUBACK and UNSUBACK

  @Test
  void subackHasAReasonCodePerFilterInOrder_MQTT_3_8_4_6_MQTT_3_8_4_7_MQTT_3_9_3_1() throws Exception {
    RawClient5 client = raw5("suback");

    byte[] codes = client.subscribe(1, Properties.EMPTY,
        new Subscribe.Request("ok/0", 0),
        new Subscribe.Request("ok/1", 1),
        new Subscribe.Request("secret/x", 1),        // the authorizer says no
        new Subscribe.Request("$share//t", 1),       // a shared subscription without a ShareName
        new Subscribe.Request("ok/2", 2),
        new Subscribe.Request("over/limit", 0)       // a fourth subscription: over the quota of 3
    ).returnCodes();

    assertThat(codes).containsExactly(0x00, 0x01, 0x87, 0x8F, 0x02, 0x97);
    // at the quota, replacing an existing subscription is still granted
    assertThat(client.subscribe(2, Properties.EMPTY, new Subscribe.Request("ok/0", 2)).returnCodes())
        .containsExactly(0x02);
  }

  @Test
  void subackGrantsNoMoreThanTheBrokersMaximumQos_MQTT_3_8_4_7() throws Exception {
    try (Broker qos1 = TestBrokers.start(builder -> builder.maxQos(QoS.AT_LEAST_ONCE));
        RawClient5 client = new RawClient5(qos1)) {
      ConnAck connAck = client.connect("suback-qos", Properties.EMPTY);
      assertThat(connAck.properties().maximumQos()).isEqualTo(1);

      byte[] codes = client.subscribe(1, Properties.EMPTY, new Subscribe.Request("a", 2),
          new Subscribe.Request("b", 1), new Subscribe.Request("c", 0)).returnCodes();

      assertThat(codes).containsExactly(0x01, 0x01, 0x00);
    }
  }

  @Test
  void unsubackSaysWhetherThereWasASubscription_MQTT_3_11_3_1_MQTT_3_11_3_2() throws Exception {
    RawClient5 client = raw5("unsuback");
    client.subscribe(1, Properties.EMPTY, new Subscribe.Request("un/a", 1));

    client.send(new Unsubscribe(2, List.of("un/a", "un/never", "un/a")));

    UnsubAck ack = client.read(UnsubAck.class);
    assertThat(ack.packetId()).isEqualTo(2);
    assertThat(ack.reasonCodes()).containsExactly(
        ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.NO_SUBSCRIPTION_EXISTED);
  }

  // ---- PUBACK and PUBREC

  @Test
  void aDeniedPublishGetsPubackOrPubrec0x87AndIsNotDelivered_MQTT_3_4_2_1_MQTT_3_5_2_1() throws Exception {
    Paho subscriber = connectPaho("denied-sub");
    subscriber.client.subscribe("#", 1);
    RawClient5 publisher = raw5("denied-pub");

    publisher.send(new Publish("secret/1", 1, false, false, 1, bytes("q1"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class)).isEqualTo(new PubAck(1, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY));
    publisher.send(new Publish("secret/2", 2, false, false, 2, bytes("q2"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class)).isEqualTo(new PubRec(2, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY));
    publisher.send(new Publish("secret/0", 0, false, false, 0, bytes("q0"), Properties.EMPTY));
    publisher.send(new Publish("open/marker", 1, false, false, 3, bytes("marker"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    await().until(() -> subscriber.payloads().contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("marker");
  }

  @Test
  void aRejectCodeThatAPubackCannotCarryIsSentAsUnspecifiedError_MQTT_3_4_2_1() throws Exception {
    RawClient5 publisher = raw5("unsuitable-pub");

    publisher.send(new Publish("unsuitable/1", 1, false, false, 1, bytes("q1"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.UNSPECIFIED_ERROR);
    publisher.send(new Publish("unsuitable/2", 2, false, false, 2, bytes("q2"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.UNSPECIFIED_ERROR);
  }

  @Test
  void aClientLibrarySeesTheNotAuthorizedPuback() {
    HiveMq5 publisher = hiveMq("denied-hivemq");

    assertThatThrownBy(() -> publisher.client.publishWith().topic("secret/x").qos(MqttQos.AT_LEAST_ONCE)
        .payload(bytes("denied")).send())
        .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
  }

  @Test
  void anInterceptorsRejectIsTheReasonCodeOfThePubackOrPubrec() throws Exception {
    Paho subscriber = connectPaho("rejected-sub");
    subscriber.client.subscribe("#", 1);
    RawClient5 publisher = raw5("rejected-pub");

    publisher.send(new Publish("rejected/1", 1, false, false, 1, bytes("q1"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class)).isEqualTo(new PubAck(1, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY));
    publisher.send(new Publish("rejected/2", 2, false, false, 2, bytes("q2"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class)).isEqualTo(new PubRec(2, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY));
    publisher.send(new Publish("open/marker", 1, false, false, 3, bytes("marker"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    await().until(() -> subscriber.payloads().contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("marker");
  }

  @Test
  void anAsynchronousRejectIsTheReasonCodeToo_MQTT_4_3_3_9() throws Exception {
    AsyncPublishInterceptor later = context -> CompletableFuture.supplyAsync(
        () -> context.message().payloadAsString().equals("reject me")
            ? PublishDecision.reject(ReasonCode.NOT_AUTHORIZED) : PublishDecision.proceed());
    try (Broker async = TestBrokers.start(builder -> builder.addAsyncPublishInterceptor(later));
        RawClient5 publisher = new RawClient5(async)) {
      Paho subscriber = Paho.connect(async, "async-sub");
      try {
        subscriber.client.subscribe("#", 1);
        publisher.connect("async-pub", Properties.EMPTY);

        publisher.send(new Publish("async/1", 1, false, false, 1, bytes("reject me"), Properties.EMPTY));
        assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        publisher.send(new Publish("async/2", 2, false, false, 2, bytes("reject me"), Properties.EMPTY));
        assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        publisher.send(new Publish("async/2", 2, false, false, 2, bytes("accepted"), Properties.EMPTY));
        assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        publisher.send(new PubRel(2));
        assertThat(publisher.read(PubComp.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

        await().until(() -> subscriber.payloads().contains("accepted"));
        assertThat(subscriber.payloads()).containsExactly("accepted");
      } finally {
        subscriber.close();
      }
    }
  }

  @Test
  void aRefusedPublishIsNotRetained() throws Exception {
    RawClient5 publisher = raw5("refused-retained-pub");
    Properties utf8 = Properties.builder().payloadFormatIndicator(1).build();
    publisher.send(new Publish("secret/kept", 1, true, false, 1, bytes("denied"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    publisher.send(new Publish("rejected/kept", 1, true, false, 2, bytes("rejected"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
    publisher.send(new Publish("invalid/kept", 1, true, false, 3, new byte[] {(byte) 0xFF}, utf8));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
    publisher.send(new Publish("open/kept", 1, true, false, 4, bytes("kept"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    RawClient5 subscriber = raw5("refused-retained-sub");

    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("#", 1));

    // the retained messages follow the SUBACK at once, before the answer to a PINGREQ sent now
    Publish retained = subscriber.read(Publish.class);
    assertThat(retained.topic()).isEqualTo("open/kept");
    subscriber.send(PingReq.INSTANCE);
    assertThat(subscriber.read()).isEqualTo(PingResp.INSTANCE);
    assertThat(broker.admin().retainedMessages()).extracting(io.tern.broker.message.Message::topic)
        .containsExactly("open/kept");
  }

  // ---- PUBREL and PUBCOMP

  @Test
  void aPubrelForAnUnknownPacketIdGetsPubcomp0x92_MQTT_3_7_2_1() throws Exception {
    RawClient5 client = raw5("pubrel-unknown");
    client.send(new Publish("qos2/a", 2, false, false, 5, bytes("m"), Properties.EMPTY));
    assertThat(client.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    client.send(new PubRel(5));
    assertThat(client.read(PubComp.class)).isEqualTo(new PubComp(5, ReasonCode.SUCCESS, Properties.EMPTY));
    client.send(new PubRel(5)); // completed already: unknown now
    assertThat(client.read(PubComp.class))
        .isEqualTo(new PubComp(5, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
    client.send(new PubRel(77)); // never used
    assertThat(client.read(PubComp.class))
        .isEqualTo(new PubComp(77, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
  }

  @Test
  void aPubrecForAnUnknownPacketIdGetsPubrel0x92_MQTT_3_6_2_1() throws Exception {
    RawClient5 client = raw5("pubrec-unknown");

    client.send(new PubRec(66));

    assertThat(client.read(PubRel.class))
        .isEqualTo(new PubRel(66, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
  }

  @Test
  void aPubrecWithAnErrorCodeEndsTheQos2ExchangeWithoutPubrel_MQTT_4_3_3_4() throws Exception {
    // Receive Maximum 1: the second message waits until the first exchange has ended
    RawClient5 subscriber = raw5("pubrec-error", Properties.builder().receiveMaximum(1).build());
    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("flow/#", 2));
    Paho publisher = connectPaho("pubrec-error-pub");
    publisher.publish("flow/a", "refused", 2, false);
    publisher.publish("flow/a", "taken", 2, false);

    Publish refused = subscriber.read(Publish.class);
    assertThat(RawClient5.text(refused.payload())).isEqualTo("refused");
    subscriber.send(new PubRec(refused.packetId(), ReasonCode.UNSPECIFIED_ERROR, Properties.EMPTY));

    // no PUBREL for it; its slot is free, so the next message comes
    Publish taken = subscriber.read(Publish.class);
    assertThat(RawClient5.text(taken.payload())).isEqualTo("taken");
    subscriber.send(new PubRec(taken.packetId()));
    assertThat(subscriber.read(PubRel.class))
        .isEqualTo(new PubRel(taken.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    subscriber.send(new PubComp(taken.packetId()));
    subscriber.send(PingReq.INSTANCE);
    assertThat(subscriber.read()).isEqualTo(PingResp.INSTANCE);
  }

  @Test
  void afterAFailedPubrecTheSamePacketIdIsANewMessage_MQTT_4_3_3_9() throws Exception {
    Paho subscriber = connectPaho("failed-pubrec-sub");
    subscriber.client.subscribe("#", 1); // Paho hands over QoS 2 messages on PUBREL, out of order
    RawClient5 publisher = raw5("failed-pubrec-pub");

    // refused by the interceptor, then the same id again: a new message, delivered
    publisher.send(new Publish("again/a", 2, false, false, 7, bytes("reject me"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
    publisher.send(new Publish("again/a", 2, false, false, 7, bytes("accepted 7"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    publisher.send(new PubRel(7));
    assertThat(publisher.read(PubComp.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    // refused by the authorizer (0x87), then allowed under the same id
    publisher.send(new Publish("toggle/a", 2, false, false, 8, bytes("denied 8"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    toggleAllowed.set(true);
    publisher.send(new Publish("toggle/a", 2, false, false, 8, bytes("accepted 8"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    publisher.send(new PubRel(8));
    assertThat(publisher.read(PubComp.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    // whereas an accepted id sent again before its PUBREL is the same message [MQTT-4.3.3-10]
    publisher.send(new Publish("again/b", 2, false, false, 9, bytes("once"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    publisher.send(new Publish("again/b", 2, false, true, 9, bytes("once"), Properties.EMPTY));
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    publisher.send(new PubRel(9));
    assertThat(publisher.read(PubComp.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    publisher.send(new Publish("again/marker", 1, false, false, 10, bytes("marker"), Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    await().until(() -> subscriber.payloads().contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("accepted 7", "accepted 8", "once", "marker");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
