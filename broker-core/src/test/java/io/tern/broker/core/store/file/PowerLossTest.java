package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL cannot show a missing fsync: the page cache survives the process. These tests lose
 * power instead, through {@link PowerLossDisk}, which keeps only what was forced.
 */
@Timeout(120)
class PowerLossTest {
  private static final int PRODUCERS = 4;
  private static final int WINDOW = 32;
  private static final int ROUNDS = 12;

  @TempDir
  Path dir;

  private final ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);

  @AfterEach
  void stop() {
    producers.shutdownNow();
  }

  @Test
  void everySyncAppendThatCompletedSurvivesAPowerLoss() throws Exception {
    Random random = new Random(20240611);
    long completedInAllRounds = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path roundDir = dir.resolve("round-" + round);
      PowerLossDisk disk = new PowerLossDisk(roundDir, random.nextLong()).tornForces();
      LogConfig config = LogConfig.of(roundDir).withIo(disk).withSegmentBytes(16 * 1024);
      Set<LogRecord> completed = ConcurrentHashMap.newKeySet();

      DurableLog log = DurableLog.open(config, (r, s) -> { });
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        String client = "producer-" + p;
        running.add(producers.submit(() -> produceUntilFailure(log, client, completed)));
      }
      // Somewhere in the middle of writes, forces and segment rolls, the machine stops.
      disk.cutAtOperation(10 + random.nextInt(300));
      await().atMost(Duration.ofSeconds(30)).until(disk::isCut);
      for (Future<?> producer : running) {
        producer.get(30, TimeUnit.SECONDS);
      }
      log.close();
      disk.restore();

      List<LogRecord> survived = DurableLogTest.replay(LogConfig.of(roundDir));
      assertThat(survived).as("round %d", round).containsAll(completed);
      // What survived is, for each producer, an unbroken prefix of what it appended: a power loss
      // takes the end of the log, never a record from the middle.
      Map<String, List<Long>> byProducer = new TreeMap<>();
      for (LogRecord record : survived) {
        LogRecord.Message message = (LogRecord.Message) record;
        assertThat(message).isEqualTo(Records.message(message.clientId(), message.messageId(), 200));
        byProducer.computeIfAbsent(message.clientId(), c -> new ArrayList<>()).add(message.messageId());
      }
      for (Map.Entry<String, List<Long>> entry : byProducer.entrySet()) {
        List<Long> ids = entry.getValue();
        for (int i = 0; i < ids.size(); i++) {
          assertThat(ids.get(i)).as("round %d, %s", round, entry.getKey()).isEqualTo(i);
        }
      }
      completedInAllRounds += completed.size();
    }
    assertThat(completedInAllRounds).as("appends completed before the cuts").isGreaterThan(ROUNDS * 10L);
  }

  /** Appends with a window of outstanding appends until the log fails. */
  private static void produceUntilFailure(DurableLog log, String client, Set<LogRecord> completed) {
    ArrayDeque<CompletableFuture<Long>> window = new ArrayDeque<>();
    for (long id = 0; ; id++) {
      LogRecord.Message record = Records.message(client, id, 200);
      CompletableFuture<Long> future = log.append(record);
      future.thenRun(() -> completed.add(record));
      window.add(future);
      if (window.size() >= WINDOW) {
        CompletableFuture<Long> oldest = window.poll();
        try {
          oldest.join();
        } catch (RuntimeException e) {
          assertThat(e.getCause()).isInstanceOf(LogWriteException.class);
          return;
        }
      }
    }
  }

  @Test
  void theSimulationDiscardsWhatWasNeverForced() throws Exception {
    // The same power loss under BATCH, whose interval has not come: completed appends are lost.
    // This is the stated loss window, and it proves the disk above keeps only forced bytes.
    PowerLossDisk disk = new PowerLossDisk(dir, 1);
    LogConfig config = LogConfig.of(dir).withIo(disk).withDurability(Durability.BATCH)
        .withBatchInterval(Duration.ofHours(1));
    DurableLog log = DurableLog.open(config, (r, s) -> { });
    for (int i = 0; i < 50; i++) {
      log.append(Records.message("c", i)).get(10, TimeUnit.SECONDS);
    }
    disk.cut();
    log.close();
    disk.restore();
    assertThat(DurableLogTest.replay(LogConfig.of(dir))).isEmpty();
  }
}
