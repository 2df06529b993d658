package io.tern.broker.core.store.file;

import java.io.IOException;

/**
 * The log could not write or force its files (a full disk, an I/O error). Once it happens the log
 * takes no more appends: after a failed write or force the state of the file is unknown, and
 * retrying a failed {@code fsync} can report success for data the kernel already dropped. Reopening
 * the log recovers every record that was durable and cuts off the rest.
 */
public final class LogWriteException extends IOException {
  LogWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
