package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.Subscription;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host application's publish and subscribe, and their exchange with network clients. */
@Timeout(60)
class InProcessClientTest extends BrokerTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "host-handler"));

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  /** Records messages with the thread that handled them. */
  private static final class Inbox {
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    void accept(Message message) {
      messages.add(message);
      threads.add(Thread.currentThread().getName());
    }

    List<String> payloads() {
      return messages.stream().map(Message::payloadAsString).toList();
    }
  }

  @Test
  void hostPublicationsReachNetworkSubscribers() throws Exception {
    Paho subscriber = connectPaho("sub");
    subscriber.client.subscribe("host/#", 1);

    broker.publish(Message.of("host/a", "from the host").withQos(QoS.AT_LEAST_ONCE))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);

    await().untilAsserted(() -> assertThat(subscriber.received)
        .containsExactly(new Paho.Received("host/a", "from the host", 1, false, false)));
  }

  @Test
  void networkPublicationsReachHostSubscribersOnTheHostsExecutor() throws Exception {
    Inbox inbox = new Inbox();
    try (Subscription subscription = broker.subscribe("net/+", QoS.EXACTLY_ONCE, inbox::accept, executor)) {
      assertThat(subscription.topicFilter()).isEqualTo("net/+");
      connectPaho("pub").publish("net/x", "from the network", 2, false);

      await().untilAsserted(() -> assertThat(inbox.payloads()).containsExactly("from the network"));
      Message received = inbox.messages.get(0);
      assertThat(received.topic()).isEqualTo("net/x");
      assertThat(received.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(received.retain()).isFalse();
      assertThat(inbox.threads).containsOnly("host-handler");
    }
  }

  @Test
  void retainedMessagesFlowBothWays() throws Exception {
    broker.publish(Message.of("state/host", "up").withRetain(true)).toCompletableFuture().join();
    connectPaho("pub").publish("state/net", "ready", 1, true);

    Paho late = connectPaho("late");
    late.client.subscribe("state/host", 1);
    await().untilAsserted(() -> assertThat(late.received)
        .containsExactly(new Paho.Received("state/host", "up", 0, true, false)));

    Inbox inbox = new Inbox();
    try (Subscription ignored = broker.subscribe("state/net", QoS.AT_LEAST_ONCE, inbox::accept, executor)) {
      await().untilAsserted(() -> assertThat(inbox.messages).singleElement().satisfies(m -> {
        assertThat(m.payloadAsString()).isEqualTo("ready");
        assertThat(m.retain()).isTrue();
        assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      }));
    }
  }

  @Test
  void hostPublicationsOnOneTopicArriveInOrder() {
    Inbox inbox = new Inbox();
    try (Subscription ignored = broker.subscribe("ordered", QoS.AT_MOST_ONCE, inbox::accept, executor)) {
      List<String> sent = IntStream.range(0, 2000).mapToObj(Integer::toString).toList();
      for (String payload : sent) {
        broker.publish(Message.of("ordered", payload));
      }
      await().untilAsserted(() -> assertThat(inbox.payloads()).containsExactlyElementsOf(sent));
    }
  }

  @Test
  void aHandlerThatFallsBehindLosesOnlyWhatOverflowsItsBuffer() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Inbox inbox = new Inbox();
    try (Subscription subscription = broker.subscribe("busy", QoS.AT_MOST_ONCE, message -> {
      entered.countDown();
      awaitQuietly(release);
      inbox.accept(message);
    }, executor)) {
      broker.publish(Message.of("busy", "first"));
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

      int buffered = 16_384;
      for (int i = 0; i < buffered + 100; i++) {
        broker.publish(Message.of("busy", "m" + i));
      }
      await().untilAsserted(() -> assertThat(subscription.droppedMessages()).isEqualTo(100));
      release.countDown();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(inbox.messages).hasSize(1 + buffered));
      assertThat(inbox.messages.get(buffered).payloadAsString()).isEqualTo("m" + (buffered - 1));
    }
  }

  @Test
  void aClosedSubscriptionReceivesNothingMore() throws Exception {
    Inbox closed = new Inbox();
    Inbox open = new Inbox();
    Subscription first = broker.subscribe("c", QoS.AT_MOST_ONCE, closed::accept, executor);
    try (Subscription ignored = broker.subscribe("c", QoS.AT_MOST_ONCE, open::accept, executor)) {
      broker.publish(Message.of("c", "before")).toCompletableFuture().join();
      await().untilAsserted(() -> assertThat(closed.payloads()).containsExactly("before"));
      first.close();
      first.close();
      broker.publish(Message.of("c", "after")).toCompletableFuture().join();
      await().untilAsserted(() -> assertThat(open.payloads()).containsExactly("before", "after"));
      assertThat(closed.payloads()).containsExactly("before");
    }
  }

  @Test
  void aThrowingHandlerKeepsReceiving() {
    Inbox inbox = new Inbox();
    try (Subscription ignored = broker.subscribe("boom", QoS.AT_MOST_ONCE, message -> {
      inbox.accept(message);
      throw new IllegalStateException("handler failure for the test");
    }, executor)) {
      broker.publish(Message.of("boom", "1"));
      broker.publish(Message.of("boom", "2"));
      await().untilAsserted(() -> assertThat(inbox.payloads()).containsExactly("1", "2"));
    }
  }

  @Test
  void misuseIsReportedPlainly() {
    assertThatThrownBy(() -> broker.subscribe("a/#/b", QoS.AT_MOST_ONCE, m -> { }, executor))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/#/b");
    assertThatThrownBy(() -> Message.of("a/+", "x")).isInstanceOf(IllegalArgumentException.class);

    Broker stopped = Broker.builder().port(0).build();
    assertThat(stopped.publish(Message.of("t", "x")).toCompletableFuture())
        .failsWithin(Duration.ofSeconds(1)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> stopped.subscribe("t", QoS.AT_MOST_ONCE, m -> { }, executor))
        .isInstanceOf(IllegalStateException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  @Test
  void hostSubscriptionsCanShareAGroupWithNetworkClients() throws Exception {
    Inbox first = new Inbox();
    Inbox second = new Inbox();
    broker.publish(Message.of("jobs/old", "retained").withRetain(true)).toCompletableFuture().join();
    Paho worker = connectPaho("worker");
    worker.client.subscribe("$share/workers/jobs/#", 1);
    try (Subscription a = broker.subscribe("$share/workers/jobs/#", QoS.AT_LEAST_ONCE, first::accept, executor);
        Subscription b = broker.subscribe("$share/workers/jobs/#", QoS.AT_LEAST_ONCE, second::accept, executor)) {
      for (int i = 0; i < 30; i++) {
        broker.publish(Message.of("jobs/" + i, "job " + i).withQos(QoS.AT_LEAST_ONCE)).toCompletableFuture().join();
      }
      await().until(() -> first.messages.size() + second.messages.size() + worker.received.size() == 30);
      // each job went to exactly one member, every member got some, and nobody got the retained one
      List<String> all = new ArrayList<>(first.payloads());
      all.addAll(second.payloads());
      worker.received.forEach(r -> all.add(r.payload()));
      assertThat(all).doesNotHaveDuplicates().hasSize(30).doesNotContain("retained");
      assertThat(first.messages).isNotEmpty();
      assertThat(second.messages).isNotEmpty();
      assertThat(worker.received).isNotEmpty();
    }
  }

  @Test
  void anInvalidSharedSubscriptionIsRefused() {
    assertThatThrownBy(() -> broker.subscribe("$share//jobs", QoS.AT_MOST_ONCE, m -> { }, executor))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
