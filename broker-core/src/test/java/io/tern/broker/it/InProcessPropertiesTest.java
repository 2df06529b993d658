package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.Subscription;
import io.tern.broker.hook.PublishDecision;
import io.tern.broker.message.Message;
import io.tern.broker.message.MessageProperties;
import io.tern.broker.message.QoS;
import io.tern.broker.message.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT 5 properties between network clients, the host application and publish interceptors. */
@Timeout(30)
class InProcessPropertiesTest extends BrokerTest {

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    // Stamps messages on "stamped/..." with one more user property.
    return builder.addPublishInterceptor(context -> context.message().topic().startsWith("stamped/")
        ? PublishDecision.modify(context.message().withProperties(
            context.message().properties().withUserProperty("stamp", "tern")))
        : PublishDecision.proceed());
  }

  private Mqtt5BlockingClient client(String id) {
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    client.connect();
    return client;
  }

  @Test
  void hostMessagesCarryTheirPropertiesToMqtt5Subscribers() throws Exception {
    Mqtt5BlockingClient subscriber = client("props-sub");
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      subscriber.subscribeWith().topicFilter("host/#").qos(MqttQos.AT_LEAST_ONCE).send();
      MessageProperties properties = MessageProperties.NONE.withUtf8Payload(true).withContentType("text/plain")
          .withResponseTopic("replies/1").withCorrelationData(new byte[] {1, 2, 3})
          .withExpiry(Duration.ofHours(1)).withUserProperty("a", "1").withUserProperty("a", "2");
      broker.publish(new Message("host/request", "ping".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
          properties)).toCompletableFuture().get(5, TimeUnit.SECONDS);

      Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      Mqtt5Publish publish = received.get();
      assertThat(publish.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
      assertThat(publish.getContentType().map(Object::toString)).contains("text/plain");
      assertThat(publish.getResponseTopic().map(Object::toString)).contains("replies/1");
      assertThat(publish.getCorrelationData().map(b -> { byte[] a = new byte[b.remaining()]; b.get(a); return a; }))
          .hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(1, 2, 3));
      assertThat(publish.getMessageExpiryInterval().orElseThrow()).isBetween(3590L, 3600L);
      assertThat(publish.getUserProperties().asList().stream()
          .map(p -> p.getName() + "=" + p.getValue()).toList()).containsExactly("a=1", "a=2");
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void networkPropertiesReachTheHostAndInterceptorsCanChangeThem() throws Exception {
    List<Message> received = new CopyOnWriteArrayList<>();
    try (Subscription ignored = broker.subscribe("stamped/#", QoS.AT_LEAST_ONCE, received::add, Runnable::run)) {
      Mqtt5BlockingClient publisher = client("props-pub");
      publisher.publishWith().topic("stamped/x").qos(MqttQos.AT_LEAST_ONCE).contentType("application/json")
          .userProperties().add("origin", "device").applyUserProperties()
          .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
      publisher.disconnect();

      await().untilAsserted(() -> assertThat(received).hasSize(1));
      MessageProperties properties = received.get(0).properties();
      assertThat(properties.contentType()).contains("application/json");
      assertThat(properties.userProperties())
          .containsExactly(new UserProperty("origin", "device"), new UserProperty("stamp", "tern"));
    }
  }
}
