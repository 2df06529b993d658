package io.tern.broker.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class RetainedIndexTest {

  private final RetainedIndex<String> index = new RetainedIndex<>();

  @Test
  void putReplacesAndRemoveReportsPresence() {
    index.put("a/b", "one");
    index.put("a/b", "two");

    assertThat(index.get("a/b")).isEqualTo("two");
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.remove("a/b")).isTrue();
    assertThat(index.remove("a/b")).isFalse();
    assertThat(index.get("a/b")).isNull();
    assertThat(index.size()).isZero();
  }

  @Test
  void filterWithoutWildcardsIsAnExactLookup() {
    index.put("a/b", "ab");
    index.put("a/b/c", "abc");

    assertThat(matching("a/b")).containsExactly("ab");
    assertThat(matching("a")).isEmpty();
  }

  @Test
  void wildcardFiltersWalkTheLevels() {
    index.put("sport", "sport");
    index.put("sport/", "sport/");
    index.put("sport/tennis", "tennis");
    index.put("sport/tennis/player1", "player1");
    index.put("sport/golf/player1", "golfer");
    index.put("news", "news");

    assertThat(matching("sport/#"))
        .containsExactlyInAnyOrder("sport", "sport/", "tennis", "player1", "golfer");
    assertThat(matching("sport/+")).containsExactlyInAnyOrder("sport/", "tennis");
    assertThat(matching("sport/+/player1")).containsExactlyInAnyOrder("player1", "golfer");
    assertThat(matching("+")).containsExactlyInAnyOrder("sport", "news");
    assertThat(matching("#")).hasSize(6);
  }

  @Test
  void dollarTopicsNotMatchedByLeadingWildcard_MQTT_4_7_2_1() {
    index.put("$SYS/broker/uptime", "uptime");
    index.put("$SYS", "sys");
    index.put("app/$state", "state");

    assertThat(matching("#")).containsExactly("state");
    assertThat(matching("+/broker/uptime")).isEmpty();
    assertThat(matching("+")).isEmpty();
    assertThat(matching("$SYS/#")).containsExactlyInAnyOrder("sys", "uptime");
    assertThat(matching("$SYS/+/uptime")).containsExactly("uptime");
    assertThat(matching("app/+")).containsExactly("state");
  }

  @Test
  void removalPrunesEmptyBranches() {
    index.put("a/b/c", "abc");
    index.put("a", "a");
    index.put("x/y", "xy");
    assertThat(index.levelCount()).isEqualTo(1 + 3 + 2);

    index.remove("a/b/c");
    assertThat(index.levelCount()).isEqualTo(1 + 1 + 2);
    index.remove("x/y");
    index.remove("a");
    assertThat(index.levelCount()).isEqualTo(1);
    assertThat(matching("#")).isEmpty();
  }

  @Test
  void forEachVisitsEveryTopic() {
    index.put("a", "1");
    index.put("b/c", "2");
    Map<String, String> seen = new TreeMap<>();

    index.forEach(seen::put);

    assertThat(seen).containsExactly(Map.entry("a", "1"), Map.entry("b/c", "2"));
  }

  @Test
  void concurrentPutsAndRemovesLeaveTreeAndMapConsistent() throws Exception {
    int threads = 6;
    int rounds = 3_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      workers.add(new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < rounds; i++) {
            // Threads share topics so puts and removes of the same topic race each other.
            String topic = "t/" + (i % 20) + "/" + ((i + me) % 3);
            if ((i + me) % 2 == 0) {
              index.put(topic, topic);
            } else {
              index.remove(topic);
            }
            index.forEachMatching("t/+/#", message -> {
              if (!message.startsWith("t/")) {
                throw new AssertionError("unexpected " + message);
              }
            });
          }
          index.put("final/" + me, "final/" + me);
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    workers.forEach(Thread::start);
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(failures).isEmpty();
    Map<String, String> byMap = new TreeMap<>();
    index.forEach(byMap::put);
    List<String> byTree = matching("#");
    assertThat(byTree).containsExactlyInAnyOrderElementsOf(byMap.values());
    assertThat(matching("final/+")).hasSize(threads);

    byMap.keySet().forEach(index::remove);
    assertThat(index.size()).isZero();
    assertThat(index.levelCount()).as("all branches pruned").isEqualTo(1);
  }

  private List<String> matching(String filter) {
    List<String> result = new ArrayList<>();
    index.forEachMatching(filter, result::add);
    return result;
  }
}
