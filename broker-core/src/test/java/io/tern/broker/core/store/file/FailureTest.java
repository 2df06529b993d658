package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FailureTest {
  @TempDir
  Path dir;

  @Test
  void aDataDirectoryThatIsAFileIsAClearErrorAtOpen() throws Exception {
    Path file = Files.writeString(dir.resolve("data"), "not a directory");
    assertThatThrownBy(() -> DurableLog.open(LogConfig.of(file), (r, s) -> { }))
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot use " + file.toAbsolutePath() + " as the data directory: it is not a directory");
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedIsAClearErrorAtOpen() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    Path data = file.resolve("data");
    assertThatThrownBy(() -> DurableLog.open(LogConfig.of(data), (r, s) -> { }))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot use " + data.toAbsolutePath() + " as the data directory: ")
        .hasMessageContaining("Not a directory");
  }

  @Test
  void aReadOnlyDataDirectoryIsAClearErrorAtOpen() throws Exception {
    Path data = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeFalse(Files.isWritable(data), "permissions do not bind this user (root)");
      assertThatThrownBy(() -> DurableLog.open(LogConfig.of(data), (r, s) -> { }))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Cannot use " + data.toAbsolutePath() + " as the data directory: ")
          .hasMessageContaining("access denied");
    } finally {
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aFullDiskFailsTheAppendsItHitsAndEveryLaterOneUntilReopened() throws Exception {
    InstrumentedIo io = new InstrumentedIo();
    LogConfig config = LogConfig.of(dir).withIo(io);
    List<LogRecord> durable = new ArrayList<>();
    try (DurableLog log = DurableLog.open(config, (r, s) -> { })) {
      for (int i = 0; i < 5; i++) {
        LogRecord record = Records.message("c", i);
        log.append(record).get(10, TimeUnit.SECONDS);
        durable.add(record);
      }
      io.failWrites(new IOException("No space left on device"));
      CompletableFuture<Long> hit = log.append(Records.message("c", 5));
      assertThatThrownBy(() -> hit.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(LogWriteException.class)
          .hasMessageContaining("The durable log in " + dir.toAbsolutePath() + " failed: No space left on device")
          .hasCauseInstanceOf(IOException.class);

      // Space comes back, but the log stays failed: the state of the file is unknown.
      io.failWrites(null);
      CompletableFuture<Long> later = log.append(Records.message("c", 6));
      assertThat(later).isCompletedExceptionally();
      assertThatThrownBy(later::join).hasCauseInstanceOf(LogWriteException.class);
      CompletableFuture<CompactionResult> compaction = log.compact(() -> List.<LogRecord>of().iterator());
      assertThatThrownBy(() -> compaction.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LogWriteException.class);
    }
    // Reopening recovers everything that was durable.
    assertThat(DurableLogTest.replay(config.withIo(FileIo.DEFAULT))).containsExactlyElementsOf(durable);
  }

  @Test
  void aFullDiskDuringCompactionFailsOnlyTheCompaction() throws Exception {
    LiveState state = new LiveState();
    LogConfig config = LogConfig.of(dir).withSegmentBytes(4096);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    try (DurableLog log = DurableLog.open(config.withIo(new FileIo() {
      @Override
      public java.nio.channels.FileChannel open(Path file, java.nio.file.OpenOption... options)
          throws IOException {
        if (file.getFileName().toString().endsWith(LogDirectory.TEMPORARY)) {
          throw new IOException("No space left on device");
        }
        return FileIo.super.open(file, options);
      }
    }), (r, s) -> { })) {
      for (int i = 0; i < 100; i++) {
        LogRecord record = Records.message("c", i, 100);
        state.apply(record);
        futures.add(log.append(record));
      }
      assertThatThrownBy(() -> log.compact(state::snapshot).get(10, TimeUnit.SECONDS))
          .hasMessageContaining("No space left on device");
      LogRecord after = Records.message("c", 100);
      state.apply(after);
      log.append(after).get(10, TimeUnit.SECONDS);
    }
    assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
    assertThat(LiveState.replayOf(DurableLogTest.replay(config)).view()).isEqualTo(state.view());
  }
}
