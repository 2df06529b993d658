package io.tern.broker.message;

/** The MQTT quality of service levels. */
public enum QoS {
  /** Delivered at most once, without acknowledgement. */
  AT_MOST_ONCE,
  /** Delivered at least once, acknowledged with PUBACK. */
  AT_LEAST_ONCE,
  /** Delivered exactly once, through the PUBREC/PUBREL/PUBCOMP exchange. */
  EXACTLY_ONCE;

  private static final QoS[] VALUES = values();

  /** The level's number on the wire, 0 to 2. */
  public int value() {
    return ordinal();
  }

  /**
   * The level for a wire value.
   *
   * @throws IllegalArgumentException when {@code value} is not 0, 1 or 2
   */
  public static QoS of(int value) {
    if (value < 0 || value > 2) {
      throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + value);
    }
    return VALUES[value];
  }
}
