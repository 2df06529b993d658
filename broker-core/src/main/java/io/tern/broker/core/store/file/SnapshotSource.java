package io.tern.broker.core.store.file;

import java.util.Iterator;

/**
 * The owner's live state, written out as records when the log compacts.
 *
 * <p><b>Contract.</b> {@link #records()} is called on the writer thread right after the log rolled
 * to a new segment, and the iterator is then consumed on that thread, a chunk at a time between
 * batches of appends; neither may block. Replay reads the snapshot first and then every segment
 * written after the roll, so the snapshot must give, for each key (see {@link LogRecord}), a
 * state that reflects every record appended before {@link DurableLog#compact} was called; it may
 * also reflect records appended since, because replaying those again over it changes nothing.
 * Owners meet this by updating their live state before they append the record that describes
 * the change, and by iterating a concurrent structure (a weakly consistent iterator suffices: a
 * key it misses was removed after the roll, and that removal is in a later segment).
 */
@FunctionalInterface
public interface SnapshotSource {
  Iterator<? extends LogRecord> records();
}
