package io.tern.broker.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicTrieTest {

  private final TopicTrie<String> trie = new TopicTrie<>();

  @Test
  void overlappingFiltersAreReportedOncePerPair() {
    trie.subscribe("sport/#", "alice", 0);
    trie.subscribe("sport/+", "alice", 2);
    trie.subscribe("sport/tennis", "alice", 1);
    trie.subscribe("sport/tennis", "bob", 1);
    trie.subscribe("news/#", "carol", 1);

    assertThat(matches("sport/tennis"))
        .containsExactlyInAnyOrder("alice:0", "alice:2", "alice:1", "bob:1");
  }

  @Test
  void dollarTopicsNotMatchedByLeadingWildcard_MQTT_4_7_2_1() {
    trie.subscribe("#", "everything", 0);
    trie.subscribe("+/monitor/Clients", "plus", 0);
    trie.subscribe("$SYS/#", "sys", 0);
    trie.subscribe("$SYS/monitor/+", "sysPlus", 0);

    assertThat(matches("$SYS/monitor/Clients")).containsExactlyInAnyOrder("sys:0", "sysPlus:0");
    assertThat(matches("x/monitor/Clients"))
        .containsExactlyInAnyOrder("everything:0", "plus:0");
  }

  @Test
  void multiLevelWildcardMatchesParentAndChildren_MQTT_4_7_1_2() {
    trie.subscribe("sport/#", "alice", 1);

    assertThat(matches("sport")).containsExactly("alice:1");
    assertThat(matches("sport/")).containsExactly("alice:1");
    assertThat(matches("sport/a/b")).containsExactly("alice:1");
    assertThat(matches("sportsman")).isEmpty();
  }

  @Test
  void singleLevelWildcardMatchesExactlyOneLevel_MQTT_4_7_1_3() {
    trie.subscribe("sport/+", "alice", 1);

    assertThat(matches("sport")).isEmpty();
    assertThat(matches("sport/")).containsExactly("alice:1");
    assertThat(matches("sport/tennis")).containsExactly("alice:1");
    assertThat(matches("sport/tennis/player1")).isEmpty();
  }

  @Test
  void resubscribingReplacesQosInsteadOfAddingAPair() {
    assertThat(trie.subscribe("a/b", "alice", 0)).isTrue();
    assertThat(trie.subscribe("a/b", "alice", 2)).isFalse();

    assertThat(trie.subscriptionCount()).isEqualTo(1);
    assertThat(matches("a/b")).containsExactly("alice:2");
  }

  @Test
  void subscribersAreComparedWithEquals() {
    trie.subscribe("a", new String("alice"), 0);

    assertThat(trie.subscribe("a", new String("alice"), 1)).isFalse();
    assertThat(trie.unsubscribe("a", new String("alice"))).isTrue();
    assertThat(trie.subscriptionCount()).isZero();
  }

  @Test
  void unsubscribeRemovesOnlyThatPair() {
    trie.subscribe("a/+", "alice", 1);
    trie.subscribe("a/+", "bob", 1);
    trie.subscribe("a/b", "alice", 1);

    assertThat(trie.unsubscribe("a/+", "alice")).isTrue();

    assertThat(matches("a/b")).containsExactlyInAnyOrder("bob:1", "alice:1");
    assertThat(trie.subscriptionCount()).isEqualTo(2);
  }

  @Test
  void unsubscribeOfUnknownPairReportsFalseAndChangesNothing() {
    trie.subscribe("a/b", "alice", 1);
    long generation = trie.generation();
    int nodes = trie.nodeCount();

    assertThat(trie.unsubscribe("a/b", "bob")).isFalse();
    assertThat(trie.unsubscribe("a/c", "alice")).isFalse();
    assertThat(trie.unsubscribe("a/b/c", "alice")).isFalse();
    assertThat(trie.unsubscribe("a", "alice")).isFalse();

    assertThat(trie.generation()).isEqualTo(generation);
    assertThat(trie.nodeCount()).isEqualTo(nodes);
    assertThat(trie.subscriptionCount()).isEqualTo(1);
  }

  @Test
  void unsubscribePrunesEmptyNodesButKeepsUsedAncestors() {
    trie.subscribe("a", "alice", 0);
    trie.subscribe("a/b/c/d", "alice", 0);
    trie.subscribe("a/+/#", "bob", 0);
    assertThat(trie.nodeCount()).isEqualTo(1 + 1 + 3 + 2);

    trie.unsubscribe("a/b/c/d", "alice");
    assertThat(trie.nodeCount()).isEqualTo(1 + 1 + 2);

    trie.unsubscribe("a/+/#", "bob");
    assertThat(trie.nodeCount()).isEqualTo(2);

    trie.unsubscribe("a", "alice");
    assertThat(trie.nodeCount()).isEqualTo(1);
    assertThat(trie.subscriptionCount()).isZero();
  }

  @Test
  void churnDoesNotGrowTheTrie() {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 500; i++) {
        trie.subscribe("clients/" + i + "/#", "c" + i, 1);
        trie.subscribe("clients/" + i + "/+/status", "c" + i, 1);
      }
      assertThat(trie.subscriptionCount()).isEqualTo(1000);
      for (int i = 0; i < 500; i++) {
        assertThat(trie.unsubscribe("clients/" + i + "/#", "c" + i)).isTrue();
        assertThat(trie.unsubscribe("clients/" + i + "/+/status", "c" + i)).isTrue();
      }
      assertThat(trie.subscriptionCount()).isZero();
      assertThat(trie.nodeCount()).isEqualTo(1);
    }
  }

  @Test
  void generationIncreasesOnEveryChangeOnly() {
    long g0 = trie.generation();
    trie.subscribe("a", "alice", 0);
    long g1 = trie.generation();
    trie.subscribe("a", "alice", 1);
    long g2 = trie.generation();
    trie.subscribe("a", "alice", 1);
    long g3 = trie.generation();
    trie.unsubscribe("a", "bob");
    long g4 = trie.generation();
    trie.unsubscribe("a", "alice");
    long g5 = trie.generation();

    assertThat(g1).isGreaterThan(g0);
    assertThat(g2).as("QoS replaced").isGreaterThan(g1);
    assertThat(g3).as("identical resubscribe").isEqualTo(g2);
    assertThat(g4).as("unknown unsubscribe").isEqualTo(g3);
    assertThat(g5).isGreaterThan(g4);
  }

  @Test
  void wideLevelsAreLookedUpByExactRegion() {
    // Enough siblings to force several table resizes and hash collisions in the probe sequence.
    for (int i = 0; i < 2_000; i++) {
      trie.subscribe("devices/d" + i + "/state", "s" + i, i % 3);
    }
    trie.subscribe("devices/d1", "prefixOnly", 0);

    for (int i = 0; i < 2_000; i += 97) {
      assertThat(matches("devices/d" + i + "/state")).containsExactly("s" + i + ":" + (i % 3));
    }
    assertThat(matches("devices/d2000/state")).isEmpty();
    assertThat(matches("devices/d1/state/x")).isEmpty();
    assertThat(matches("devices/d1")).containsExactly("prefixOnly:0");
  }

  @Test
  void matchingDoesNotAllocate() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    for (int i = 0; i < 100; i++) {
      trie.subscribe("sport/" + i + "/+", "s" + i, 1);
    }
    trie.subscribe("sport/#", "all", 1);
    trie.subscribe("+/+/score", "scores", 1);
    long[] hits = new long[1];
    MatchConsumer<String> counter = (subscriber, qos) -> hits[0] += qos;
    String topic = "sport/42/score";
    for (int i = 0; i < 20_000; i++) {
      trie.match(topic, counter);
    }

    long threadId = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(threadId);
    for (int i = 0; i < 20_000; i++) {
      trie.match(topic, counter);
    }
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;

    assertThat(hits[0]).isEqualTo(40_000L * 3);
    // A single allocation per match would already be hundreds of kilobytes; leave room for the
    // measurement's own overhead.
    assertThat(allocated).isLessThan(16 * 1024);
  }

  private List<String> matches(String topic) {
    List<String> result = new ArrayList<>();
    trie.match(topic, (subscriber, qos) -> result.add(subscriber + ":" + qos));
    return result;
  }}
