package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT 3.1.1 and MQTT 5 clients on one broker: messages, QoS and retained messages both ways. */
@Timeout(30)
class Mqtt5InteropTest extends Mqtt5BrokerTest {

  @Test
  void aV311PublisherReachesV5SubscribersWithoutProperties() throws Exception {
    HiveMq5 hive = hiveMq("v5-hive");
    hive.client.subscribeWith().topicFilter("up/#").qos(MqttQos.EXACTLY_ONCE).send();
    PahoV5 paho = pahoV5("v5-paho");
    paho.client.subscribe("up/#", 2);
    RawClient5 raw = raw5("v5-raw");
    raw.subscribe(1, Properties.EMPTY, new Subscribe.Request("up/#", 2));
    Paho publisher = connectPaho("v311-pub");

    for (int qos = 0; qos <= 2; qos++) {
      publisher.publish("up/" + qos, "from 3.1.1 at " + qos, qos, false);
    }

    await().until(() -> hive.received.size() == 3 && paho.received.size() == 3);
    assertThat(hive.received).extracting(p -> p.getTopic() + " " + p.getQos().getCode())
        .containsExactly("up/0 0", "up/1 1", "up/2 2");
    assertThat(hive.received).allSatisfy(p -> {
      assertThat(p.getContentType()).isEmpty();
      assertThat(p.getPayloadFormatIndicator()).isEmpty();
      assertThat(p.getMessageExpiryInterval()).isEmpty();
      assertThat(p.getUserProperties().asList()).isEmpty();
    });
    assertThat(paho.payloads()).containsExactly("from 3.1.1 at 0", "from 3.1.1 at 1", "from 3.1.1 at 2");
    for (int i = 0; i < 3; i++) {
      Publish publish = raw.read(Publish.class);
      assertThat(publish.qos()).isEqualTo(i);
      assertThat(publish.properties().isEmpty()).isTrue();
    }
  }

  @Test
  void aV5PublisherWithPropertiesReachesA311SubscriberAsAPlainPublish() throws Exception {
    Paho paho = connectPaho("v311-paho");
    paho.client.subscribe("down/#", 1);
    RawClient raw = track(new RawClient(broker));
    raw.connect("v311-raw", true);
    raw.send(RawClient.subscribePacket(1, "down/#", 1));
    assertThat(raw.read().type()).isEqualTo(9); // SUBACK
    HiveMq5 publisher = hiveMq("v5-pub");

    publisher.client.publishWith().topic("down/a").qos(MqttQos.AT_LEAST_ONCE)
        .payload("with properties".getBytes(StandardCharsets.UTF_8))
        .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).contentType("text/plain")
        .responseTopic("down/reply").correlationData(new byte[] {1, 2}).messageExpiryInterval(100)
        .userProperties(Mqtt5UserProperties.builder().add("k", "v").build())
        .send();

    RawClient.Frame frame = raw.read();
    assertThat(frame.type()).isEqualTo(3);
    assertThat(frame.qos()).isEqualTo(1);
    // topic, packet id, payload: nothing else, no property length in particular
    assertThat(frame.body()).containsExactly(
        plainPublishBody("down/a", frame.publishPacketId(), "with properties"));
    await().until(() -> paho.received.size() == 1);
    assertThat(paho.received.get(0).payload()).isEqualTo("with properties");
  }

  @Test
  void qosIsDowngradedToTheSubscriptionsAcrossVersions_MQTT_3_8_4_8() throws Exception {
    Paho v311 = connectPaho("downgrade-311");
    v311.client.subscribe("qos/#", 0);
    HiveMq5 v5 = hiveMq("downgrade-5");
    v5.client.subscribeWith().topicFilter("qos/#").qos(MqttQos.AT_LEAST_ONCE).send();
    HiveMq5 v5Publisher = hiveMq("downgrade-5-pub");
    Paho v311Publisher = connectPaho("downgrade-311-pub");

    v5Publisher.client.publishWith().topic("qos/from5").qos(MqttQos.EXACTLY_ONCE).payload(new byte[] {5}).send();
    v311Publisher.publish("qos/from311", "3", 2, false);
    v311Publisher.publish("qos/from311-0", "3", 0, false); // never upgraded

    await().until(() -> v311.received.size() == 3 && v5.received.size() == 3);
    assertThat(v311.received).extracting(Paho.Received::qos).containsOnly(0);
    assertThat(v5.received).extracting(p -> p.getTopic() + " " + p.getQos().getCode())
        .containsExactlyInAnyOrder("qos/from5 1", "qos/from311 1", "qos/from311-0 0");
  }

  @Test
  void retainedMessagesCrossVersionsWithRetainSet() throws Exception {
    HiveMq5 v5Publisher = hiveMq("retained-5-pub");
    v5Publisher.client.publishWith().topic("kept/from5").qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload("5".getBytes(StandardCharsets.UTF_8)).contentType("text/plain").send();
    connectPaho("retained-311-pub").publish("kept/from311", "311", 1, true);

    RawClient raw = track(new RawClient(broker));
    raw.connect("retained-311-raw", true);
    raw.send(RawClient.subscribePacket(1, "kept/from5", 1));
    assertThat(raw.read().type()).isEqualTo(9);
    RawClient.Frame plain = raw.read();
    assertThat(plain.retain()).isTrue();
    assertThat(plain.body()).containsExactly(plainPublishBody("kept/from5", plain.publishPacketId(), "5"));

    Paho v311 = connectPaho("retained-311");
    v311.client.subscribe("kept/#", 1);
    HiveMq5 v5 = hiveMq("retained-5");
    v5.client.subscribeWith().topicFilter("kept/#").qos(MqttQos.AT_LEAST_ONCE).send();

    await().until(() -> v311.received.size() == 2 && v5.received.size() == 2);
    assertThat(v311.received).extracting(r -> r.topic() + " " + r.retained())
        .containsExactlyInAnyOrder("kept/from5 true", "kept/from311 true");
    assertThat(v5.received).extracting(p -> p.getTopic() + " " + p.isRetain())
        .containsExactlyInAnyOrder("kept/from5 true", "kept/from311 true");
    // the MQTT 5 publisher's properties are kept with its retained message
    Mqtt5Publish from5 = v5.received.stream().filter(p -> p.getTopic().toString().equals("kept/from5"))
        .findFirst().orElseThrow();
    assertThat(from5.getContentType().map(Object::toString)).contains("text/plain");
  }

  @Test
  void forwardedMessagesReachA311SubscriberWithRetainCleared() throws Exception {
    Paho v311 = connectPaho("forward-311");
    v311.client.subscribe("live/#", 1);

    hiveMq("forward-5-pub").client.publishWith().topic("live/a").qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload("r".getBytes(StandardCharsets.UTF_8)).send();

    await().until(() -> v311.received.size() == 1);
    assertThat(v311.received.get(0).retained()).isFalse();
  }

  /** The body of an MQTT 3.1.1 PUBLISH at QoS 1 or 2. */
  private static byte[] plainPublishBody(String topic, int packetId, String payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    body.write(name.length >> 8);
    body.write(name.length);
    body.writeBytes(name);
    body.write(packetId >> 8);
    body.write(packetId);
    body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }
}
