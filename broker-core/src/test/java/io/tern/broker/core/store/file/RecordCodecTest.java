package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RecordCodecTest {
  private final RecordCodec codec = new RecordCodec(1 << 28);

  private ByteBuffer encode(LogRecord record) {
    int size = RecordCodec.frameSize(record);
    ByteBuffer buffer = ByteBuffer.allocate(size + 3);
    buffer.position(3); // frames need not start at 0
    codec.write(record, size, buffer);
    assertThat(buffer.position()).isEqualTo(size + 3);
    return buffer;
  }

  private LogRecord decode(ByteBuffer buffer, int start) throws Exception {
    return codec.read(buffer, start, codec.bodyLength(buffer, start));
  }

  @Test
  void everyKindOfRecordComesBackEqual() throws Exception {
    List<LogRecord> records = new java.util.ArrayList<>(Records.everyKind());
    records.add(new SnapshotEnd(17));
    for (LogRecord record : records) {
      assertThat(decode(encode(record), 3)).as(record.toString()).isEqualTo(record);
    }
  }

  @Test
  void theFrameCarriesLengthChecksumTypeAndVersion() {
    LogRecord.Ack ack = new LogRecord.Ack("c", 7);
    ByteBuffer frame = encode(ack).position(3).slice();
    // body: u16 length + "c" + u64 id
    assertThat(frame.getInt(0)).isEqualTo(2 + 1 + 8);
    assertThat(frame.get(8)).isEqualTo((byte) RecordType.ACK.code());
    assertThat(frame.get(9)).isEqualTo((byte) 1);
    CRC32C crc = new CRC32C();
    crc.update(frame.array(), frame.arrayOffset(), 4);
    crc.update(frame.array(), frame.arrayOffset() + 8, 2 + 11);
    assertThat(frame.getInt(4)).isEqualTo((int) crc.getValue());
  }

  @Test
  void aFlippedBitAnywhereInTheFrameIsCaught() {
    LogRecord record = Records.everyKind().get(4);
    ByteBuffer clean = encode(record);
    for (int i = 3; i < clean.limit(); i++) {
      for (int bit = 0; bit < 8; bit++) {
        ByteBuffer damaged = ByteBuffer.wrap(clean.array().clone());
        damaged.put(i, (byte) (damaged.get(i) ^ (1 << bit)));
        int offset = i;
        assertThatThrownBy(() -> {
          int length = codec.bodyLength(damaged, 3);
          if (3 + RecordCodec.FRAME_HEADER + length > damaged.limit()) {
            throw new CorruptRecordException("longer than the file"); // what the reader would see
          }
          codec.read(damaged, 3, length);
        }).as("bit %d of byte %d", bit, offset).isInstanceOf(CorruptRecordException.class);
      }
    }
  }

  @Test
  void anImpossibleLengthIsCorruptionNotAnAllocation() {
    ByteBuffer buffer = ByteBuffer.allocate(16).putInt(0, -2);
    assertThatThrownBy(() -> codec.bodyLength(buffer, 0)).isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("impossible record length 4294967294");
    RecordCodec small = new RecordCodec(1024);
    assertThatThrownBy(() -> small.bodyLength(buffer.putInt(0, 1025), 0)).isInstanceOf(CorruptRecordException.class);
  }

  @Test
  void zerosAreNotARecord() {
    ByteBuffer zeros = ByteBuffer.allocate(64);
    assertThatThrownBy(() -> decode(zeros, 0)).isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void aValidRecordOfAnUnknownTypeOrNewerVersionIsRefusedNotDropped() {
    ByteBuffer unknownType = encode(new LogRecord.Ack("c", 1));
    unknownType.put(3 + 8, (byte) 99);
    rechecksum(unknownType, 3);
    assertThatThrownBy(() -> decode(unknownType, 3)).isInstanceOf(IOException.class)
        .hasMessageContaining("type 99 version 1 was written by a newer version");

    ByteBuffer newerVersion = encode(new LogRecord.Ack("c", 1));
    newerVersion.put(3 + 9, (byte) 2);
    rechecksum(newerVersion, 3);
    assertThatThrownBy(() -> decode(newerVersion, 3)).isInstanceOf(IOException.class)
        .hasMessageContaining("type 2 version 2");
  }

  @Test
  void aBodyThatDoesNotParseIsCorruptionEvenWithAValidChecksum() {
    ByteBuffer buffer = encode(new LogRecord.InboundQos2("c", 5));
    buffer.putShort(3 + RecordCodec.FRAME_HEADER + 3, (short) 0); // packet id 0 is not allowed
    rechecksum(buffer, 3);
    assertThatThrownBy(() -> decode(buffer, 3)).isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("malformed INBOUND_QOS2");
  }

  @Test
  void stringsLongerThan65535BytesAreRefused() {
    String longTopic = "é".repeat(32_768); // 65,536 bytes in UTF-8
    assertThatThrownBy(() -> RecordCodec.frameSize(new LogRecord.RetainedCleared(longTopic)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 65535 bytes");
    assertThat(RecordCodec.frameSize(new LogRecord.RetainedCleared("é".repeat(32_767))))
        .isEqualTo(RecordCodec.FRAME_HEADER + 2 + 65_534);
  }

  @Test
  void utf8MeasuringAgreesWithTheJdk() {
    for (String s : List.of("", "ascii", "é", "€", "😀", "a😀b", "\uD800", "x\uDC00y", "\uD83D", "日本語")) {
      byte[] expected = s.getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.length(s)).as(s).isEqualTo(expected.length);
      ByteBuffer out = ByteBuffer.allocate(expected.length);
      Utf8.put(out, s);
      assertThat(out.array()).as(s).isEqualTo(expected);
    }
  }

  /** Writes a valid checksum over a frame changed on purpose. */
  private static void rechecksum(ByteBuffer buffer, int start) {
    int length = buffer.getInt(start);
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), start, 4);
    crc.update(buffer.array(), start + 8, 2 + length);
    buffer.putInt(start + 4, (int) crc.getValue());
  }
}
