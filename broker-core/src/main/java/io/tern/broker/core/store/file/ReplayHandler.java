package io.tern.broker.core.store.file;

/** Receives the log's records at open, in the order they were written. */
@FunctionalInterface
public interface ReplayHandler {
  /**
   * Called on the thread that opens the log, once per valid record, before
   * {@link DurableLog#open} returns. A throw aborts the open.
   *
   * @param record the record
   * @param segment the sequence number of the segment (or snapshot) that holds it, as
   *     {@link DurableLog#append} reports it for new records
   */
  void onRecord(LogRecord record, long segment);
}
