package io.tern.broker.core.store.file;

/**
 * When an append counts as done. Keeping state in memory only is not a mode of this log: a broker
 * that wants it does not open one.
 */
public enum Durability {
  /**
   * An append completes once its bytes are forced to the device ({@code fdatasync}). Appends that
   * arrive while a force is under way share the next one (group commit). Nothing completed is lost
   * to a crash or a power loss.
   */
  SYNC,
  /**
   * An append completes once its bytes are written to the operating system; the log forces them
   * every batch interval. A process crash loses nothing completed; a power loss or kernel crash
   * loses at most what was completed during the last interval plus one force.
   */
  BATCH
}
