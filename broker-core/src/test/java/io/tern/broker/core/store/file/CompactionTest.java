package io.tern.broker.core.store.file;

import static io.tern.broker.core.store.file.DurableLogTest.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class CompactionTest {
  @TempDir
  Path dir;

  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  /** Changes the live state first, then appends the record describing the change: the owner's rule. */
  private static CompletableFuture<Long> change(DurableLog log, LiveState state, LogRecord record) {
    state.apply(record);
    return log.append(record);
  }

  /**
   * A day in the life of a store: sessions come and go, subscribe, receive messages that are
   * mostly acknowledged, retain and clear topics, hold QoS 2 ids. Most records end up dead.
   */
  private static void workload(DurableLog log, LiveState state, Random random, int steps) throws Exception {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    long messageId = state.messages.size() * 1000L + random.nextInt(1000) * 1_000_000L;
    for (int i = 0; i < steps; i++) {
      String client = "client-" + random.nextInt(8);
      int choice = random.nextInt(100);
      LogRecord record;
      if (choice < 4) {
        record = new LogRecord.Session(client, random.nextInt(3600), 0);
      } else if (choice < 6) {
        record = new LogRecord.SessionRemoved(client);
      } else if (choice < 12) {
        record = new LogRecord.Subscription(client, "topic/" + random.nextInt(5), random.nextInt(3));
      } else if (choice < 14) {
        record = new LogRecord.SubscriptionRemoved(client, "topic/" + random.nextInt(5));
      } else if (choice < 50) {
        record = Records.message(client, messageId++, 1 + random.nextInt(300));
      } else if (choice < 80 && !state.messages.isEmpty()) {
        LogRecord.Message oldest = state.messages.values().iterator().next();
        record = new LogRecord.Ack(oldest.clientId(), oldest.messageId());
      } else if (choice < 88) {
        record = new LogRecord.Retained("status/" + random.nextInt(20), 1, i, LogRecord.NO_BYTES,
            ("retained " + i).getBytes(StandardCharsets.UTF_8));
      } else if (choice < 92) {
        record = new LogRecord.RetainedCleared("status/" + random.nextInt(20));
      } else if (choice < 96) {
        record = new LogRecord.InboundQos2(client, 1 + random.nextInt(10));
      } else {
        record = new LogRecord.InboundQos2Released(client, 1 + random.nextInt(10));
      }
      futures.add(change(log, state, record));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
  }

  private static LiveState recover(LogConfig config) throws IOException {
    return LiveState.replayOf(DurableLogTest.replay(config));
  }

  @Test
  void aSnapshotOfTheLiveStateReplacesEveryOlderFile() throws Exception {
    LogConfig config = LogConfig.of(dir).withSegmentBytes(8 * 1024);
    LiveState state = new LiveState();
    CompactionResult result;
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      workload(log, state, new Random(1), 3000);
      long before = log.diskBytes();
      long active = log.activeSegment();
      result = log.compact(state::snapshot).get(30, TimeUnit.SECONDS);
      assertThat(result.snapshot()).isEqualTo(active);
      assertThat(result.records()).isEqualTo(state.size());
      assertThat(result.filesRemoved()).isGreaterThan(10);
      assertThat(log.diskBytes()).isLessThan(before / 3);
      assertThat(files(dir, LogDirectory.SNAPSHOT)).singleElement()
          .isEqualTo(dir.resolve(String.format("%020d.snap", active)));
      assertThat(files(dir, LogDirectory.SEGMENT)).allMatch(f -> sequenceOf(f) > active);
      workload(log, state, new Random(2), 500);
    }

    List<Long> segments = new ArrayList<>();
    List<LogRecord> replayed = DurableLogTest.replay(config, segments);
    assertThat(LiveState.replayOf(replayed).view()).isEqualTo(state.view());
    assertThat(segments.subList(0, (int) result.records())).containsOnly(result.snapshot());
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      assertThat(log.recovery().snapshot()).isEqualTo(result.snapshot());
      // A second compaction replaces the first snapshot too.
      CompactionResult second = log.compact(state::snapshot).get(30, TimeUnit.SECONDS);
      assertThat(files(dir, LogDirectory.SNAPSHOT)).singleElement()
          .isEqualTo(dir.resolve(String.format("%020d.snap", second.snapshot())));
    }
    assertThat(recover(config).view()).isEqualTo(state.view());
  }

  @Test
  void appendsMadeWhileTheSnapshotIsWrittenSurviveIt() throws Exception {
    LogConfig config = LogConfig.of(dir).withSegmentBytes(256 * 1024);
    LiveState state = new LiveState();
    byte[] kilobyte = new byte[1024];
    CompactionResult result;
    List<Long> segmentsWrittenDuringCompaction = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      // Megabytes of live state, so that the snapshot takes many chunks.
      List<CompletableFuture<Long>> setup = new ArrayList<>();
      for (int t = 0; t < 8000; t++) {
        setup.add(change(log, state, new LogRecord.Retained("p" + t % 4 + "/" + t, 1, 0, LogRecord.NO_BYTES,
            kilobyte)));
      }
      CompletableFuture.allOf(setup.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      CompletableFuture<CompactionResult> compaction = new CompletableFuture<>();
      List<Future<?>> producers = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int producer = p;
        // Each producer owns its keys, as one client's changes come from one thread.
        producers.add(threads.submit(() -> {
          Random random = new Random(producer);
          for (int changes = 0; !compaction.isDone() || changes < 50; changes++) {
            String topic = "p" + producer + "/" + (producer + 4 * random.nextInt(2000));
            LogRecord record = random.nextBoolean()
                ? new LogRecord.RetainedCleared(topic)
                : new LogRecord.Retained(topic, 2, changes, LogRecord.NO_BYTES, new byte[] {(byte) changes});
            change(log, state, record).thenAccept(segment -> {
              // On the writer thread, which also completes the compaction: the order is exact.
              if (!compaction.isDone()) {
                segmentsWrittenDuringCompaction.add(segment);
              }
            }).get(10, TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      log.compact(state::snapshot).whenComplete((done, failure) -> {
        if (failure != null) {
          compaction.completeExceptionally(failure);
        } else {
          compaction.complete(done);
        }
      });
      result = compaction.get(60, TimeUnit.SECONDS);
      for (Future<?> producer : producers) {
        producer.get(30, TimeUnit.SECONDS);
      }
      assertThat(result.bytes()).isGreaterThan(4L * Compaction.CHUNK_BYTES);
    }
    // Some changes were written after the roll and before the snapshot was installed, while it
    // was read from the very maps they changed.
    assertThat(segmentsWrittenDuringCompaction).anyMatch(segment -> segment > result.snapshot());
    assertThat(recover(config).view()).isEqualTo(state.view());
  }

  @Test
  void aCrashAtAnyStepOfACompactionRecoversTheSameState() throws Exception {
    int step = 0;
    boolean cut = true;
    while (cut) {
      step++;
      Path d = dir.resolve("cut-" + step);
      LogConfig config = LogConfig.of(d).withSegmentBytes(4096);
      LiveState state = new LiveState();
      try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
        workload(log, state, new Random(7), 400);
        log.compact(state::snapshot).get(30, TimeUnit.SECONDS); // an older snapshot to replace as well
        workload(log, state, new Random(8), 400);
      }

      PowerLossDisk disk = new PowerLossDisk(d, step).tornForces();
      DurableLog log = DurableLog.open(config.withIo(disk), (r, s) -> { });
      disk.cutAtOperation(step);
      CompletableFuture<CompactionResult> compaction = log.compact(state::snapshot);
      await().atMost(Duration.ofSeconds(30)).until(compaction::isDone);
      cut = disk.isCut();
      assertThat(compaction.isCompletedExceptionally()).as("step %d", step).isEqualTo(cut);
      log.close();
      disk.restore();

      RecoveryReport report;
      List<LogRecord> replayed = new ArrayList<>();
      try (DurableLog reopened = DurableLog.open(config, (r, s) -> replayed.add(r))) {
        report = reopened.recovery();
      }
      assertThat(LiveState.replayOf(replayed).view()).as("state after a crash at step %d", step)
          .isEqualTo(state.view());
      assertThat(report.warnings()).as("step %d", step).allMatch(w -> w.contains("Truncated the tail")
          || w.contains("Removed") && w.contains("header"));
      assertThat(files(d, LogDirectory.TEMPORARY)).isEmpty();
      assertThat(files(d, LogDirectory.SNAPSHOT)).hasSize(1);
    }
    // Every step of a compaction (roll, snapshot, force, rename, sync, deletions) was cut once.
    assertThat(step).isGreaterThan(15);
  }

  @Test
  void aCrashAtAnyStepOfDroppingDeadSegmentsRecoversTheSameState() throws Exception {
    int step = 0;
    boolean cut = true;
    while (cut) {
      step++;
      Path d = dir.resolve("cut-" + step);
      LogConfig config = LogConfig.of(d).withSegmentBytes(4096);
      LiveState state = new LiveState();
      long mark;
      try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
        // Messages 0-99, then acks for them interleaved with messages 100-199, then acks for
        // those: everything before the last acks is dead, but only because of records after it.
        for (int i = 0; i < 100; i++) {
          change(log, state, Records.message("c", i, 100)).get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 100; i++) {
          change(log, state, new LogRecord.Ack("c", i)).get(10, TimeUnit.SECONDS);
          change(log, state, Records.message("c", 100 + i, 100)).get(10, TimeUnit.SECONDS);
        }
        mark = change(log, state, new LogRecord.Ack("c", 100)).get(10, TimeUnit.SECONDS);
        for (int i = 101; i < 200; i++) {
          change(log, state, new LogRecord.Ack("c", i)).get(10, TimeUnit.SECONDS);
        }
        change(log, state, new LogRecord.Session("c", 60, 0)).get(10, TimeUnit.SECONDS);
      }
      assertThat(state.messages).isEmpty();

      PowerLossDisk disk = new PowerLossDisk(d, step);
      DurableLog log = DurableLog.open(config.withIo(disk), (r, s) -> { });
      disk.cutAtOperation(step);
      CompletableFuture<Integer> drop = log.dropSegmentsBefore(mark);
      await().atMost(Duration.ofSeconds(30)).until(drop::isDone);
      cut = disk.isCut();
      if (!cut) {
        assertThat(drop.get()).isGreaterThan(5);
      }
      log.close();
      disk.restore();
      assertThat(recover(config).view()).as("state after a crash at step %d", step).isEqualTo(state.view());
    }
    assertThat(step).isGreaterThan(10);
  }

  @Test
  void aSnapshotSourceThatFailsLeavesTheLogAsItWas() throws Exception {
    LogConfig config = LogConfig.of(dir).withSegmentBytes(4096);
    LiveState state = new LiveState();
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      workload(log, state, new Random(3), 500);
      Iterator<LogRecord> live = state.snapshot();
      CompletableFuture<CompactionResult> failed = log.compact(() -> new Iterator<LogRecord>() {
        int handed;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public LogRecord next() {
          if (++handed > 10) {
            throw new IllegalStateException("owner bug");
          }
          return live.next();
        }
      });
      assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("owner bug");
      assertThat(files(dir, LogDirectory.TEMPORARY)).isEmpty();
      assertThat(files(dir, LogDirectory.SNAPSHOT)).isEmpty();
      workload(log, state, new Random(4), 100); // the log goes on
    }
    assertThat(recover(config).view()).isEqualTo(state.view());
  }

  @Test
  void onlyOneCompactionRunsAtATime() throws Exception {
    InstrumentedIo io = new InstrumentedIo();
    try (DurableLog log = DurableLog.open(LogConfig.of(dir).withIo(io), (r, s) -> { })) {
      InstrumentedIo.Gate gate = io.holdNextForce();
      log.append(Records.message("c", 1));
      gate.awaitEntered();
      // Both requests wait in the queue while the writer is busy, and are taken in one batch.
      CompletableFuture<CompactionResult> first = log.compact(() -> List.of(Records.message("c", 1)).iterator());
      CompletableFuture<CompactionResult> second = log.compact(() -> List.<LogRecord>of().iterator());
      gate.open();
      assertThat(first.get(10, TimeUnit.SECONDS).records()).isEqualTo(1);
      assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already running");
    }
  }

  private static long sequenceOf(Path file) {
    return Long.parseLong(file.getFileName().toString().substring(0, 20));
  }
}
