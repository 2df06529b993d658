package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GroupCommitTest {
  private static final int PRODUCERS = 8;
  private static final int PER_PRODUCER = 50;

  @TempDir
  Path dir;

  private final ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);

  @AfterEach
  void stop() {
    producers.shutdownNow();
  }

  @Test
  void appendsQueuedDuringAForceShareTheNextOneAndNoneCompletesBeforeIt() throws Exception {
    InstrumentedIo io = new InstrumentedIo();
    try (DurableLog log = DurableLog.open(LogConfig.of(dir).withIo(io), (r, s) -> { })) {
      InstrumentedIo.Gate gate = io.holdNextForce();
      CompletableFuture<Long> first = log.append(Records.message("first", 0));
      gate.awaitEntered();
      int forcesBefore = io.forces.get();

      // While the device is busy with the first force, eight threads append concurrently.
      List<CompletableFuture<Long>> grouped = new CopyOnWriteArrayList<>();
      CountDownLatch appended = new CountDownLatch(PRODUCERS);
      for (int p = 0; p < PRODUCERS; p++) {
        String client = "producer-" + p;
        producers.execute(() -> {
          for (int i = 0; i < PER_PRODUCER; i++) {
            grouped.add(log.append(Records.message(client, i)));
          }
          appended.countDown();
        });
      }
      assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(first).isNotDone();
      assertThat(grouped).hasSize(PRODUCERS * PER_PRODUCER).noneMatch(CompletableFuture::isDone);

      gate.open();
      CompletableFuture.allOf(grouped.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(first).isCompleted();
      // One force for the first append, one for all 400 that waited behind it.
      assertThat(io.forces.get() - forcesBefore).isEqualTo(2);
    }
  }

  @Test
  void batchModeCompletesOnWriteAndForcesOnlyOnTheInterval() throws Exception {
    InstrumentedIo io = new InstrumentedIo();
    LogConfig lazy = LogConfig.of(dir).withIo(io).withDurability(Durability.BATCH)
        .withBatchInterval(Duration.ofHours(1));
    try (DurableLog log = DurableLog.open(lazy, (r, s) -> { })) {
      int forcesBefore = io.forces.get();
      for (int i = 0; i < 100; i++) {
        log.append(Records.message("c", i)).get(10, TimeUnit.SECONDS);
      }
      assertThat(io.forces.get()).isEqualTo(forcesBefore);
    }
    // Closing forces what the interval had not yet.
    assertThat(DurableLogTest.replay(LogConfig.of(dir))).hasSize(100);

    InstrumentedIo io2 = new InstrumentedIo();
    LogConfig eager = LogConfig.of(dir.resolve("eager")).withIo(io2).withDurability(Durability.BATCH)
        .withBatchInterval(Duration.ofMillis(20));
    try (DurableLog log = DurableLog.open(eager, (r, s) -> { })) {
      int forcesBefore = io2.forces.get();
      log.append(Records.message("c", 1)).get(10, TimeUnit.SECONDS);
      // No further append needed: the writer wakes up for the interval on its own.
      await().atMost(Duration.ofSeconds(5)).until(() -> io2.forces.get() == forcesBefore + 1);
    }
  }
}
