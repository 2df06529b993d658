package io.tern.broker.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TopicTrieConcurrencyTest {

  private static final int WRITERS = 4;
  private static final int READERS = 4;
  private static final int ROUNDS = 2_000;

  @Test
  void concurrentWritersAndReadersEndInTheExpectedState() throws Exception {
    TopicTrie<String> trie = new TopicTrie<>();
    // A stable subscription every reader must always see, whatever the writers are doing.
    trie.subscribe("room/+/temp", "stable", 1);
    CyclicBarrier start = new CyclicBarrier(WRITERS + READERS);
    AtomicBoolean writersDone = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> writers = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();

    for (int w = 0; w < WRITERS; w++) {
      String me = "writer" + w;
      writers.add(thread(failures, () -> {
        start.await();
        for (int i = 0; i < ROUNDS; i++) {
          String filter = "room/" + (i % 50) + "/temp";
          trie.subscribe(filter, me, 0);
          trie.subscribe("room/#", me, 2);
          if (!trie.unsubscribe(filter, me)) {
            throw new AssertionError(me + " lost its own subscription to " + filter);
          }
          if (i % 2 == 0) {
            trie.unsubscribe("room/#", me);
          }
        }
        // Leave exactly one known subscription behind per writer.
        trie.subscribe("room/" + me + "/temp", me, 1);
        trie.unsubscribe("room/#", me);
      }));
    }
    for (int r = 0; r < READERS; r++) {
      readers.add(thread(failures, () -> {
        start.await();
        int[] stable = new int[1];
        long iterations = 0;
        // Bounded: stop once writers are done, but always do a minimum amount of reading.
        while (iterations < 10_000 || (!writersDone.get() && iterations < 10_000_000)) {
          stable[0] = 0;
          trie.match("room/" + (iterations % 50) + "/temp", (subscriber, qos) -> {
            if (subscriber.equals("stable")) {
              stable[0]++;
            } else if (!subscriber.startsWith("writer")) {
              throw new AssertionError("unexpected subscriber " + subscriber);
            }
          });
          if (stable[0] != 1) {
            throw new AssertionError("stable subscription seen " + stable[0] + " times");
          }
          iterations++;
        }
      }));
    }

    writers.forEach(Thread::start);
    readers.forEach(Thread::start);
    for (Thread writer : writers) {
      writer.join();
    }
    writersDone.set(true);
    for (Thread reader : readers) {
      reader.join();
    }

    assertThat(failures).isEmpty();
    assertThat(trie.subscriptionCount()).isEqualTo(1 + WRITERS);
    // root, room, +, +/temp, and per writer: room/<writer>, room/<writer>/temp
    assertThat(trie.nodeCount()).isEqualTo(4 + 2 * WRITERS);
    for (int w = 0; w < WRITERS; w++) {
      List<String> seen = new ArrayList<>();
      trie.match("room/writer" + w + "/temp", (subscriber, qos) -> seen.add(subscriber + ":" + qos));
      assertThat(seen).containsExactlyInAnyOrder("stable:1", "writer" + w + ":1");
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Thread thread(ConcurrentLinkedQueue<Throwable> failures, Body body) {
    return new Thread(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        failures.add(t);
      }
    });
  }
}
