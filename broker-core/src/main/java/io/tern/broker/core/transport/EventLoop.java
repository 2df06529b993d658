package io.tern.broker.core.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event-loop thread: it owns a selector, the connections registered with it, and everything
 * those connections' sessions hold. Other threads reach it only through {@link #execute}.
 *
 * <p>One cycle: select (sleeping only while the inbox is empty), handle ready keys, drain the inbox
 * up to a limit, tick every connection's timers when due, then flush every connection that has output.
 */
public final class EventLoop {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private static final int INBOX_DRAIN_LIMIT = 4096;
  private static final long TICK_INTERVAL_NANOS = 250_000_000L;

  private final int index;
  private final Selector selector;
  private final MpscArrayQueue<Runnable> inbox;
  private final MpscUnboundedArrayQueue<Runnable> completions = new MpscUnboundedArrayQueue<>(256);
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private final ByteBuffer readBuffer;
  private final Set<Connection> connections = new HashSet<>();
  private final List<Connection> dirty = new ArrayList<>();
  private final List<Connection> ticking = new ArrayList<>();
  private final List<Runnable> cycleTasks = new ArrayList<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final Consumer<SelectionKey> onSelected = this::onSelected;
  private final MessagePassingQueue.Consumer<Runnable> runCommand = this::runTask;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private long nextTick;

  public EventLoop(String brokerName, int index, int inboxCapacity, int readBufferSize) {
    this.index = index;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    this.inbox = new MpscArrayQueue<>(inboxCapacity);
    this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
    this.thread = new Thread(this::run, brokerName + "-loop-" + index);
  }

  public int index() {
    return index;
  }

  public void start() {
    thread.start();
  }

  /** True when called from this loop's own thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /**
   * Queues a command for this loop's thread. Never blocks.
   *
   * @return false when the inbox is full (the caller keeps the command and tries again later) or
   *     the loop is stopping
   */
  public boolean execute(Runnable command) {
    if (!running || !inbox.offer(command)) {
      return false;
    }
    // Only a loop that announced it is about to block needs the wakeup syscall.
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      selector.wakeup();
    }
    return true;
  }

  /**
   * Queues the continuation of an asynchronous call this loop made for one of its connections
   * (an authenticator's answer, say). Never refused: each connection has at most two such calls
   * outstanding (one that paused its reading, and one step of an MQTT 5 re-authentication, which
   * does not pause it), so this queue is bounded by twice the number of connections, and a refused
   * answer would leave its connection stuck. Never blocks.
   */
  public void executeCompletion(Runnable continuation) {
    completions.offer(continuation);
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      selector.wakeup();
    }
  }

  /** Registers a task run once per cycle, before output is flushed. Loop thread only. */
  public void addCycleTask(Runnable task) {
    cycleTasks.add(task);
  }

  /**
   * Runs a task on this loop once {@code delayNanos} have passed, checked four times a second.
   * Loop thread only; the task runs on it too.
   */
  public Timer schedule(long delayNanos, Runnable task) {
    assert inLoop() : "scheduled off its loop";
    Timer timer = new Timer(System.nanoTime() + delayNanos, task);
    timers.add(timer);
    return timer;
  }

  Selector selector() {
    return selector;
  }

  ByteBuffer readBuffer() {
    return readBuffer;
  }

  void added(Connection connection) {
    connections.add(connection);
  }

  void removed(Connection connection) {
    connections.remove(connection);
  }

  void markDirty(Connection connection) {
    dirty.add(connection);
  }

  /** The connections this loop owns now; a copy, safe to iterate while closing. Loop thread only. */
  public List<Connection> connections() {
    return new ArrayList<>(connections);
  }

  /** Asks the loop to finish its current cycle and stop; closes the selector. */
  public void shutdown() {
    running = false;
    selector.wakeup();
  }

  /** Releases the selector of a loop whose thread never started. */
  public void closeUnstarted() {
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing selector", e);
    }
  }

  /** Waits until the loop thread has ended. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  private void run() {
    nextTick = System.nanoTime() + TICK_INTERVAL_NANOS;
    try {
      while (running) {
        cycle();
      }
    } finally {
      for (Connection connection : connections()) {
        connection.closeQuietly();
      }
      try {
        selector.close();
      } catch (IOException e) {
        log.debug("closing selector", e);
      }
      // Commands still queued may carry connections on their way here; with the selector closed
      // they close those connections rather than leave their sockets open.
      inbox.drain(runCommand);
      completions.drain(runCommand);
      terminated.countDown();
    }
  }

  private void cycle() {
    try {
      select();
      inbox.drain(runCommand, INBOX_DRAIN_LIMIT);
      completions.drain(runCommand, INBOX_DRAIN_LIMIT);
      for (int i = 0; i < cycleTasks.size(); i++) {
        runTask(cycleTasks.get(i));
      }
      long now = System.nanoTime();
      if (now - nextTick >= 0) {
        nextTick = now + TICK_INTERVAL_NANOS;
        tickConnections(now);
        runTimers(now);
      }
      flushDirty();
    } catch (Throwable t) {
      // A bug must cost at most the connection it concerned, never the loop.
      log.error("unexpected error on {}", thread.getName(), t);
    }
  }

  private void select() throws IOException {
    if (!inbox.isEmpty() || !completions.isEmpty()) {
      selector.selectNow(onSelected);
      return;
    }
    sleeping.set(true);
    try {
      if (inbox.isEmpty() && completions.isEmpty() && running) {
        long timeoutMillis = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000);
        selector.select(onSelected, timeoutMillis);
      } else {
        selector.selectNow(onSelected);
      }
    } finally {
      sleeping.set(false);
    }
  }

  private void onSelected(SelectionKey key) {
    Object attachment = key.attachment();
    try {
      if (attachment instanceof Connection connection) {
        connection.onReady(key);
      } else if (attachment instanceof Acceptor acceptor) {
        acceptor.onAcceptable();
      }
    } catch (Throwable t) {
      log.error("unexpected error handling a connection on {}", thread.getName(), t);
      if (attachment instanceof Connection connection) {
        connection.closeQuietly();
      }
    }
  }

  private void tickConnections(long now) {
    ticking.addAll(connections); // a tick may close a connection, which edits the set
    for (int i = 0; i < ticking.size(); i++) {
      Connection connection = ticking.get(i);
      try {
        connection.tick(now);
      } catch (Throwable t) {
        log.error("unexpected error in a timer of {}", connection, t);
        connection.closeQuietly();
      }
    }
    ticking.clear();
  }

  private void runTimers(long now) {
    Timer next;
    while ((next = timers.peek()) != null && now - next.deadlineNanos >= 0) {
      timers.poll();
      if (!next.cancelled()) {
        runTask(next.task);
      }
    }
  }

  private void runTask(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      log.error("unexpected error in a command on {}", thread.getName(), t);
    }
  }

  private void flushDirty() {
    // Flushing may close a connection, which never adds to the list; a new entry can only come
    // from a connection that is written to, so iterate by index.
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }
}
