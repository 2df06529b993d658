package io.tern.broker.core.store.file;

/**
 * The log's write queue is full: the append was not taken, and may be tried again once earlier
 * appends complete. Fails an append at once instead of making its caller wait.
 */
public final class LogBusyException extends RuntimeException {
  LogBusyException(int capacity) {
    // One instance per log, without a stack trace: it is an expected outcome under load.
    super("the durable log's write queue is full (" + capacity + " appends waiting); retry later", null,
        false, false);
  }

  /** Always true: nothing was written, and the same append may succeed later. */
  public boolean retryable() {
    return true;
  }
}
