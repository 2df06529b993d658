package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a log directory back to a consistent state and replays it: finishes or discards an
 * interrupted compaction, reads the newest snapshot and then every later segment in order, and
 * cuts a torn or corrupt tail off the last segment. It never refuses to start over damage; it
 * refuses only files written by a newer format, whose records it must not throw away.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /**
   * The directory after recovery.
   *
   * @param files the closed files kept, oldest first
   * @param nextSequence the sequence number for the next segment
   */
  record Outcome(RecoveryReport report, List<LogFile> files, long nextSequence) {}

  private final LogDirectory directory;
  private final SegmentReader reader;
  private final ReplayHandler replay;
  private final Map<RecordType, Long> counts = new EnumMap<>(RecordType.class);
  private final List<String> warnings = new ArrayList<>();
  private final List<LogFile> files = new ArrayList<>();
  private long records;
  private long truncated;
  private int segmentsRead;

  private Recovery(LogDirectory directory, RecordCodec codec, ReplayHandler replay) {
    this.directory = directory;
    this.reader = new SegmentReader(directory.io(), codec);
    this.replay = replay;
  }

  static Outcome run(LogDirectory directory, RecordCodec codec, ReplayHandler replay) throws IOException {
    return new Recovery(directory, codec, replay).run();
  }

  private Outcome run() throws IOException {
    long started = System.nanoTime();
    removeUnfinishedSnapshots();
    TreeMap<Long, Path> snapshots = directory.list(LogDirectory.SNAPSHOT);
    TreeMap<Long, Path> segments = directory.list(LogDirectory.SEGMENT);
    long snapshot = 0;
    if (!snapshots.isEmpty()) {
      snapshot = snapshots.lastKey();
      readSnapshot(snapshot, snapshots.lastEntry().getValue(), snapshots, segments);
    }
    readSegments(segments.tailMap(snapshot, false));
    files.sort(Comparator.comparingLong(LogFile::sequence));
    // Numbers continue after the files kept; a torn new segment just removed is numbered again.
    long highest = Math.max(snapshot, files.isEmpty() ? 0 : files.get(files.size() - 1).sequence());
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    RecoveryReport report = new RecoveryReport(records, counts, segmentsRead, snapshot, truncated, warnings,
        millis);
    LOG.info("Recovered {} records{} from {} segment(s){} in {} ms ({})", records, describeCounts(),
        segmentsRead, snapshot == 0 ? "" : " after snapshot " + snapshot, millis, directory.path());
    return new Outcome(report, files, highest + 1);
  }

  /** Deletes snapshots a crash left half written: the segments they were to replace are all there. */
  private void removeUnfinishedSnapshots() throws IOException {
    TreeMap<Long, Path> unfinished = directory.list(LogDirectory.TEMPORARY);
    for (Path file : unfinished.values()) {
      directory.delete(file);
      LOG.info("Removed the unfinished snapshot {} of an interrupted compaction", file);
    }
  }

  private void readSnapshot(long sequence, Path path, NavigableMap<Long, Path> snapshots,
      NavigableMap<Long, Path> segments) throws IOException {
    SegmentReader.Result result = reader.read(path, record -> deliver(record, sequence));
    boolean sound = result.clean() && result.ended() && result.header().kind() == SegmentHeader.Kind.SNAPSHOT
        && result.header().sequence() == sequence;
    List<Path> superseded = new ArrayList<>(snapshots.headMap(sequence, false).values());
    superseded.addAll(segments.headMap(sequence, true).values());
    if (sound) {
      // A crash between installing the snapshot and deleting what it replaces leaves these.
      for (Path file : superseded) {
        directory.delete(file);
      }
      if (!superseded.isEmpty()) {
        directory.sync();
        LOG.info("Finished an interrupted compaction: removed {} file(s) replaced by snapshot {}",
            superseded.size(), sequence);
      }
    } else {
      String problem = result.problem() != null ? result.problem()
          : result.header() == null || result.header().sequence() != sequence ? "wrong header"
          : "no end mark";
      warn("Snapshot " + path + " is damaged (" + problem + "); replayed its first " + result.records()
          + " records and kept the " + superseded.size() + " older file(s) it was to replace");
      for (Path file : superseded) {
        files.add(new LogFile(sequenceOf(file), file, Files.size(file)));
      }
    }
    files.add(new LogFile(sequence, path, result.size()));
    segments.headMap(sequence, true).clear();
  }

  private void readSegments(NavigableMap<Long, Path> segments) throws IOException {
    long previous = -1;
    for (Map.Entry<Long, Path> entry : segments.entrySet()) {
      long sequence = entry.getKey();
      Path path = entry.getValue();
      boolean last = sequence == segments.lastKey();
      if (previous >= 0 && sequence != previous + 1) {
        warn("Segments " + (previous + 1) + " to " + (sequence - 1) + " are missing from " + directory.path());
      }
      previous = sequence;
      SegmentReader.Result result = reader.read(path, record -> deliver(record, sequence));
      segmentsRead++;
      SegmentHeader header = result.header();
      if (header == null || header.kind() != SegmentHeader.Kind.SEGMENT || header.sequence() != sequence) {
        String problem = header == null ? result.problem() : "header of another file";
        if (last && header == null && result.size() <= SegmentHeader.SIZE) {
          // Records follow a header only once it is forced: this file never held any.
          directory.delete(path);
          directory.sync();
          warn("Removed " + path + ": " + problem + " (the crash came as it was created)");
        } else {
          warn("Skipped " + path + ": " + problem);
          files.add(new LogFile(sequence, path, result.size()));
        }
      } else if (!result.clean()) {
        long lost = result.size() - result.validEnd();
        if (last) {
          truncate(path, result.validEnd());
          truncated += lost;
          warn("Truncated the tail of " + path + " at offset " + result.validEnd() + ": " + lost
              + " bytes discarded after " + result.records() + " valid records (" + result.problem() + ")");
          files.add(new LogFile(sequence, path, result.validEnd()));
        } else {
          warn("Segment " + path + " is damaged at offset " + result.validEnd() + " (" + result.problem()
              + "); skipped its last " + lost + " bytes and went on with the next segment");
          files.add(new LogFile(sequence, path, result.size()));
        }
      } else {
        files.add(new LogFile(sequence, path, result.size()));
      }
    }
  }

  private void truncate(Path path, long size) throws IOException {
    try (FileChannel channel = directory.io().open(path, StandardOpenOption.WRITE)) {
      channel.truncate(size);
      channel.force(true);
    }
  }

  private void deliver(LogRecord record, long sequence) {
    counts.merge(record.type(), 1L, Long::sum);
    records++;
    replay.onRecord(record, sequence);
  }

  private void warn(String line) {
    warnings.add(line);
    LOG.warn(line);
  }

  private String describeCounts() {
    if (counts.isEmpty()) {
      return "";
    }
    StringJoiner joiner = new StringJoiner(", ", " (", ")");
    counts.forEach((type, count) -> joiner.add(type.name().toLowerCase().replace('_', ' ') + " " + count));
    return joiner.toString();
  }

  private static long sequenceOf(Path file) {
    return Long.parseLong(file.getFileName().toString().substring(0, 20));
  }
}
