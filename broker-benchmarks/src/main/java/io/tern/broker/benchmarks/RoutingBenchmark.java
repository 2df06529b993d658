package io.tern.broker.benchmarks;

import io.tern.broker.core.delivery.Dispatcher;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.delivery.Subscriber;
import io.tern.broker.core.delivery.SubscriptionOptions;
import io.tern.broker.core.transport.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Routing a published message through a {@link Router}'s {@link Dispatcher} to every matching
 * subscriber, on one event loop: the match, the per-subscriber dedupe and QoS merge, and one
 * {@link Subscriber#deliver} call per subscriber. Sessions, encoding and sockets are left out; the
 * subscribers only count what they get.
 *
 * <p>The dispatcher runs on the loop's own thread, as in the broker. Each benchmark call hands the
 * loop one task that publishes {@value #PUBLISHES} messages and waits for it, so the hand-over
 * (a wakeup of the loop) is spread over that many publishes; the figure is time per publish. Half
 * the subscribers use the exact topic and half {@code sensors/+/temp}. A task that sees a
 * delivery count other than {@code PUBLISHES * subscribers} fails the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RoutingBenchmark {
  static final int PUBLISHES = 1000;
  private static final String TOPIC = "sensors/room-1/temp";

  @Param({"1", "100", "10000"})
  public int subscribers;

  private EventLoop loop;
  private Dispatcher dispatcher;
  private Message message;
  private final Counting counting = new Counting();
  private long expected;

  /** Every subscriber shares one counter; it is read and written on the loop thread only. */
  static final class Counting {
    long deliveries;
  }

  record CountingSubscriber(int id, Counting counting) implements Subscriber {
    @Override
    public int loopIndex() {
      return 0;
    }

    @Override
    public String clientId() {
      return "subscriber-" + id;
    }

    @Override
    public void deliver(Message message, int options, int[] identifiers) {
      counting.deliveries++;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    loop = new EventLoop("bench", 0, 1024, 16 * 1024);
    Router router = new Router(new EventLoop[] {loop}, 1000);
    dispatcher = router.dispatcher(0);
    for (int i = 0; i < subscribers; i++) {
      String filter = i % 2 == 0 ? TOPIC : "sensors/+/temp";
      router.subscribe(filter, new CountingSubscriber(i, counting), SubscriptionOptions.ofQos(1));
    }
    message = Message.of(TOPIC, new byte[64], 1, false);
    expected = (long) PUBLISHES * subscribers;
    loop.start();
    CountDownLatch installed = new CountDownLatch(1);
    if (!loop.execute(() -> {
      dispatcher.install();
      installed.countDown();
    })) {
      throw new IllegalStateException("the loop refused the set-up task");
    }
    installed.await();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    loop.shutdown();
    loop.awaitTermination();
  }

  @Benchmark
  @OperationsPerInvocation(PUBLISHES)
  public void publish() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    long[] delivered = new long[1];
    if (!loop.execute(() -> {
      long before = counting.deliveries;
      for (int i = 0; i < PUBLISHES; i++) {
        dispatcher.publish(message, null);
      }
      delivered[0] = counting.deliveries - before;
      done.countDown();
    })) {
      throw new IllegalStateException("the loop refused the task");
    }
    done.await();
    if (delivered[0] != expected) {
      throw new IllegalStateException("delivered " + delivered[0] + ", expected " + expected);
    }
  }
}
