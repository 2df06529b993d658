package io.tern.broker.core.store.file;

/**
 * A record that fails its checks: its length is impossible, its checksum differs or its body does
 * not parse. Recovery stops reading the file there. Carries no stack trace: it is an expected
 * outcome after a crash, not a bug.
 */
final class CorruptRecordException extends Exception {
  CorruptRecordException(String reason) {
    super(reason, null, false, false);
  }
}
