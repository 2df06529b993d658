package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.message.QoS;
import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.StoredMessage;
import io.tern.broker.spi.store.StoredSession;
import io.tern.broker.spi.store.StoredSubscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FileStoreTest {
  @TempDir
  Path dir;

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private FileStore open(long compactionBytes) throws IOException {
    FileStore store = new FileStore(LogConfig.of(dir).withSegmentBytes(4096), compactionBytes);
    store.open();
    return store;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void sessionsSubscriptionsAndRetainedMessagesSurviveAReopen() throws Exception {
    byte[] properties = {0x01, 0x01};
    try (FileStore store = open(FileStore.DEFAULT_COMPACTION_BYTES)) {
      get(store.sessions().putSession("a", 120, 1_700_000_000_000L));
      get(store.sessions().putSubscription("a", new StoredSubscription("x/+", QoS.AT_LEAST_ONCE, true, false, 7)));
      get(store.sessions().putSubscription("a", new StoredSubscription("gone", QoS.AT_MOST_ONCE)));
      get(store.sessions().removeSubscription("a", "gone"));
      get(store.sessions().createSession("b"));
      get(store.sessions().putSession("c", 60, 0));
      get(store.sessions().removeSession("c"));
      get(store.retained().put(new RetainedMessage("r/1", bytes("kept"), QoS.EXACTLY_ONCE, properties, 5)));
      get(store.retained().put(new RetainedMessage("r/2", bytes("cleared"), QoS.AT_MOST_ONCE)));
      get(store.retained().remove("r/2"));
    }

    try (FileStore store = open(FileStore.DEFAULT_COMPACTION_BYTES)) {
      assertThat(get(store.sessions().loadAll())).containsExactlyInAnyOrder(
          new StoredSession("a", List.of(new StoredSubscription("x/+", QoS.AT_LEAST_ONCE, true, false, 7)), 120,
              1_700_000_000_000L),
          new StoredSession("b", List.of()));
      assertThat(get(store.retained().loadAll())).containsExactly(
          new RetainedMessage("r/1", bytes("kept"), QoS.EXACTLY_ONCE, properties, 5));
    }
  }

  @Test
  void messagesSurviveAReopenInOrderWithTheirPacketIdsUntilRemoved() throws Exception {
    byte[] properties = {0x01, 0x01, 0x0B, 0x07}; // Payload Format Indicator 1, Subscription Identifier 7
    StoredMessage queued = new StoredMessage(2, "t/q", bytes("queued"), QoS.EXACTLY_ONCE, true, properties,
        1_700_000_000_000L, 0);
    try (FileStore store = open(FileStore.DEFAULT_COMPACTION_BYTES)) {
      get(store.sessions().putSession("a", 120, 0));
      get(store.sessions().putMessage("a", new StoredMessage(1, "t/s", bytes("sent"), QoS.AT_LEAST_ONCE, false,
          new byte[0], 5, 0)));
      get(store.sessions().putMessage("a", queued));
      get(store.sessions().putMessage("a", new StoredMessage(3, "t/a", bytes("acked"), QoS.AT_LEAST_ONCE, false,
          new byte[0], 5, 4)));
      get(store.sessions().messageSent("a", 1, 41));
      get(store.sessions().removeMessage("a", 3));
      get(store.sessions().putSession("gone", 60, 0));
      get(store.sessions().putMessage("gone", queued));
      get(store.sessions().removeSession("gone"));
    }

    try (FileStore store = open(FileStore.DEFAULT_COMPACTION_BYTES)) {
      assertThat(get(store.sessions().loadAll())).singleElement().satisfies(session -> {
        assertThat(session.clientId()).isEqualTo("a");
        assertThat(session.messages()).containsExactly(
            new StoredMessage(1, "t/s", bytes("sent"), QoS.AT_LEAST_ONCE, false, new byte[0], 5, 41), queued);
      });
    }
  }

  @Test
  void messagesSurviveACompaction() throws Exception {
    try (FileStore store = open(1)) {
      get(store.sessions().putSession("a", 120, 0));
      for (int i = 1; i <= 200; i++) {
        get(store.sessions().putMessage("a", new StoredMessage(i, "t", new byte[100], QoS.AT_LEAST_ONCE, false,
            new byte[0], 5, 0)));
        get(store.sessions().messageSent("a", i, i));
        if (i % 10 != 0) {
          get(store.sessions().removeMessage("a", i));
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> store.log().diskBytes() < 20_000);
    }

    try (FileStore store = open(FileStore.DEFAULT_COMPACTION_BYTES)) {
      List<StoredMessage> messages = get(store.sessions().loadAll()).iterator().next().messages();
      assertThat(messages).extracting(StoredMessage::messageId)
          .containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L, 110L, 120L, 130L, 140L, 150L, 160L,
              170L, 180L, 190L, 200L);
      assertThat(messages).extracting(StoredMessage::packetId).startsWith(10, 20);
    }
  }

  @Test
  void stagesCompleteOnTheWriterThreadOnceDurable() throws Exception {
    AtomicReference<String> thread = new AtomicReference<>();
    try (FileStore store = new FileStore(LogConfig.of(dir).withThreadName("store-writer-under-test"))) {
      store.open();
      CompletableFuture<Void> done = store.sessions().putSession("a", 60, 0).toCompletableFuture()
          .whenComplete((v, e) -> thread.set(Thread.currentThread().getName()));
      get(done);
    }
    // Completed before close forced anything more: the record was durable when the stage completed.
    assertThat(thread.get()).isIn("store-writer-under-test", Thread.currentThread().getName());
    assertThat(DurableLogTest.replay(LogConfig.of(dir))).containsExactly(new LogRecord.Session("a", 60, 0));
  }

  @Test
  void clearingATopicWithoutARetainedMessageWritesNothing() throws Exception {
    try (FileStore store = open(FileStore.DEFAULT_COMPACTION_BYTES)) {
      get(store.retained().remove("never/retained"));
      get(store.sessions().removeSession("never-connected"));
    }
    assertThat(DurableLogTest.replay(LogConfig.of(dir))).isEmpty();
  }

  @Test
  void churnIsCompactedAndTheStateSurvivesEveryReopen() throws Exception {
    long threshold = 32 * 1024;
    for (int round = 0; round < 3; round++) {
      try (FileStore store = open(threshold)) {
        assertThat(get(store.retained().loadAll())).hasSize(round == 0 ? 0 : 10);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
          // The same ten topics over and over: almost every record is dead soon after it is written.
          writes.add(store.retained().put(new RetainedMessage("t/" + (i % 10), bytes("round " + round + " #" + i),
              QoS.AT_LEAST_ONCE)).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        int lastRound = round;
        // About 350 KB were written; compaction keeps the files near the threshold.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(store.log().diskBytes()).isLessThan(threshold * 3));
        assertThat(DurableLogTest.files(dir, ".snap")).isNotEmpty();
        Collection<RetainedMessage> live = get(store.retained().loadAll());
        assertThat(live).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
            .allMatch(payload -> payload.startsWith("round " + lastRound + " #79"));
      }
      try (FileStore reopened = open(threshold)) {
        assertThat(get(reopened.retained().loadAll())).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
            .hasSize(10).allMatch(payload -> payload.startsWith("round "));
      }
    }
  }

  @Test
  void anUnwritableDirectoryFailsTheOpenNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    FileStore store = new FileStore(LogConfig.of(file.resolve("data")));

    assertThatThrownBy(store::open).isInstanceOf(IOException.class).hasMessageContaining(file.toString());
    store.close();
  }

  @Test
  void callsBeforeOpenFail() {
    FileStore store = new FileStore(LogConfig.of(dir));

    assertThatThrownBy(() -> get(store.sessions().loadAll())).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> get(store.retained().put(new RetainedMessage("t", bytes("x"), QoS.AT_MOST_ONCE))))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
  }
}
