package io.tern.broker.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.core.routing.SharedFilter;
import io.tern.broker.core.transport.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dispatcher with share groups whose members live on two loops. */
@Timeout(30)
class SharedDispatchTest {
  private final EventLoop publishing = new EventLoop("shared-dispatch-test", 0, 64, 1024);
  private final EventLoop other = new EventLoop("shared-dispatch-test", 1, 4, 1024);
  private final Router router = new Router(new EventLoop[] {publishing, other}, 1000);
  private final FakeMember local = new FakeMember("local", 0);
  private final FakeMember remote = new FakeMember("remote", 1);

  private boolean started;

  @AfterEach
  void stop() throws InterruptedException {
    if (!started) {
      publishing.closeUnstarted();
      other.closeUnstarted();
      return;
    }
    publishing.shutdown();
    other.shutdown();
    publishing.awaitTermination();
    other.awaitTermination();
  }

  private void start() {
    local.loop = publishing;
    remote.loop = other;
    router.dispatcher(0).install();
    router.dispatcher(1).install();
    publishing.start();
    other.start();
    started = true;
  }

  private void publish(List<String> payloads) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    publishing.execute(() -> {
      for (String payload : payloads) {
        router.dispatcher(0).publish(Message.of("jobs/1", payload.getBytes(StandardCharsets.UTF_8), 1, false), null);
      }
      done.countDown();
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void eachMessageReachesOneMemberAcrossLoopsAndOrdinarySubscribersStillGetEvery() throws Exception {
    router.subscribe("$share/g/jobs/+", local, 1);
    router.subscribe("$share/g/jobs/+", remote, 1);
    FakeMember watcher = new FakeMember("watcher", 1);
    router.subscribe("jobs/#", watcher, 1);
    start();
    List<String> sent = IntStream.range(0, 100).mapToObj(Integer::toString).toList();

    publish(sent);

    await().untilAsserted(() -> assertThat(watcher.received).containsExactlyElementsOf(sent));
    await().untilAsserted(() -> assertThat(union(local.shared, remote.shared))
        .containsExactlyInAnyOrderElementsOf(sent));
    assertThat(local.shared).hasSize(50);
    assertThat(remote.shared).hasSize(50);
    assertThat(local.received).isEmpty();
  }

  @Test
  void aMemberWithItsOwnSubscriptionTooGetsBothCopies() throws Exception {
    router.subscribe("$share/g/jobs/+", remote, 1);
    router.subscribe("jobs/1", remote, 1);
    router.subscribe("$share/other/jobs/#", remote, 1);
    start();

    publish(List.of("one"));

    await().untilAsserted(() -> assertThat(remote.shared).containsExactly("one", "one"));
    await().untilAsserted(() -> assertThat(remote.received).containsExactly("one"));
  }

  @Test
  void aGroupWithoutAnyoneToTakeItDropsTheMessage() throws Exception {
    router.subscribe("$share/g/jobs/+", remote, 1);
    remote.online = false;
    FakeMember watcher = new FakeMember("watcher", 1);
    router.subscribe("jobs/1", watcher, 1);
    start();

    publish(List.of("one", "two"));

    await().untilAsserted(() -> assertThat(watcher.received).containsExactly("one", "two"));
    assertThat(remote.shared).isEmpty();
  }

  @Test
  void messagesPassedOnToAFullLoopWaitInOrderAndNoneIsLost() throws Exception {
    router.subscribe("$share/g/jobs/+", local, 1);
    router.subscribe("$share/g/jobs/+", remote, 1);
    local.loop = publishing;
    remote.loop = other;
    router.dispatcher(0).install();
    router.dispatcher(1).install();
    List<String> sent = IntStream.range(0, 20).mapToObj(Integer::toString).toList();

    // The other loop is not running yet, so its inbox of four fills after four commands.
    publishing.start();
    CountDownLatch passed = new CountDownLatch(1);
    publishing.execute(() -> {
      SharedRedirects redirects = router.dispatcher(0).redirects();
      SharedGroup group = router.sharedGroups().group(SharedFilter.parse("$share/g/jobs/+"));
      for (String payload : sent) {
        assertThat(redirects.offer(Message.of("jobs/1", payload.getBytes(StandardCharsets.UTF_8), 1, false), group,
            local, false)).isTrue();
        redirects.flush();
      }
      passed.countDown();
    });
    assertThat(passed.await(10, TimeUnit.SECONDS)).isTrue();
    other.start();
    started = true;

    await().untilAsserted(() -> assertThat(remote.shared).containsExactlyElementsOf(sent));
    assertThat(local.shared).isEmpty();
  }

  @Test
  void unsubscribingTheLastMemberRemovesTheGroup() {
    router.subscribe("$share/g/jobs/+", local, 1);
    assertThat(router.sharedGroups().group(SharedFilter.parse("$share/g/jobs/+"))).isNotNull();

    assertThat(router.unsubscribe("$share/g/jobs/+", local)).isTrue();

    assertThat(router.sharedGroups().size()).isZero();
    assertThat(router.subscriptions().subscriptionCount()).isZero();
  }

  private static List<String> union(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
