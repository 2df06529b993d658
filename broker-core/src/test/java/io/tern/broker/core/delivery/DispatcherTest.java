package io.tern.broker.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.core.transport.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DispatcherTest {
  private final EventLoop publishing = new EventLoop("dispatcher-test", 0, 64, 1024);
  private final EventLoop receiving = new EventLoop("dispatcher-test", 1, 4, 1024);
  private final Router router = new Router(new EventLoop[] {publishing, receiving}, 1000);

  /** Records what reaches it, on the receiving loop. */
  private final class Recorder implements Subscriber {
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<Integer> options = new CopyOnWriteArrayList<>();
    final List<int[]> identifiers = new CopyOnWriteArrayList<>();

    @Override
    public int loopIndex() {
      return receiving.index();
    }

    @Override
    public String clientId() {
      return "recorder";
    }

    @Override
    public void deliver(Message message, int options, int[] identifiers) {
      assertThat(receiving.inLoop()).isTrue();
      received.add(new String(message.payload(), StandardCharsets.UTF_8));
      this.options.add(options);
      this.identifiers.add(identifiers == null ? new int[0] : identifiers);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    publishing.shutdown();
    receiving.shutdown();
    publishing.awaitTermination();
    receiving.awaitTermination();
  }

  @Test
  void batchesForAFullInboxWaitInOrderAndNoneIsLost() throws Exception {
    router.dispatcher(0).install();
    router.dispatcher(1).install();
    Recorder recorder = new Recorder();
    router.subscriptions().subscribe("t", recorder, 1);
    List<String> sent = IntStream.range(0, 100).mapToObj(Integer::toString).toList();

    // The receiving loop is not running yet, so its inbox of four fills after four batches.
    publishing.start();
    CountDownLatch published = new CountDownLatch(1);
    publishing.execute(() -> {
      for (String payload : sent) {
        router.dispatcher(0).publish(Message.of("t", payload.getBytes(StandardCharsets.UTF_8), 1, false), null);
      }
      published.countDown();
    });
    assertThat(published.await(10, TimeUnit.SECONDS)).isTrue();
    receiving.start();

    await().untilAsserted(() -> assertThat(recorder.received).containsExactlyElementsOf(sent));
  }

  /** Publishes one message from the publishing loop and waits until it is routed. */
  private void publishFrom(String origin, String topic, int qos) throws InterruptedException {
    CountDownLatch published = new CountDownLatch(1);
    publishing.execute(() -> {
      router.dispatcher(0).publish(Message.of(topic, String.valueOf(origin).getBytes(StandardCharsets.UTF_8), qos, true,
          io.tern.broker.core.codec.Properties.EMPTY, origin), null);
      published.countDown();
    });
    assertThat(published.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void overlappingSubscriptionsGiveOneCopyWithTheHighestQosAndEveryIdentifier_MQTT_3_3_4_2() throws Exception {
    router.dispatcher(0).install();
    router.dispatcher(1).install();
    Recorder recorder = new Recorder();
    router.subscriptions().subscribe("a/+", recorder, SubscriptionOptions.of(1, false, false, 7));
    router.subscriptions().subscribe("a/#", recorder, SubscriptionOptions.of(2, false, true, 9));
    router.subscriptions().subscribe("#", recorder, SubscriptionOptions.of(0, false, false, 0));
    publishing.start();
    receiving.start();

    publishFrom("someone", "a/b", 2);

    await().untilAsserted(() -> assertThat(recorder.received).hasSize(1));
    int options = recorder.options.get(0);
    assertThat(SubscriptionOptions.qos(options)).isEqualTo(2);
    assertThat(SubscriptionOptions.retainAsPublished(options)).isTrue();
    assertThat(recorder.identifiers.get(0)).containsExactlyInAnyOrder(7, 9);
  }

  @Test
  void theQosIsCappedByTheMessagesAndASingleIdentifierTravelsInTheOptions() throws Exception {
    router.dispatcher(0).install();
    router.dispatcher(1).install();
    Recorder recorder = new Recorder();
    router.subscriptions().subscribe("t", recorder, SubscriptionOptions.of(2, false, false, 42));
    publishing.start();
    receiving.start();

    publishFrom("someone", "t", 1);

    await().untilAsserted(() -> assertThat(recorder.received).hasSize(1));
    assertThat(SubscriptionOptions.qos(recorder.options.get(0))).isEqualTo(1);
    assertThat(SubscriptionOptions.identifier(recorder.options.get(0))).isEqualTo(42);
    assertThat(recorder.identifiers.get(0)).isEmpty();
  }

  @Test
  void noLocalSkipsOnlyThePublishersOwnSubscription_MQTT_3_8_3_3() throws Exception {
    router.dispatcher(0).install();
    router.dispatcher(1).install();
    Recorder recorder = new Recorder(); // its client id is "recorder"
    router.subscriptions().subscribe("local/only", recorder, SubscriptionOptions.of(1, true, false, 0));
    publishing.start();
    receiving.start();

    publishFrom("recorder", "local/only", 1);
    publishFrom("someone-else", "local/only", 1);
    publishFrom(null, "local/only", 1);

    await().untilAsserted(() -> assertThat(recorder.received).containsExactly("someone-else", "null"));
    router.subscriptions().subscribe("local/#", recorder, SubscriptionOptions.of(0, false, false, 0));
    publishFrom("recorder", "local/only", 1);
    await().untilAsserted(() -> assertThat(recorder.received).containsExactly("someone-else", "null", "recorder"));
    assertThat(SubscriptionOptions.qos(recorder.options.get(2))).as("only the subscription without No Local")
        .isZero();
  }
}
