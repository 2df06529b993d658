package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The log's files as the writer thread sees them: the active segment it appends to, and the
 * closed segments and snapshots before it, oldest first. Rolls to a new segment past the size
 * threshold, deletes files from the head, installs snapshots. Writer thread only.
 */
final class SegmentedLog implements AutoCloseable {
  private final LogDirectory directory;
  private final long segmentBytes;
  private final List<LogFile> closed;
  private Segment active;
  private long closedBytes;

  private SegmentedLog(LogDirectory directory, long segmentBytes, List<LogFile> closed, Segment active) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.closed = closed;
    this.active = active;
    for (LogFile file : closed) {
      closedBytes += file.size();
    }
  }

  /**
   * Starts a new segment after the recovered files. Appending never continues an older file, whose
   * tail a crash may have left in any state.
   */
  static SegmentedLog open(LogDirectory directory, List<LogFile> files, long nextSequence, long segmentBytes)
      throws IOException {
    Segment active = Segment.create(directory.io(), directory.segment(nextSequence), SegmentHeader.Kind.SEGMENT,
        nextSequence);
    try {
      directory.sync();
    } catch (IOException e) {
      active.close();
      throw e;
    }
    return new SegmentedLog(directory, segmentBytes, new ArrayList<>(files), active);
  }

  LogDirectory directory() {
    return directory;
  }

  long activeSequence() {
    return active.sequence();
  }

  /** Bytes in every file of the log. */
  long diskBytes() {
    return closedBytes + active.size();
  }

  /**
   * Whether a frame of {@code frame} bytes, after {@code buffered} bytes not yet written, would
   * take the active segment past the threshold. A segment takes at least one record, so a record
   * larger than the threshold gets a segment of its own.
   */
  boolean needsRoll(long buffered, int frame) {
    long size = active.size() + buffered;
    return size > SegmentHeader.SIZE && size + frame > segmentBytes;
  }

  void write(ByteBuffer bytes) throws IOException {
    active.write(bytes);
  }

  void force() throws IOException {
    active.force();
  }

  /**
   * Closes the active segment and starts the next. The old one is forced first: only the last
   * segment may ever have a torn tail.
   *
   * @return the sequence of the segment just closed
   */
  long roll() throws IOException {
    Segment old = active;
    old.force();
    old.close();
    closed.add(new LogFile(old.sequence(), old.path(), old.size()));
    closedBytes += old.size();
    long next = old.sequence() + 1;
    active = Segment.create(directory.io(), directory.segment(next), SegmentHeader.Kind.SEGMENT, next);
    directory.sync();
    return old.sequence();
  }

  /**
   * Deletes the closed files below {@code sequence}, oldest first, making each deletion durable
   * before the next: a power loss must never leave an older file whose removals lived in a newer
   * one that is gone. The active segment is forced first, so that the records that made the
   * deleted ones obsolete are durable before they go.
   *
   * @return how many files were deleted
   */
  int dropBefore(long sequence) throws IOException {
    active.force();
    int dropped = 0;
    for (Iterator<LogFile> it = closed.iterator(); it.hasNext(); ) {
      LogFile file = it.next();
      if (file.sequence() >= sequence) {
        break;
      }
      directory.delete(file.path());
      directory.sync();
      it.remove();
      closedBytes -= file.size();
      dropped++;
    }
    return dropped;
  }

  /**
   * Makes a complete, forced snapshot part of the log: renames it into place, makes the rename
   * durable, then deletes every file it replaces. A crash before the rename leaves the old files
   * whole (recovery drops the unfinished snapshot); a crash after it leaves files that recovery
   * deletes because the snapshot replaces them.
   *
   * @return how many files were deleted
   */
  int installSnapshot(Path temporary, long sequence, long size) throws IOException {
    Path target = directory.snapshot(sequence);
    directory.io().move(temporary, target);
    List<LogFile> replaced = new ArrayList<>();
    for (Iterator<LogFile> it = closed.iterator(); it.hasNext(); ) {
      LogFile file = it.next();
      if (file.sequence() > sequence) {
        break;
      }
      replaced.add(file);
      it.remove();
      closedBytes -= file.size();
    }
    closed.add(0, new LogFile(sequence, target, size));
    closedBytes += size;
    directory.sync();
    for (LogFile file : replaced) {
      directory.delete(file.path());
    }
    directory.sync();
    return replaced.size();
  }

  @Override
  public void close() throws IOException {
    active.close();
  }
}
