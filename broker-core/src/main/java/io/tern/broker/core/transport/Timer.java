package io.tern.broker.core.transport;

/**
 * A task scheduled on a loop with {@link EventLoop#schedule}; it runs on that loop, at most a
 * quarter second late. Loop thread only.
 */
public final class Timer implements Comparable<Timer> {
  final long deadlineNanos;
  final Runnable task;
  private boolean cancelled;

  Timer(long deadlineNanos, Runnable task) {
    this.deadlineNanos = deadlineNanos;
    this.task = task;
  }

  /** Keeps the task from running, if it has not run yet. */
  public void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public int compareTo(Timer other) {
    return Long.compare(deadlineNanos - other.deadlineNanos, 0);
  }
}
