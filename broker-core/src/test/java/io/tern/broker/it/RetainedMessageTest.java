package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RetainedMessageTest extends BrokerTest {
  @Test
  void retainedMessageIsSentToNewSubscribersWithRetainSet_MQTT_3_3_1_6() throws Exception {
    Paho publisher = connectPaho("pub");
    publisher.publish("status/door", "open", 1, true);

    Paho subscriber = connectPaho("late");
    subscriber.client.subscribe("status/door", 1);

    await().untilAsserted(() -> assertThat(subscriber.received)
        .containsExactly(new Paho.Received("status/door", "open", 1, true, false)));
  }

  @Test
  void liveDeliveryOfARetainedPublishHasRetainCleared_MQTT_3_3_1_9() throws Exception {
    Paho subscriber = connectPaho("live");
    subscriber.client.subscribe("status/light", 0);
    Paho publisher = connectPaho("pub");

    publisher.publish("status/light", "on", 0, true);

    await().untilAsserted(() -> assertThat(subscriber.received)
        .containsExactly(new Paho.Received("status/light", "on", 0, false, false)));
  }

  @Test
  void aNewRetainedMessageReplacesTheOld_MQTT_3_3_1_5() throws Exception {
    Paho publisher = connectPaho("pub");
    publisher.publish("temp", "20", 0, true);
    publisher.publish("temp", "21", 0, true);

    Paho subscriber = connectPaho("late");
    subscriber.client.subscribe("temp", 0);
    publisher.publish("marker", "end", 0, false);
    subscriber.client.subscribe("marker", 0);
    publisher.publish("marker", "end", 0, false);

    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("21", "end"));
  }

  @Test
  void anEmptyRetainedPayloadClearsTheRetainedMessage_MQTT_3_3_1_10() throws Exception {
    Paho publisher = connectPaho("pub");
    publisher.publish("gone", "soon", 1, true);
    publisher.publish("gone", "", 1, true);

    Paho subscriber = connectPaho("late");
    subscriber.client.subscribe(new String[] {"gone", "marker"}, new int[] {1, 1});
    publisher.publish("marker", "end", 1, false);

    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("end"));
  }

  @Test
  void wildcardSubscriptionsReceiveEveryMatchingRetainedMessage_MQTT_3_3_1_6() throws Exception {
    Paho publisher = connectPaho("pub");
    publisher.publish("home/kitchen/temp", "21", 1, true);
    publisher.publish("home/bath/temp", "24", 1, true);
    publisher.publish("home/bath/humidity", "60", 1, true);
    publisher.publish("$SYS/hidden", "x", 1, true);

    Paho plus = connectPaho("plus");
    plus.client.subscribe("home/+/temp", 1);
    Paho all = connectPaho("all");
    all.client.subscribe("#", 1);

    await().untilAsserted(() -> {
      assertThat(plus.payloads()).containsExactlyInAnyOrder("21", "24");
      assertThat(all.payloads()).containsExactlyInAnyOrder("21", "24", "60");
    });
    assertThat(all.received).allSatisfy(m -> assertThat(m.retained()).isTrue());
  }

  @Test
  void retainedQosIsTheLowerOfMessageAndSubscription_MQTT_3_3_1_6() throws Exception {
    Paho publisher = connectPaho("pub");
    publisher.publish("q/two", "2", 2, true);
    publisher.publish("q/zero", "0", 0, true);

    Paho subscriber = connectPaho("late");
    subscriber.client.subscribe("q/#", 1);

    await().untilAsserted(() -> assertThat(subscriber.received).extracting(Paho.Received::payload, Paho.Received::qos)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("2", 1), org.assertj.core.groups.Tuple.tuple("0", 0)));
  }

  @Test
  void resubscribingResendsRetainedMessages_MQTT_3_8_4_3() throws Exception {
    Paho publisher = connectPaho("pub");
    publisher.publish("again", "kept", 1, true);

    Paho subscriber = connectPaho("sub");
    subscriber.client.subscribe("again", 1);
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("kept"));
    subscriber.client.subscribe("again", 1);

    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("kept", "kept"));
  }
}
