package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The properties of a PUBLISH on their way through the broker: forwarded unaltered, the Message
 * Expiry Interval counted down and enforced, and payloads marked as UTF-8 checked.
 */
@Timeout(30)
class Mqtt5PublishPropertiesTest extends Mqtt5BrokerTest {
  private static final byte[] NOT_UTF8 = {'b', 'a', 'd', (byte) 0xC3, 0x28};

  @Test
  void applicationMessagePropertiesReachSubscribersUnaltered_MQTT_3_3_2_4_15_16_17_18_20() throws Exception {
    HiveMq5 subscriber = hiveMq("props-sub");
    subscriber.client.subscribeWith().topicFilter("props/#").qos(MqttQos.EXACTLY_ONCE).send();
    HiveMq5 publisher = hiveMq("props-pub");
    byte[] correlation = {0, 1, 2, (byte) 0xFF};

    publisher.client.publishWith().topic("props/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload("héllo".getBytes(StandardCharsets.UTF_8))
        .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
        .contentType("text/plain; charset=utf-8")
        .responseTopic("replies/props")
        .correlationData(correlation)
        .userProperties(Mqtt5UserProperties.builder()
            .add("b", "2").add("a", "1").add("b", "2").add("a", "0").build())
        .send();

    await().until(() -> subscriber.received.size() == 1);
    Mqtt5Publish received = subscriber.received.get(0);
    assertThat(received.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
    assertThat(received.getContentType()).hasValueSatisfying(
        type -> assertThat(type.toString()).isEqualTo("text/plain; charset=utf-8"));
    assertThat(received.getResponseTopic()).hasValueSatisfying(
        topic -> assertThat(topic.toString()).isEqualTo("replies/props"));
    assertThat(received.getCorrelationData().map(PublishHelpers::bytes)).hasValueSatisfying(
        data -> assertThat(data).containsExactly(correlation));
    // the order and the duplicates of the user properties are kept [MQTT-3.3.2-17, MQTT-3.3.2-18]
    assertThat(received.getUserProperties().asList())
        .extracting(property -> property.getName() + "=" + property.getValue())
        .containsExactly("b=2", "a=1", "b=2", "a=0");
  }

  @Test
  void propertiesAreForwardedExactlyAtEveryQos_MQTT_3_3_2_4_15_16_17_20() throws Exception {
    RawClient5 subscriber = raw5("exact-sub");
    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("exact/#", 2));
    RawClient5 publisher = raw5("exact-pub");
    // Payload Format Indicator 0 said explicitly is forwarded as said, not left out
    Properties sent = Properties.builder().payloadFormatIndicator(0).contentType("application/octet-stream")
        .responseTopic("exact/replies").correlationData(new byte[] {9, 8, 7})
        .userProperty("z", "last").userProperty("a", "first").userProperty("z", "last").build();

    for (int qos = 0; qos <= 2; qos++) {
      publisher.send(new Publish("exact/" + qos, qos, false, false, qos == 0 ? 0 : 10 + qos, new byte[] {1, 2, 3},
          sent));
      if (qos == 1) {
        assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      } else if (qos == 2) {
        assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      }
    }

    List<Publish> received = new ArrayList<>();
    while (received.size() < 3) {
      received.add(subscriber.read(Publish.class));
    }
    assertThat(received).extracting(Publish::topic).containsExactly("exact/0", "exact/1", "exact/2");
    assertThat(received).extracting(Publish::properties).containsOnly(sent);
  }

  @Test
  void aQueuedMessageWhoseExpiryPassedIsNotDelivered_MQTT_3_3_2_5() throws Exception {
    HiveMq5 subscriber = hiveMqUnconnected("expiry-sub");
    subscriber.client.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
    subscriber.client.subscribeWith().topicFilter("expiry/#").qos(MqttQos.AT_LEAST_ONCE).send();
    subscriber.client.disconnect();
    HiveMq5 publisher = hiveMq("expiry-pub");

    publisher.client.publishWith().topic("expiry/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload("short-lived".getBytes(StandardCharsets.UTF_8)).messageExpiryInterval(1).send();
    publisher.client.publishWith().topic("expiry/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload("long-lived".getBytes(StandardCharsets.UTF_8)).messageExpiryInterval(300).send();
    waitPast(System.nanoTime(), Duration.ofMillis(1200)); // the first one expires while the client is away
    subscriber.client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();

    await().until(() -> subscriber.payloads().contains("long-lived"));
    assertThat(subscriber.payloads()).containsExactly("long-lived");
    assertThat(broker.admin().metrics().droppedExpired()).isEqualTo(1);
  }

  @Test
  void anExpiryOf0ReachesOnlineSubscribersAtOnceButIsNeverQueued_MQTT_3_3_2_5() throws Exception {
    HiveMq5 online = hiveMq("zero-online");
    online.client.subscribeWith().topicFilter("zero/#").qos(MqttQos.AT_LEAST_ONCE).send();
    HiveMq5 offline = hiveMqUnconnected("zero-offline");
    offline.client.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
    offline.client.subscribeWith().topicFilter("zero/#").qos(MqttQos.AT_LEAST_ONCE).send();
    offline.client.disconnect();
    HiveMq5 publisher = hiveMq("zero-pub");

    publisher.client.publishWith().topic("zero/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload("now or never".getBytes(StandardCharsets.UTF_8)).messageExpiryInterval(0).send();
    publisher.client.publishWith().topic("zero/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload("marker".getBytes(StandardCharsets.UTF_8)).send();
    await().until(() -> online.payloads().contains("marker"));
    assertThat(online.payloads()).containsExactly("now or never", "marker");

    offline.client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
    await().until(() -> offline.payloads().contains("marker"));
    assertThat(offline.payloads()).containsExactly("marker");
  }

  @Test
  void aDeliveredMessageCarriesTheExpiryThatIsLeft_MQTT_3_3_2_6() throws Exception {
    HiveMq5 online = hiveMq("left-online");
    online.client.subscribeWith().topicFilter("left/#").qos(MqttQos.AT_LEAST_ONCE).send();
    HiveMq5 offline = hiveMqUnconnected("left-offline");
    offline.client.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
    offline.client.subscribeWith().topicFilter("left/#").qos(MqttQos.AT_LEAST_ONCE).send();
    offline.client.disconnect();
    HiveMq5 publisher = hiveMq("left-pub");

    publisher.client.publishWith().topic("left/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload("m".getBytes(StandardCharsets.UTF_8)).messageExpiryInterval(60).send();
    long published = System.nanoTime();
    await().until(() -> online.received.size() == 1);
    waitPast(published, Duration.ofMillis(1100));
    offline.client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
    await().until(() -> offline.received.size() == 1);

    // delivered at once: (nearly) all of it left; after waiting in the session: less
    assertThat(online.received.get(0).getMessageExpiryInterval().getAsLong()).isBetween(59L, 60L);
    assertThat(offline.received.get(0).getMessageExpiryInterval().getAsLong()).isBetween(1L, 59L);
  }

  @ParameterizedTest(name = "subscribed at QoS {0}")
  @ValueSource(ints = {0, 1})
  void anExpiredRetainedMessageIsNotSentToNewSubscribers_MQTT_3_3_2_5_MQTT_3_3_2_6(int qos) throws Exception {
    HiveMq5 publisher = hiveMq("retained-expiry-pub");
    publisher.client.publishWith().topic("rexp/short").qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload("short-lived".getBytes(StandardCharsets.UTF_8)).messageExpiryInterval(1).send();
    publisher.client.publishWith().topic("rexp/long").qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload("long-lived".getBytes(StandardCharsets.UTF_8)).messageExpiryInterval(60).send();
    waitPast(System.nanoTime(), Duration.ofMillis(1200));
    HiveMq5 subscriber = hiveMq("retained-expiry-sub");

    subscriber.client.subscribeWith().topicFilter("rexp/#").qos(MqttQos.fromCode(qos)).send();
    // retained messages follow the SUBACK at once, so come before anything published after it
    subscriber.client.publishWith().topic("rexp/marker").qos(MqttQos.AT_LEAST_ONCE)
        .payload("marker".getBytes(StandardCharsets.UTF_8)).send();

    await().until(() -> subscriber.payloads().contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("long-lived", "marker");
    assertThat(subscriber.received.get(0).getMessageExpiryInterval().getAsLong()).isBetween(1L, 59L);
    assertThat(broker.admin().metrics().droppedExpired()).isEqualTo(1);
  }

  @Test
  void aMessageWithoutExpiryIsForwardedWithoutOne() throws Exception {
    HiveMq5 subscriber = hiveMq("no-expiry-sub");
    subscriber.client.subscribeWith().topicFilter("no-expiry/#").qos(MqttQos.AT_LEAST_ONCE).send();
    hiveMq("no-expiry-pub").client.publishWith().topic("no-expiry/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload(new byte[] {1}).send();

    await().until(() -> subscriber.received.size() == 1);
    assertThat(subscriber.received.get(0).getMessageExpiryInterval()).isEmpty();
  }

  @Test
  void aPayloadMarkedUtf8ThatIsNotGetsPubackOrPubrec0x99AndIsNotDelivered() throws Exception {
    HiveMq5 subscriber = hiveMq("pfi-sub");
    subscriber.client.subscribeWith().topicFilter("pfi/#").qos(MqttQos.EXACTLY_ONCE).send();
    RawClient5 publisher = raw5("pfi-pub");
    Properties utf8 = Properties.builder().payloadFormatIndicator(1).build();

    publisher.send(new Publish("pfi/1", 1, false, false, 1, NOT_UTF8, utf8));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
    publisher.send(new Publish("pfi/2", 2, false, false, 2, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        utf8)); // an encoded surrogate is not well-formed UTF-8 either
    assertThat(publisher.read(PubRec.class).reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
    // the same bytes without the indicator are just bytes
    publisher.send(new Publish("pfi/3", 1, false, false, 3, NOT_UTF8, Properties.EMPTY));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    publisher.send(new Publish("pfi/4", 1, false, false, 4, "well-formed ✓".getBytes(StandardCharsets.UTF_8), utf8));
    assertThat(publisher.read(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

    await().until(() -> subscriber.received.size() == 2);
    assertThat(subscriber.received).extracting(p -> p.getTopic().toString()).containsExactly("pfi/3", "pfi/4");
  }

  @Test
  void aQos0PayloadMarkedUtf8ThatIsNotIsDisconnectedWith0x99AndNotDelivered() throws Exception {
    HiveMq5 subscriber = hiveMq("pfi0-sub");
    subscriber.client.subscribeWith().topicFilter("pfi0/#").qos(MqttQos.AT_LEAST_ONCE).send();
    RawClient5 publisher = raw5("pfi0-pub");

    publisher.send(new Publish("pfi0/bad", 0, false, false, 0, NOT_UTF8,
        Properties.builder().payloadFormatIndicator(1).build()));

    assertThat(publisher.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
    assertThat(publisher.closedByBroker()).isTrue();
    hiveMq("pfi0-marker").client.publishWith().topic("pfi0/marker").qos(MqttQos.AT_LEAST_ONCE).send();
    await().until(() -> subscriber.received.size() == 1);
    assertThat(subscriber.received).extracting(p -> p.getTopic().toString()).containsExactly("pfi0/marker");
  }

  /**
   * Waits until {@code time} has passed since {@code start}: what these tests wait for is the
   * clock, which a message's expiry is measured by.
   */
  static void waitPast(long start, Duration time) {
    await().atMost(time.plusSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> System.nanoTime() - start >= time.toNanos());
  }

  /** Small conversions for HiveMQ's types. */
  static final class PublishHelpers {
    private PublishHelpers() {}

    static byte[] bytes(ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
  }
}
