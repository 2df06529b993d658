package io.tern.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * When a change the broker keeps in its {@linkplain BrokerBuilder#dataDirectory data directory}
 * counts as stored. Either {@link #SYNC} or {@link #batch(Duration)}.
 *
 * @param mode how changes reach the disk
 * @param batchInterval for {@link Mode#BATCH}, how often the files are forced to the device; zero
 *     for {@link Mode#SYNC}
 */
public record Durability(Mode mode, Duration batchInterval) {

  /** How changes reach the disk. */
  public enum Mode {
    /**
     * A change is stored once it is forced to the device ({@code fdatasync}); changes that come
     * while a force runs share the next one. Nothing stored is lost to a crash of the process, of
     * the operating system, or of the power.
     */
    SYNC,
    /**
     * A change is stored once it is written to the operating system; the files are forced every
     * batch interval. Nothing stored is lost to a crash of the process (a {@code kill -9}); a crash
     * of the operating system or of the power loses at most what was stored during the last batch
     * interval and one force.
     */
    BATCH
  }

  /** Every change forced to the device before it counts as stored: the default. */
  public static final Durability SYNC = new Durability(Mode.SYNC, Duration.ZERO);

  public Durability {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(batchInterval, "batchInterval");
    if (mode == Mode.SYNC && !batchInterval.isZero()) {
      throw new IllegalArgumentException("SYNC has no batch interval: " + batchInterval);
    }
    if (mode == Mode.BATCH && (batchInterval.isNegative() || batchInterval.isZero())) {
      throw new IllegalArgumentException("the batch interval must be positive: " + batchInterval);
    }
  }

  /** Changes forced to the device every {@code interval}; see {@link Mode#BATCH} for the loss window. */
  public static Durability batch(Duration interval) {
    return new Durability(Mode.BATCH, interval);
  }
}
