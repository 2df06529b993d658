package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class PublishSubscribeTest extends BrokerTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void deliversAtTheRequestedQos(int qos) throws Exception {
    Paho subscriber = connectPaho("sub");
    subscriber.client.subscribe("a/b", qos);
    Paho publisher = connectPaho("pub");

    publisher.publish("a/b", "hello", qos, false);

    await().untilAsserted(() -> assertThat(subscriber.received)
        .containsExactly(new Paho.Received("a/b", "hello", qos, false, false)));
  }

  @Test
  void deliveryQosIsTheLowerOfPublishAndSubscription_MQTT_3_8_4_6() throws Exception {
    Paho subscriber = connectPaho("sub");
    subscriber.client.subscribe("q", 1);
    Paho publisher = connectPaho("pub");

    publisher.publish("q", "two", 2, false);
    publisher.publish("q", "zero", 0, false);

    await().untilAsserted(() -> assertThat(subscriber.received).extracting(Paho.Received::qos)
        .containsExactly(1, 0));
  }

  @Test
  void wildcardsMatchAcrossClientsOnDifferentLoops() throws Exception {
    List<Paho> subscribers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Paho subscriber = connectPaho("wild-" + i);
      subscriber.client.subscribe(i % 2 == 0 ? "sensors/+/temp" : "sensors/#", 1);
      subscribers.add(subscriber);
    }
    Paho publisher = connectPaho("pub");

    publisher.publish("sensors/kitchen/temp", "21", 1, false);
    publisher.publish("sensors/kitchen/humidity", "40", 1, false);

    await().untilAsserted(() -> {
      for (int i = 0; i < subscribers.size(); i++) {
        assertThat(subscribers.get(i).payloads()).containsExactlyElementsOf(
            i % 2 == 0 ? List.of("21") : List.of("21", "40"));
      }
    });
  }

  @Test
  void overlappingSubscriptionsDeliverOneCopyAtTheHighestQos_MQTT_3_3_5_1() throws Exception {
    Paho subscriber = connectPaho("sub");
    subscriber.client.subscribe(new String[] {"x/#", "x/+", "x/y"}, new int[] {0, 2, 1});
    Paho publisher = connectPaho("pub");

    publisher.publish("x/y", "once", 2, false);
    publisher.publish("x/y", "marker", 0, false);

    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("once", "marker"));
    assertThat(subscriber.received.get(0).qos()).isEqualTo(2);
  }

  @Test
  void messagesFromOnePublisherArriveInOrder_MQTT_4_6_0_5() throws Exception {
    Paho subscriber = connectPaho("sub");
    subscriber.client.subscribe("ordered", 1);
    Paho publisher = connectPaho("pub");

    List<String> sent = IntStream.range(0, 500).mapToObj(Integer::toString).toList();
    for (String payload : sent) {
      publisher.publish("ordered", payload, 1, false);
    }

    await().atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(subscriber.payloads()).containsExactlyElementsOf(sent));
  }

  @Test
  void unsubscribedFilterReceivesNothingMore_MQTT_3_10_4_2() throws Exception {
    Paho subscriber = connectPaho("sub");
    subscriber.client.subscribe("u/1", 1);
    subscriber.client.subscribe("u/2", 1);
    Paho publisher = connectPaho("pub");

    subscriber.client.unsubscribe("u/1");
    publisher.publish("u/1", "gone", 1, false);
    publisher.publish("u/2", "still", 1, false);

    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("still"));
  }

  @Test
  void dollarTopicsAreNotMatchedByLeadingWildcards_MQTT_4_7_2_1() throws Exception {
    Paho all = connectPaho("all");
    all.client.subscribe("#", 0);
    Paho sys = connectPaho("sys");
    sys.client.subscribe("$SYS/#", 0);
    Paho publisher = connectPaho("pub");

    publisher.publish("$SYS/x", "sys", 1, false);
    publisher.publish("plain", "plain", 1, false);

    await().untilAsserted(() -> {
      assertThat(all.payloads()).containsExactly("plain");
      assertThat(sys.payloads()).containsExactly("sys");
    });
  }

  @Test
  void aClientReceivesItsOwnPublications() throws Exception {
    Paho client = connectPaho("self");
    client.client.subscribe("echo", 2);

    client.publish("echo", "me", 2, false);

    await().untilAsserted(() -> assertThat(client.payloads()).containsExactly("me"));
  }
}
