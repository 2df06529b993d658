package io.tern.broker.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.core.Metrics;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.delivery.SharedGroup;
import io.tern.broker.core.delivery.Subscriber;
import io.tern.broker.core.delivery.SubscriptionOptions;
import io.tern.broker.core.hook.Hooks;
import io.tern.broker.core.routing.SharedFilter;
import io.tern.broker.core.transport.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session as a member of a share group, when a message chosen for it arrives after its client
 * went offline or its session ended: the race between the publishing loop's choice and the home
 * loop's state, which real clients cannot produce on demand.
 */
@Timeout(30)
class SharedMemberSessionTest {
  private static final String FILTER = "$share/g/jobs/+";
  private static final int OPTIONS = SubscriptionOptions.of(1, false, false, 0);

  private final EventLoop home = new EventLoop("shared-member-test", 0, 64, 1024);
  private final EventLoop other = new EventLoop("shared-member-test", 1, 64, 1024);
  private final Router router = new Router(new EventLoop[] {home, other}, 1000);
  private final SessionContext context = new SessionContext(32, 100, 1 << 20, 0, new Metrics(),
      new Hooks(List.of(), List.of(), List.of(), List.of(), List.of()), router);
  private final Session member = new Session("member", 0, Session.NEVER_EXPIRES, context);
  private final Recorder otherMember = new Recorder();

  /** Another member, on the other loop, whose state the test sets. */
  private final class Recorder implements Subscriber {
    volatile boolean online = true;
    volatile boolean keepsMessages;
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public int loopIndex() {
      return 1;
    }

    @Override
    public String clientId() {
      return "other";
    }

    @Override
    public boolean online() {
      return online;
    }

    @Override
    public boolean keepsMessages() {
      return keepsMessages;
    }

    @Override
    public void deliver(Message message, int options, int[] identifiers) {
      assertThat(other.inLoop()).isTrue();
      received.add(new String(message.payload(), StandardCharsets.UTF_8));
    }
  }

  @BeforeEach
  void start() {
    router.subscribe(FILTER, member, OPTIONS);
    router.subscribe(FILTER, otherMember, OPTIONS);
    router.dispatcher(0).install();
    router.dispatcher(1).install();
    home.start();
    other.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    home.shutdown();
    other.shutdown();
    home.awaitTermination();
    other.awaitTermination();
  }

  private SharedGroup group() {
    return router.sharedGroups().group(SharedFilter.parse(FILTER));
  }

  private static Message message(String payload) {
    return Message.of("jobs/1", payload.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  private <T> T onHome(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    assertThat(home.execute(() -> result.complete(action.get()))).isTrue();
    return result.get(10, TimeUnit.SECONDS);
  }

  private int queued() throws Exception {
    return onHome(() -> member.describe().queuedMessages());
  }

  @Test
  void aMessageThatFindsItsMemberOfflineGoesToAConnectedMember() throws Exception {
    onHome(() -> {
      member.deliverShared(message("late"), OPTIONS, group());
      return null;
    });

    await().untilAsserted(() -> assertThat(otherMember.received).containsExactly("late"));
    assertThat(queued()).isZero();
  }

  @Test
  void anOfflinePersistentMemberKeepsTheMessageWhenNoMemberIsConnected() throws Exception {
    otherMember.online = false;
    otherMember.keepsMessages = true;

    onHome(() -> {
      member.deliverShared(message("kept"), OPTIONS, group());
      return null;
    });

    assertThat(queued()).isEqualTo(1);
    assertThat(otherMember.received).isEmpty();
  }

  @Test
  void aMessageForAnEndedSessionGoesToAMemberThatKeepsMessagesOffline() throws Exception {
    otherMember.online = false;
    otherMember.keepsMessages = true;

    onHome(() -> {
      router.unsubscribe(FILTER, member);
      member.markDiscarded();
      member.deliverShared(message("orphan"), OPTIONS, group());
      return null;
    });

    await().untilAsserted(() -> assertThat(otherMember.received).containsExactly("orphan"));
  }

  @Test
  void releasingAnOfflineMembersQueueMovesItOnlyToConnectedMembersUnlessItEnds() throws Exception {
    otherMember.online = false;
    otherMember.keepsMessages = true;
    onHome(() -> {
      member.deliverShared(message("one"), OPTIONS, group());
      member.deliverShared(message("two"), OPTIONS, group());
      member.releaseShared(false);
      return null;
    });
    assertThat(queued()).as("no connected member to take them").isEqualTo(2);

    onHome(() -> {
      member.releaseShared(true);
      return null;
    });

    await().untilAsserted(() -> assertThat(otherMember.received).containsExactly("one", "two"));
    assertThat(queued()).isZero();
  }
}
