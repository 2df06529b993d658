package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.BrokerBuilder;
import io.tern.broker.hook.AsyncPublishInterceptor;
import io.tern.broker.hook.PublishContext;
import io.tern.broker.hook.PublishDecision;
import io.tern.broker.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Asynchronous publish interceptors: answers from other threads, per-client order, timeouts. */
@Timeout(30)
class AsyncInterceptorTest extends BrokerTest {
  private final CountDownLatch held = new CountDownLatch(1);
  private final CompletableFuture<PublishDecision> release = new CompletableFuture<>();

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder
        .addAsyncPublishInterceptor(context -> {
          String topic = context.message().topic();
          if (topic.equals("slow/held")) {
            held.countDown();
            return release;
          }
          if (topic.startsWith("slow/")) {
            // Answered later, from another thread, after a pause that lets later packets queue up.
            return CompletableFuture.supplyAsync(() -> suffixed(context, "+checked"),
                CompletableFuture.delayedExecutor(topic.endsWith("/1") ? 300 : 1, TimeUnit.MILLISECONDS));
          }
          if (topic.equals("failing")) {
            return CompletableFuture.failedFuture(new IllegalStateException("rules service down for the test"));
          }
          return CompletableFuture.completedFuture(PublishDecision.proceed());
        })
        .addAsyncPublishInterceptor(new AsyncPublishInterceptor() {
          @Override
          public CompletionStage<PublishDecision> intercept(PublishContext context) {
            String topic = context.message().topic();
            return topic.startsWith("silent/") ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(PublishDecision.proceed());
          }

          @Override
          public Duration timeout() {
            return Duration.ofMillis(200);
          }

          @Override
          public PublishDecision onTimeout() {
            return PublishDecision.proceed();
          }
        });
  }

  private static PublishDecision suffixed(PublishContext context, String suffix) {
    Message message = context.message();
    return PublishDecision.modify(new Message(message.topic(), (message.payloadAsString() + suffix).getBytes(),
        message.qos(), message.retain()));
  }

  @Test
  void aClientsMessagesAndAcknowledgementsKeepTheirOrderWhileDecisionsArePending() throws Exception {
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("slow/#", 1);
    try (RawClient publisher = new RawClient(broker)) {
      publisher.connect("publisher", true);
      byte[] one = RawClient.publishPacket("slow/1", 1, false, 1, "a");
      byte[] two = RawClient.publishPacket("slow/2", 1, false, 2, "b");
      byte[] three = RawClient.publishPacket("slow/3", 1, false, 3, "c");
      byte[] all = new byte[one.length + two.length + three.length];
      System.arraycopy(one, 0, all, 0, one.length);
      System.arraycopy(two, 0, all, one.length, two.length);
      System.arraycopy(three, 0, all, one.length + two.length, three.length);
      publisher.send(all);

      assertThat(List.of(publisher.read().packetId(), publisher.read().packetId(), publisher.read().packetId()))
          .containsExactly(1, 2, 3);
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads())
        .containsExactly("a+checked", "b+checked", "c+checked"));
  }

  @Test
  void theAcknowledgementWaitsForTheDecision() throws Exception {
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("slow/#", 1);
    try (RawClient publisher = new RawClient(broker)) {
      publisher.connect("publisher", true);
      publisher.send(RawClient.publishPacket("slow/held", 1, false, 9, "waiting"));
      assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
      publisher.send(0xC0, 0); // a PINGREQ queued behind the pending decision

      release.complete(PublishDecision.proceed());
      assertThat(publisher.read().type()).isEqualTo(4); // PUBACK first,
      assertThat(publisher.read().type()).isEqualTo(13); // then the PINGRESP
    }
    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("waiting"));
  }

  @Test
  void timeoutsAndFailuresDecideAsDeclared() throws Exception {
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("#", 1);
    Paho publisher = connectPaho("publisher");

    publisher.publish("failing", "rejected when the stage fails", 1, false);
    publisher.publish("silent/x", "delivered after the timeout", 1, false);
    broker.publish(Message.of("host/x", "from the host")).toCompletableFuture().get(5, TimeUnit.SECONDS);

    await().untilAsserted(() -> assertThat(subscriber.payloads())
        .containsExactly("delivered after the timeout", "from the host"));
  }
}
