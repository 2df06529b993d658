package io.tern.broker.core.store.file;

import static io.tern.broker.core.store.file.DurableLogTest.files;
import static io.tern.broker.core.store.file.DurableLogTest.replay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RecoveryTest {
  @TempDir
  Path dir;

  private LogConfig config() {
    return LogConfig.of(dir);
  }

  /** Writes the records, closes the log, and returns the segment that holds them. */
  private Path write(List<LogRecord> records) throws Exception {
    long segment = 0;
    try (DurableLog log = DurableLog.open(config(), (r, s) -> { })) {
      for (LogRecord record : records) {
        segment = log.append(record).get(10, TimeUnit.SECONDS);
      }
    }
    // The log was opened once, so the segment holding the records is the last one.
    Path last = files(dir, LogDirectory.SEGMENT).get(files(dir, LogDirectory.SEGMENT).size() - 1);
    assertThat(last).isEqualTo(dir.resolve(String.format("%020d.seg", segment)));
    return last;
  }

  private static List<LogRecord> messages(int count) {
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(Records.message("c", i, 50));
    }
    return records;
  }

  private RecoveryReport reopen(List<LogRecord> into) throws IOException {
    try (DurableLog log = DurableLog.open(config(), (r, s) -> into.add(r))) {
      return log.recovery();
    }
  }

  private static int frame(LogRecord record) {
    return RecordCodec.frameSize(record);
  }

  @Test
  void aTornLastRecordIsCutOffWithOneWarningAndTheRestReplayed() throws Exception {
    List<LogRecord> written = messages(10);
    Path segment = write(written);
    long full = Files.size(segment);
    long cut = full - frame(written.get(9)) / 2; // the crash came halfway through the last record
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(cut);
    }

    List<LogRecord> replayed = new ArrayList<>();
    RecoveryReport report = reopen(replayed);
    assertThat(replayed).containsExactlyElementsOf(written.subList(0, 9));
    assertThat(report.truncatedBytes()).isEqualTo(cut - (full - frame(written.get(9))));
    assertThat(report.warnings()).singleElement().asString()
        .contains("Truncated the tail of " + segment).contains("torn record");
    assertThat(Files.size(segment)).isEqualTo(full - frame(written.get(9)));

    // Repaired for good: the next open finds nothing to warn about, and new records follow.
    try (DurableLog log = DurableLog.open(config(), (r, s) -> { })) {
      assertThat(log.recovery().warnings()).isEmpty();
      log.append(Records.message("c", 100)).get(10, TimeUnit.SECONDS);
    }
    List<LogRecord> expected = new ArrayList<>(written.subList(0, 9));
    expected.add(Records.message("c", 100));
    assertThat(replay(config())).containsExactlyElementsOf(expected);
  }

  @Test
  void aCorruptLastRecordIsCutOff() throws Exception {
    List<LogRecord> written = messages(10);
    Path segment = write(written);
    long full = Files.size(segment);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(full - 5); // a byte of the last payload
      int b = file.read();
      file.seek(full - 5);
      file.write(b ^ 0x40);
    }
    List<LogRecord> replayed = new ArrayList<>();
    RecoveryReport report = reopen(replayed);
    assertThat(replayed).containsExactlyElementsOf(written.subList(0, 9));
    assertThat(report.truncatedBytes()).isEqualTo(frame(written.get(9)));
    assertThat(report.warnings()).singleElement().asString().contains("checksum mismatch");
  }

  @Test
  void zerosAfterTheLastRecordAreCutOff() throws Exception {
    // What a file system can show after a power loss: the size grew, the data never arrived.
    List<LogRecord> written = messages(10);
    Path segment = write(written);
    long full = Files.size(segment);
    Files.write(segment, new byte[4096], StandardOpenOption.APPEND);
    List<LogRecord> replayed = new ArrayList<>();
    RecoveryReport report = reopen(replayed);
    assertThat(replayed).containsExactlyElementsOf(written);
    assertThat(report.truncatedBytes()).isEqualTo(4096);
    assertThat(Files.size(segment)).isEqualTo(full);
  }

  @Test
  void aLastSegmentWithATornHeaderIsReplaced() throws Exception {
    List<LogRecord> written = messages(3);
    Path segment = write(written);
    long next = Long.parseLong(segment.getFileName().toString().substring(0, 20)) + 1;
    Path torn = dir.resolve(String.format("%020d.seg", next));
    Files.write(torn, new byte[] {'T', 'R', 'N'});
    List<LogRecord> replayed = new ArrayList<>();
    RecoveryReport report = reopen(replayed);
    assertThat(replayed).containsExactlyElementsOf(written);
    assertThat(report.warnings()).singleElement().asString().contains("Removed " + torn)
        .contains("header cut short");
    // Its number went to the new segment, with a whole header, so no gap shows up later.
    assertThat(Files.size(torn)).isEqualTo(SegmentHeader.SIZE);
    assertThat(new String(Files.readAllBytes(torn), 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("TRNL");
    try (DurableLog log = DurableLog.open(config(), (r, s) -> { })) {
      assertThat(log.recovery().warnings()).isEmpty();
    }
  }

  @Test
  void damageInAnEarlierSegmentLosesOnlyTheRestOfThatSegment() throws Exception {
    LogConfig small = config().withSegmentBytes(4096);
    List<LogRecord> written = messages(200);
    List<Long> segments = new ArrayList<>();
    try (DurableLog log = DurableLog.open(small, (r, s) -> { })) {
      for (LogRecord record : written) {
        segments.add(log.append(record).get(10, TimeUnit.SECONDS));
      }
    }
    long damaged = segments.get(100);
    int firstInDamaged = segments.indexOf(damaged);
    int firstAfter = segments.lastIndexOf(damaged) + 1;
    Path file = dir.resolve(String.format("%020d.seg", damaged));
    long offset = SegmentHeader.SIZE + 2L * frame(written.get(0)) + 20; // inside its third record
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(raf.read() ^ 1);
    }
    List<LogRecord> replayed = new ArrayList<>();
    RecoveryReport report;
    try (DurableLog log = DurableLog.open(small, (r, s) -> replayed.add(r))) {
      report = log.recovery();
    }
    List<LogRecord> expected = new ArrayList<>(written.subList(0, firstInDamaged + 2));
    expected.addAll(written.subList(firstAfter, written.size()));
    assertThat(replayed).containsExactlyElementsOf(expected);
    assertThat(report.warnings()).singleElement().asString().contains("is damaged").contains("went on");
    assertThat(report.truncatedBytes()).isZero();
  }

  @Test
  void aFileOfANewerFormatIsRefusedRatherThanDiscarded() throws Exception {
    Path segment = write(messages(2));
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(SegmentHeader.SIZE);
      channel.read(header, 0);
      header.putShort(4, (short) 2);
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(header.array(), 0, 28);
      header.putInt(28, (int) crc.getValue());
      channel.write(header.flip(), 0);
    }
    assertThatThrownBy(() -> DurableLog.open(config(), (r, s) -> { }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot open the durable log in " + dir.toAbsolutePath())
        .hasMessageContaining("format version 2 was written by a newer version");
    // Nothing was changed, and the directory was released.
    assertThat(Files.size(segment)).isGreaterThan(SegmentHeader.SIZE);
    assertThatThrownBy(() -> DurableLog.open(config(), (r, s) -> { })).hasMessageContaining("format version 2");
  }

  @Test
  void theReportCountsRecordsByType() throws Exception {
    write(Records.everyKind());
    List<LogRecord> replayed = new ArrayList<>();
    RecoveryReport report = reopen(replayed);
    assertThat(report.records()).isEqualTo(13);
    assertThat(report.counts()).containsEntry(RecordType.MESSAGE, 2L).containsEntry(RecordType.SESSION, 2L)
        .containsEntry(RecordType.ACK, 1L).containsEntry(RecordType.MESSAGE_SENT, 1L)
        .doesNotContainKey(RecordType.SNAPSHOT_END);
    assertThat(report.segments()).isEqualTo(1);
    assertThat(report.snapshot()).isZero();
  }
}
