package io.tern.broker.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.SharedSubscriptionStrategy;
import io.tern.broker.core.routing.SharedFilter;
import io.tern.broker.core.routing.TopicTrie;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SharedGroupsTest {
  private final TopicTrie<Subscriber> trie = new TopicTrie<>();
  private final SharedGroups groups = new SharedGroups(trie, SharedSubscriptionStrategy.ROUND_ROBIN);
  private final SharedFilter workers = new SharedFilter("workers", "jobs/+");
  private final FakeMember a = new FakeMember("a", 0);
  private final FakeMember b = new FakeMember("b", 1);

  private List<Subscriber> matches(String topic) {
    List<Subscriber> found = new ArrayList<>();
    trie.match(topic, (subscriber, options) -> found.add(subscriber));
    return found;
  }

  @Test
  void aGroupStandsInTheTrieOnceUnderItsFilterWhateverItsMembers() {
    assertThat(groups.join(workers, a, 1)).isTrue();
    assertThat(groups.join(workers, b, 2)).isTrue();

    assertThat(trie.subscriptionCount()).isEqualTo(1);
    assertThat(matches("jobs/1")).containsExactly(groups.group(workers));
    assertThat(matches("$share/workers/jobs/1")).isEmpty();
    assertThat(groups.group(workers).members()).extracting(SharedGroup.Member::subscriber).containsExactly(a, b);
  }

  @Test
  void subscribingAgainKeepsOneMembership() {
    groups.join(workers, a, 1);

    assertThat(groups.join(workers, a, 2)).isFalse();
    assertThat(groups.group(workers).members()).hasSize(1);
    assertThat(groups.leave(workers, a)).isTrue();
    assertThat(groups.group(workers)).isNull();
  }

  @Test
  void theGroupEndsWithItsLastMember() {
    groups.join(workers, a, 1);
    groups.join(workers, b, 1);

    assertThat(groups.leave(workers, a)).isTrue();
    assertThat(matches("jobs/1")).hasSize(1);
    assertThat(groups.leave(workers, b)).isTrue();

    assertThat(matches("jobs/1")).isEmpty();
    assertThat(trie.subscriptionCount()).isZero();
    assertThat(groups.size()).isZero();
    assertThat(groups.leave(workers, b)).isFalse();
  }

  @Test
  void groupsWithOtherNamesOrFiltersAreSeparate() {
    SharedFilter otherName = new SharedFilter("auditors", "jobs/+");
    SharedFilter otherFilter = new SharedFilter("workers", "jobs/#");
    groups.join(workers, a, 1);
    groups.join(otherName, a, 1);
    groups.join(otherFilter, b, 1);

    assertThat(groups.size()).isEqualTo(3);
    assertThat(matches("jobs/1")).containsExactlyInAnyOrder(groups.group(workers), groups.group(otherName),
        groups.group(otherFilter));
  }

  @Test
  void concurrentJoinsAndLeavesLeaveNoEmptyGroupInTheTrie() throws Exception {
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      FakeMember me = new FakeMember("m" + t, t % 2);
      all.add(new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < 5_000; i++) {
            groups.join(workers, me, 1);
            if (!groups.leave(workers, me)) {
              throw new AssertionError(me + " lost its membership");
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    all.forEach(Thread::start);
    for (Thread thread : all) {
      thread.join();
    }

    assertThat(failures).isEmpty();
    assertThat(groups.size()).isZero();
    assertThat(trie.subscriptionCount()).isZero();
    assertThat(matches("jobs/1")).isEmpty();
  }
}
