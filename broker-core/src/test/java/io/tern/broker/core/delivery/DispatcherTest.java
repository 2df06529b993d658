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
}
