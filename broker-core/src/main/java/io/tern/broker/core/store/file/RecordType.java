package io.tern.broker.core.store.file;

/**
 * The kinds of record the log holds, with the code written on disk and the body layout version
 * this build writes. Codes and layouts are documented in {@code docs/storage-format.md}; a code is
 * never reused, and a changed layout gets a new version so that older files stay readable.
 */
public enum RecordType {
  MESSAGE(1, 1),
  ACK(2, 1),
  SESSION(3, 1),
  SESSION_REMOVED(4, 1),
  SUBSCRIPTION(5, 1),
  SUBSCRIPTION_REMOVED(6, 1),
  RETAINED(7, 1),
  RETAINED_CLEARED(8, 1),
  INBOUND_QOS2(9, 1),
  INBOUND_QOS2_RELEASED(10, 1),
  MESSAGE_SENT(11, 1),
  /** Closes a snapshot file; the log's own bookkeeping, never handed to the owner. */
  SNAPSHOT_END(127, 1);

  private static final RecordType[] BY_CODE = new RecordType[128];

  static {
    for (RecordType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;
  private final int version;

  RecordType(int code, int version) {
    this.code = code;
    this.version = version;
  }

  /** The type byte on disk. */
  public int code() {
    return code;
  }

  /** The body layout version this build writes, and the newest it reads. */
  public int version() {
    return version;
  }

  /** The type with this code, or null when this build does not know it. */
  static RecordType ofCode(int code) {
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
