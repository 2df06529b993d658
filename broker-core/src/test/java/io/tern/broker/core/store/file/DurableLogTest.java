package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DurableLogTest {
  @TempDir
  Path dir;

  /** The records a fresh open of the log replays, with the segment of each. */
  static List<LogRecord> replay(LogConfig config, List<Long> segments) throws IOException {
    List<LogRecord> records = new ArrayList<>();
    try (DurableLog log = DurableLog.open(config, (record, segment) -> {
      records.add(record);
      segments.add(segment);
    })) {
      return records;
    }
  }

  static List<LogRecord> replay(LogConfig config) throws IOException {
    return replay(config, new ArrayList<>());
  }

  static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void appendedRecordsComeBackInOrderWithTheirSegments() throws Exception {
    LogConfig config = LogConfig.of(dir);
    List<LogRecord> written = Records.everyKind();
    List<Long> reported = new ArrayList<>();
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      assertThat(log.recovery().records()).isZero();
      for (LogRecord record : written) {
        reported.add(log.append(record).get(10, TimeUnit.SECONDS));
      }
    }
    List<Long> replayed = new ArrayList<>();
    assertThat(replay(config, replayed)).containsExactlyElementsOf(written);
    assertThat(replayed).isEqualTo(reported);
  }

  @Test
  void recordsSpreadOverManySegmentsAllComeBackInOrder() throws Exception {
    LogConfig config = LogConfig.of(dir).withSegmentBytes(4096);
    List<LogRecord> written = new ArrayList<>();
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        LogRecord record = Records.message("c" + i % 7, i, 100);
        written.add(record);
        futures.add(log.append(record));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(futures.get(999).get()).isGreaterThan(futures.get(0).get());
    }
    assertThat(files(dir, LogDirectory.SEGMENT)).hasSizeGreaterThan(20);
    for (Path segment : files(dir, LogDirectory.SEGMENT)) {
      // A segment passes the threshold by at most one record.
      assertThat(Files.size(segment)).isLessThanOrEqualTo(4096 + 200);
    }
    List<Long> segments = new ArrayList<>();
    RecoveryReport report;
    assertThat(replay(config, segments)).containsExactlyElementsOf(written);
    assertThat(segments).isSorted();
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      report = log.recovery();
    }
    assertThat(report.records()).isEqualTo(1000);
    assertThat(report.counts()).containsEntry(RecordType.MESSAGE, 1000L);
    assertThat(report.warnings()).isEmpty();
    assertThat(report.truncatedBytes()).isZero();
  }

  @Test
  void aRecordLargerThanASegmentOrTheWriteBufferGetsASegmentOfItsOwn() throws Exception {
    LogConfig config = LogConfig.of(dir).withSegmentBytes(64 * 1024);
    LogRecord small = Records.message("c", 1, 10);
    LogRecord huge = Records.message("c", 2, 3 << 20);
    long first;
    long second;
    long third;
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      first = log.append(small).get(10, TimeUnit.SECONDS);
      second = log.append(huge).get(10, TimeUnit.SECONDS);
      third = log.append(small).get(10, TimeUnit.SECONDS);
    }
    assertThat(second).isEqualTo(first + 1);
    assertThat(third).isEqualTo(second + 1);
    assertThat(replay(config)).containsExactly(small, huge, small);
  }

  @Test
  void everyOpenStartsANewSegmentAfterTheLast() throws Exception {
    LogConfig config = LogConfig.of(dir);
    long before;
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      before = log.append(Records.message("c", 1)).get(10, TimeUnit.SECONDS);
    }
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      assertThat(log.activeSegment()).isEqualTo(before + 1);
      assertThat(log.append(Records.message("c", 2)).get(10, TimeUnit.SECONDS)).isEqualTo(before + 1);
    }
    assertThat(replay(config)).containsExactly(Records.message("c", 1), Records.message("c", 2));
  }

  @Test
  void aFullQueueFailsTheAppendAtOnceWithARetryableError() throws Exception {
    InstrumentedIo io = new InstrumentedIo();
    LogConfig config = LogConfig.of(dir).withIo(io).withQueueCapacity(8);
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      InstrumentedIo.Gate gate = io.holdNextForce();
      CompletableFuture<Long> held = log.append(Records.message("c", 0));
      gate.awaitEntered(); // the writer is stuck in a slow force
      List<CompletableFuture<Long>> queued = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        queued.add(log.append(Records.message("c", i)));
      }
      CompletableFuture<Long> refused = log.append(Records.message("c", 9));
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join).hasCauseInstanceOf(LogBusyException.class)
          .hasMessageContaining("write queue is full").hasMessageContaining("retry later");
      assertThat(((LogBusyException) refused.handle((v, e) -> e.getCause() == null ? e : e.getCause()).join())
          .retryable()).isTrue();
      assertThat(log.compact(() -> List.<LogRecord>of().iterator())).isCompletedExceptionally();
      assertThat(held).isNotDone();

      gate.open();
      CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      // Once the queue drains, the same append goes through.
      log.append(Records.message("c", 9)).get(10, TimeUnit.SECONDS);
    }
    assertThat(replay(LogConfig.of(dir))).hasSize(10);
  }

  @Test
  void closeWritesAndCompletesEverythingQueued() throws Exception {
    LogConfig config = LogConfig.of(dir).withDurability(Durability.BATCH).withBatchInterval(Duration.ofHours(1));
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    DurableLog log = DurableLog.open(config, (r, s) -> { });
    for (int i = 0; i < 2000; i++) {
      futures.add(log.append(Records.message("c", i)));
    }
    log.close();
    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(replay(config)).hasSize(2000);
  }

  @Test
  void anAppendAfterCloseFailsAtOnce() throws Exception {
    DurableLog log = DurableLog.open(LogConfig.of(dir), (r, s) -> { });
    log.close();
    log.close(); // idempotent
    CompletableFuture<Long> late = log.append(Records.message("c", 1));
    assertThat(late).isCompletedExceptionally();
    assertThatThrownBy(late::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aRecordThatCannotBeEncodedIsRefusedAtOnce() throws Exception {
    try (DurableLog log = DurableLog.open(LogConfig.of(dir).withMaxRecordBytes(4096), (r, s) -> { })) {
      CompletableFuture<Long> tooLarge = log.append(Records.message("c", 1, 5000));
      assertThat(tooLarge).isCompletedExceptionally();
      assertThatThrownBy(tooLarge::join).hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("larger than the log's maximum");
      // The log goes on.
      log.append(Records.message("c", 2)).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSecondLogCannotOpenTheSameDirectory() throws Exception {
    try (DurableLog log = DurableLog.open(LogConfig.of(dir), (r, s) -> { })) {
      assertThatThrownBy(() -> DurableLog.open(LogConfig.of(dir), (r, s) -> { }))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(dir.toAbsolutePath().toString())
          .hasMessageContaining("in use by another broker");
    }
    // Released on close.
    DurableLog.open(LogConfig.of(dir), (r, s) -> { }).close();
  }

  @Test
  void droppingSegmentsDeletesOnlyClosedOnesBelowTheMark() throws Exception {
    LogConfig config = LogConfig.of(dir).withSegmentBytes(4096);
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      for (int i = 0; i < 300; i++) {
        log.append(Records.message("c", i, 100)).get(10, TimeUnit.SECONDS);
      }
    }
    List<Long> segments = new ArrayList<>();
    List<LogRecord> all = replay(config, segments);
    long mark = segments.get(150);
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      long before = files(dir, LogDirectory.SEGMENT).size();
      int dropped = log.dropSegmentsBefore(mark).get(10, TimeUnit.SECONDS);
      assertThat(dropped).isEqualTo(mark - segments.get(0));
      assertThat(files(dir, LogDirectory.SEGMENT)).hasSize((int) (before - dropped));
      // Never the active segment, whatever the mark.
      log.append(Records.message("c", 1000)).get(10, TimeUnit.SECONDS);
      log.dropSegmentsBefore(Long.MAX_VALUE).get(10, TimeUnit.SECONDS);
      assertThat(files(dir, LogDirectory.SEGMENT)).hasSize(1);
    }
    assertThat(replay(config)).containsExactly(Records.message("c", 1000));
    assertThat(all).hasSize(300);
  }

  @Test
  void appendsFailAfterTheWriterFailedUntilTheLogIsReopened() throws Exception {
    InstrumentedIo io = new InstrumentedIo();
    try (DurableLog log = DurableLog.open(LogConfig.of(dir).withIo(io), (r, s) -> { })) {
      log.append(Records.message("c", 1)).get(10, TimeUnit.SECONDS);
      io.failForces(new IOException("Input/output error"));
      CompletableFuture<Long> failed = log.append(Records.message("c", 2));
      assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LogWriteException.class)
          .hasMessageContaining("Input/output error");
      io.failForces(null);
      CompletableFuture<Long> later = log.append(Records.message("c", 3));
      assertThat(later).isCompletedExceptionally();
      assertThatThrownBy(later::join).hasCauseInstanceOf(LogWriteException.class)
          .hasMessageContaining("takes no more appends until it is reopened");
    }
    try (DurableLog log = DurableLog.open(LogConfig.of(dir), (r, s) -> { })) {
      log.append(Records.message("c", 4)).get(10, TimeUnit.SECONDS);
    }
    // Record 2 was written but never forced: whether it survives is up to the kernel, so only
    // the others are certain.
    assertThat(replay(LogConfig.of(dir))).contains(Records.message("c", 1), Records.message("c", 4))
        .doesNotContain(Records.message("c", 3));
  }
}
