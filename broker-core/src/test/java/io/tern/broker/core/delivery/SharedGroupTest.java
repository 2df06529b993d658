package io.tern.broker.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.SharedSubscriptionStrategy;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.routing.SharedFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SharedGroupTest {
  private static final SharedFilter FILTER = new SharedFilter("g", "t/#");

  private final FakeMember a = new FakeMember("a", 0);
  private final FakeMember b = new FakeMember("b", 1);
  private final FakeMember c = new FakeMember("c", 0);

  private static SharedGroup group(SharedSubscriptionStrategy strategy, FakeMember... members) {
    SharedGroup group = new SharedGroup(FILTER, strategy);
    for (FakeMember member : members) {
      group.join(member, SubscriptionOptions.of(1, false, false, 0));
    }
    return group;
  }

  private static Message message(String publisher) {
    return Message.of("t/x", "m".getBytes(StandardCharsets.UTF_8), 1, false, Properties.EMPTY, publisher);
  }

  private static List<Subscriber> picks(SharedGroup group, int count, String publisher) {
    List<Subscriber> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SharedGroup.Member member = group.pick(message(publisher), null, true);
      picked.add(member == null ? null : member.subscriber());
    }
    return picked;
  }

  @Test
  void roundRobinGivesConnectedMembersTurnsInJoinOrder() {
    SharedGroup group = group(SharedSubscriptionStrategy.ROUND_ROBIN, a, b, c);

    assertThat(picks(group, 6, "p")).containsExactly(a, b, c, a, b, c);
  }

  @Test
  void anOfflineMemberPassesItsTurnToAConnectedOne() {
    SharedGroup group = group(SharedSubscriptionStrategy.ROUND_ROBIN, a, b, c);
    b.online = false;
    b.keepsMessages = true;

    assertThat(picks(group, 6, "p")).doesNotContain(b).contains(a, c);
  }

  @Test
  void anOfflineMemberThatKeepsMessagesIsChosenOnlyWhenNoMemberIsConnected() {
    SharedGroup group = group(SharedSubscriptionStrategy.ROUND_ROBIN, a, b, c);
    a.online = false;
    b.online = false;
    c.online = false;
    b.keepsMessages = true;

    assertThat(picks(group, 3, "p")).containsOnly(b);
    assertThat(group.pick(message("p"), null, false)).as("offline members not allowed").isNull();
  }

  @Test
  void nobodyIsChosenWhenNoMemberIsConnectedOrKeepsMessages() {
    SharedGroup group = group(SharedSubscriptionStrategy.RANDOM, a, b);
    a.online = false;
    b.online = false;

    assertThat(group.pick(message("p"), null, true)).isNull();
    assertThat(new SharedGroup(FILTER, SharedSubscriptionStrategy.ROUND_ROBIN).pick(message("p"), null, true))
        .isNull();
  }

  @Test
  void theMemberGivingAMessageUpIsNeverChosenForIt() {
    for (SharedSubscriptionStrategy strategy : SharedSubscriptionStrategy.values()) {
      SharedGroup group = group(strategy, a, b);
      for (int i = 0; i < 20; i++) {
        assertThat(group.pick(message("p" + i), a, true).subscriber()).as(strategy.name()).isSameAs(b);
      }
      b.online = false;
      assertThat(group.pick(message("p"), a, true)).as(strategy.name()).isNull();
      b.online = true;
    }
  }

  @Test
  void joiningAgainReplacesTheOptionsAndStaysOneMember() {
    SharedGroup group = group(SharedSubscriptionStrategy.ROUND_ROBIN, a);

    assertThat(group.join(a, SubscriptionOptions.of(2, false, true, 7))).isFalse();

    assertThat(group.members()).hasSize(1);
    assertThat(group.members()[0].options()).isEqualTo(SubscriptionOptions.of(2, false, true, 7));
    assertThat(group.leave(a)).isTrue();
    assertThat(group.leave(a)).isFalse();
    assertThat(group.isEmpty()).isTrue();
  }

  @Test
  void aMembersOptionsForAMessageHaveTheLowerQos_MQTT_4_8_2_3() {
    SharedGroup group = new SharedGroup(FILTER, SharedSubscriptionStrategy.ROUND_ROBIN);
    group.join(a, SubscriptionOptions.of(1, false, true, 9));
    SharedGroup.Member member = group.members()[0];
    Message qos2 = Message.of("t/x", new byte[0], 2, false);
    Message qos0 = Message.of("t/x", new byte[0], 0, false);

    assertThat(member.optionsFor(qos2)).isEqualTo(SubscriptionOptions.of(1, false, true, 9));
    assertThat(member.optionsFor(qos0)).isEqualTo(SubscriptionOptions.of(0, false, true, 9));
  }

  @Test
  void randomSpreadsOverEveryConnectedMember() {
    SharedGroup group = group(SharedSubscriptionStrategy.RANDOM, a, b, c);
    Map<Subscriber, Integer> counts = new HashMap<>();
    for (Subscriber picked : picks(group, 3000, "p")) {
      counts.merge(picked, 1, Integer::sum);
    }

    assertThat(counts).containsOnlyKeys(a, b, c);
    assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(700, 1300));
  }

  @Test
  void stickyKeepsEachPublisherWithOneMemberAndSpreadsPublishers() {
    SharedGroup group = group(SharedSubscriptionStrategy.STICKY_BY_PUBLISHER, a, b, c);
    Map<String, Subscriber> assigned = new HashMap<>();
    for (int p = 0; p < 300; p++) {
      List<Subscriber> picked = picks(group, 5, "publisher-" + p);
      assertThat(picked).as("publisher-" + p).containsOnly(picked.get(0));
      assigned.put("publisher-" + p, picked.get(0));
    }

    assertThat(assigned.values()).contains(a, b, c);
  }

  @Test
  void stickyMovesOnlyThePublishersOfAMemberThatGoesOffline() {
    SharedGroup group = group(SharedSubscriptionStrategy.STICKY_BY_PUBLISHER, a, b, c);
    Map<String, Subscriber> before = new HashMap<>();
    for (int p = 0; p < 300; p++) {
      before.put("publisher-" + p, group.pick(message("publisher-" + p), null, true).subscriber());
    }
    b.online = false;

    before.forEach((publisher, member) -> {
      Subscriber now = group.pick(message(publisher), null, true).subscriber();
      if (member == b) {
        assertThat(now).as(publisher).isIn(a, c);
      } else {
        assertThat(now).as(publisher).isSameAs(member);
      }
    });
  }

  @Test
  void stickyFollowsTheTopicForMessagesWithoutAPublisher() {
    SharedGroup group = group(SharedSubscriptionStrategy.STICKY_BY_PUBLISHER, a, b, c);

    assertThat(picks(group, 10, null)).containsOnly(group.pick(message(null), null, true).subscriber());
  }

  @Test
  void picksDuringConcurrentJoinsAndLeavesAlwaysFindTheStableMember() throws Exception {
    SharedGroup group = group(SharedSubscriptionStrategy.ROUND_ROBIN, a);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Map<Subscriber, AtomicInteger> counts = new ConcurrentHashMap<>();
    Object writeTurn = new Object();
    List<Thread> all = new ArrayList<>();
    // The writer stands for SharedGroups, which changes one group at a time.
    all.add(new Thread(() -> run(failures, start, () -> {
      for (int i = 0; i < 5_000; i++) {
        FakeMember passing = new FakeMember("x" + i, i % 2);
        synchronized (writeTurn) {
          group.join(passing, 1);
        }
        synchronized (writeTurn) {
          group.leave(passing);
        }
      }
    })));
    for (int t = 0; t < threads; t++) {
      all.add(new Thread(() -> run(failures, start, () -> {
        for (int i = 0; i < 20_000; i++) {
          SharedGroup.Member member = group.pick(message("p"), null, true);
          if (member == null) {
            throw new AssertionError("no member while 'a' is always one");
          }
          counts.computeIfAbsent(member.subscriber(), k -> new AtomicInteger()).incrementAndGet();
        }
      })));
    }
    all.forEach(Thread::start);
    for (Thread thread : all) {
      thread.join();
    }

    assertThat(failures).isEmpty();
    assertThat(counts).containsKey(a);
    assertThat(group.members()).extracting(SharedGroup.Member::subscriber).containsExactly(a);
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void run(ConcurrentLinkedQueue<Throwable> failures, CyclicBarrier start, Body body) {
    try {
      start.await();
      body.run();
    } catch (Throwable t) {
      failures.add(t);
    }
  }
}
