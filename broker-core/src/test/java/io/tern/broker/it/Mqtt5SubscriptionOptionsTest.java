package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MQTT 5 subscription options: No Local, Retain As Published and Retain Handling. */
@Timeout(30)
class Mqtt5SubscriptionOptionsTest extends Mqtt5BrokerTest {

  @Test
  void noLocalKeepsAClientsOwnMessagesFromIt_MQTT_3_8_3_3() {
    HiveMq5 self = hiveMq("nl-self");
    self.client.subscribeWith().topicFilter("nl/#").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
    HiveMq5 other = hiveMq("nl-other");
    other.client.subscribeWith().topicFilter("nl/#").qos(MqttQos.AT_LEAST_ONCE).send();

    publish(self, "nl/a", "own", false);
    publish(other, "nl/a", "other's", false);

    await().until(() -> self.payloads().contains("other's") && other.received.size() == 2);
    // the client's own message would have been written to it before the PUBACK, so before "other's"
    assertThat(self.payloads()).containsExactly("other's");
    // without No Local a client gets its own messages
    assertThat(other.payloads()).containsExactlyInAnyOrder("own", "other's");
  }

  @Test
  void noLocalBelongsToOneSubscriptionNotToTheClient_MQTT_3_8_3_3() {
    HiveMq5 self = hiveMq("nl-two");
    self.client.subscribeWith().topicFilter("nl2/#").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
    self.client.subscribeWith().topicFilter("nl2/+").qos(MqttQos.AT_LEAST_ONCE).send();

    publish(self, "nl2/a", "through nl2/+", false);
    publish(self, "nl2/a/b", "nl2/# only", false);
    publish(self, "nl2/a", "marker", false);

    await().until(() -> self.payloads().contains("marker"));
    assertThat(self.payloads()).containsExactly("through nl2/+", "marker");
  }

  @Test
  void retainAsPublishedKeepsTheRetainFlagAndWithoutItTheFlagIsCleared_MQTT_3_3_1_12_MQTT_3_3_1_13() {
    HiveMq5 kept = hiveMq("rap-kept");
    kept.client.subscribeWith().topicFilter("rap/#").qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send();
    HiveMq5 cleared = hiveMq("rap-cleared");
    cleared.client.subscribeWith().topicFilter("rap/#").qos(MqttQos.AT_LEAST_ONCE).send();
    HiveMq5 publisher = hiveMq("rap-pub");

    publish(publisher, "rap/a", "retained", true);
    publish(publisher, "rap/a", "plain", false);

    await().until(() -> kept.received.size() == 2 && cleared.received.size() == 2);
    assertThat(kept.received).extracting(Mqtt5Publish::isRetain).containsExactly(true, false);
    assertThat(cleared.received).extracting(Mqtt5Publish::isRetain).containsExactly(false, false);
  }

  @Test
  void retainHandling0SendsRetainedMessagesOnEverySubscribeWithRetainSet_MQTT_3_3_1_9() {
    publish(hiveMq("rh0-pub"), "rh0/a", "retained", true);
    HiveMq5 subscriber = hiveMq("rh0-sub");

    // Retain As Published is off: it concerns forwarded messages, not retained ones sent on subscribing
    subscriber.client.subscribeWith().topicFilter("rh0/#").qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(Mqtt5RetainHandling.SEND).send();
    await().until(() -> subscriber.received.size() == 1);
    subscriber.client.subscribeWith().topicFilter("rh0/#").qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(Mqtt5RetainHandling.SEND).send();
    await().until(() -> subscriber.received.size() == 2);

    assertThat(subscriber.payloads()).containsExactly("retained", "retained");
    assertThat(subscriber.received).extracting(Mqtt5Publish::isRetain).containsExactly(true, true);
  }

  @Test
  void retainHandling1SendsRetainedMessagesOnlyWhenTheSubscriptionIsNew_MQTT_3_3_1_10() {
    publish(hiveMq("rh1-pub"), "rh1/a", "retained", true);
    HiveMq5 subscriber = hiveMq("rh1-sub");

    subscribeIfNew(subscriber);
    subscribeIfNew(subscriber); // exists already: nothing
    // retained messages go out right after the SUBACK, so before anything published after it
    publish(subscriber, "rh1/marker", "marker", false);
    await().until(() -> subscriber.payloads().contains("marker"));
    subscriber.client.unsubscribeWith().topicFilter("rh1/#").send();
    subscribeIfNew(subscriber); // new again
    await().until(() -> subscriber.received.size() >= 3);

    assertThat(subscriber.payloads()).containsExactly("retained", "marker", "retained");
    assertThat(subscriber.received).extracting(Mqtt5Publish::isRetain).containsExactly(true, false, true);
  }

  @Test
  void retainHandling2NeverSendsRetainedMessages_MQTT_3_3_1_11() {
    publish(hiveMq("rh2-pub"), "rh2/a", "retained", true);
    HiveMq5 subscriber = hiveMq("rh2-sub");

    subscriber.client.subscribeWith().topicFilter("rh2/#").qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
    publish(subscriber, "rh2/marker", "marker", false);

    await().until(() -> subscriber.payloads().contains("marker"));
    assertThat(subscriber.payloads()).containsExactly("marker");
  }

  @Test
  void retainedMessagesSentOnSubscribingHaveRetainSetOnTheWire_MQTT_3_3_1_9() throws Exception {
    publish(hiveMq("rh-raw-pub"), "rh-raw/a", "retained", true);
    RawClient5 subscriber = raw5("rh-raw-sub");

    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("rh-raw/#", 0, false, false, 0));

    Publish retained = subscriber.read(Publish.class);
    assertThat(retained.retain()).isTrue();
    assertThat(retained.qos()).isZero(); // the lower of the message's QoS and the subscription's
    assertThat(RawClient5.text(retained.payload())).isEqualTo("retained");
  }

  private static void subscribeIfNew(HiveMq5 subscriber) {
    subscriber.client.subscribeWith().topicFilter("rh1/#").qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
  }

  /** Publishes at QoS 1, returning once the broker acknowledged it. */
  private static void publish(HiveMq5 publisher, String topic, String payload, boolean retain) {
    publisher.client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
  }
}
