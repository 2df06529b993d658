package io.tern.broker.core.store.file;

/**
 * A finished compaction.
 *
 * @param snapshot the sequence number of the snapshot, which replaced every file up to it;
 *     replayed records of the snapshot report this as their segment
 * @param records how many records the snapshot holds
 * @param bytes the snapshot's size
 * @param filesRemoved how many older files it replaced and deleted
 * @param millis how long it took, from the roll to the last deletion
 */
public record CompactionResult(long snapshot, long records, long bytes, int filesRemoved, long millis) {}
