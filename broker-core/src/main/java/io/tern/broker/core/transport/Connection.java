package io.tern.broker.core.transport;

import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.Metrics;
import io.tern.broker.core.codec.MqttDecoder;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Violation;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's TCP connection: bytes in through the decoder to the handler, packets out through a
 * bounded output buffer that the owning loop flushes once per cycle.
 *
 * <p>Owned by one loop at a time ({@link #loop()}); it moves once, from the loop that accepted it
 * to the client's home loop, through {@link #moveTo}. Not thread-safe otherwise.
 */
public final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final int INITIAL_OUTPUT = 1024;
  private static final int RETAINED_OUTPUT = 64 * 1024;

  private final SocketChannel channel;
  private final Metrics metrics;
  private final MqttDecoder decoder;
  private final SocketAddress remoteAddress;
  private final long acceptedNanos;
  private EventLoop loop;
  private SelectionKey key;
  private final ConnectionHandler handler;
  private ByteBuffer carry;
  private ByteBuffer out = ByteBuffer.allocate(INITIAL_OUTPUT);
  private boolean dirty;
  private boolean closed;
  private boolean closeAfterFlush;
  /** The decoder found a violation, which the handler has answered. */
  private boolean violated;
  /** How many reasons there are not to read now: a pending decision, a full inbox elsewhere, ... */
  private int readPauses;
  private boolean moving;
  private EventLoop moveTarget;
  private Runnable moveArrival;
  private long lastReadNanos;
  private int maxOutboundPacketSize = Integer.MAX_VALUE;

  Connection(EventLoop loop, SocketChannel channel, int maxPacketSize, ConnectionHandler handler, Metrics metrics)
      throws IOException {
    this.loop = loop;
    this.metrics = metrics;
    this.channel = channel;
    this.decoder = new MqttDecoder(maxPacketSize);
    this.handler = handler;
    this.remoteAddress = channel.getRemoteAddress();
    this.acceptedNanos = System.nanoTime();
    this.lastReadNanos = acceptedNanos;
  }

  void register() throws ClosedChannelException {
    key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
    loop.added(this);
  }

  public EventLoop loop() {
    return loop;
  }

  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  public long acceptedNanos() {
    return acceptedNanos;
  }

  /** When bytes last arrived from the client, in {@link System#nanoTime()} terms. */
  public long lastReadNanos() {
    return lastReadNanos;
  }

  /** 5 once an MQTT 5 CONNECT was read, otherwise 4: the form packets are written in. */
  public int protocolLevel() {
    return decoder.protocolLevel();
  }

  /** The largest packet the client accepts (MQTT 5 Maximum Packet Size); larger ones are not sent. */
  public void maxOutboundPacketSize(long bytes) {
    maxOutboundPacketSize = (int) Math.min(bytes, Integer.MAX_VALUE);
  }

  public boolean isOpen() {
    return !closed;
  }

  /** Bytes written by the broker but not yet taken by the socket. */
  public int pendingOutboundBytes() {
    return out.position();
  }

  void onReady(SelectionKey readyKey) {
    if (readyKey.isValid() && readyKey.isWritable()) {
      flush();
    }
    if (!closed && readyKey.isValid() && readyKey.isReadable()) {
      read();
    }
  }

  void tick(long nowNanos) {
    if (!closed) {
      handler.onTick(this, nowNanos);
    }
  }

  private void read() {
    ByteBuffer buffer = loop.readBuffer();
    buffer.clear();
    int n;
    try {
      n = channel.read(buffer);
    } catch (IOException e) {
      close(DisconnectReason.CONNECTION_LOST, "read failed: " + e.getMessage());
      return;
    }
    if (n < 0) {
      close(DisconnectReason.CONNECTION_LOST, "closed by the client");
      return;
    }
    if (n == 0) {
      return;
    }
    lastReadNanos = System.nanoTime();
    metrics.bytesIn(n);
    buffer.flip();
    if (carry != null) {
      appendToCarry(buffer);
      decodeCarry();
    } else {
      decode(buffer);
      if (buffer.hasRemaining() && !closed) {
        appendToCarry(buffer);
      }
    }
    completeMove();
  }

  private void decodeCarry() {
    carry.flip();
    decode(carry);
    if (carry.hasRemaining()) {
      carry.compact();
    } else {
      carry = null; // most packets fit one read; keep no buffer between them
    }
  }

  /** Hands decoded packets to the handler until the bytes run out or the handler stops reading. */
  private void decode(ByteBuffer buffer) {
    while (!closed && readPauses == 0 && !moving && buffer.hasRemaining()) {
      Packet packet = decoder.decode(buffer);
      if (packet == null) {
        Violation violation = decoder.violation();
        if (violation != null) {
          handler.onViolation(this, violation);
          violated = true;
          close(DisconnectReason.PROTOCOL_ERROR, violation.description());
        }
        return;
      }
      handler.onPacket(this, packet);
    }
  }

  private void appendToCarry(ByteBuffer bytes) {
    if (carry == null) {
      carry = ByteBuffer.allocate(Math.max(bytes.remaining(), 256));
    } else if (carry.remaining() < bytes.remaining()) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(carry.capacity() * 2, carry.position() + bytes.remaining()));
      carry.flip();
      bigger.put(carry);
      carry = bigger;
    }
    carry.put(bytes);
  }

  /**
   * Stops handing packets to the handler after the current one, and stops reading the socket, so
   * that TCP pushes back on the client. Bytes already read are kept. Pauses for different reasons
   * add up: reading resumes once each has been undone by {@link #resumeReading()}.
   */
  public void pauseReading() {
    if (closed) {
      return;
    }
    if (readPauses++ == 0 && key != null && key.isValid()) {
      key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
    }
  }

  /** Undoes one {@link #pauseReading()}; the last one hands over any packets already read. */
  public void resumeReading() {
    if (readPauses == 0 || closed) {
      return;
    }
    if (--readPauses > 0) {
      return;
    }
    if (carry != null) {
      decodeCarry();
    }
    completeMove();
    if (!closed && readPauses == 0 && !moving && key != null && key.isValid()) {
      key.interestOps(key.interestOps() | SelectionKey.OP_READ);
    }
  }

  /**
   * Moves this connection to another loop, with the bytes it has read but not decoded. Called on
   * the current loop from within {@link ConnectionHandler#onPacket}; the handler sees no further
   * packet until {@code onArrival} has run on the target loop. The move itself happens once the
   * current read has been put aside.
   *
   * <p>When the target's inbox is full the connection is closed: the broker is overloaded.
   */
  public void moveTo(EventLoop target, Runnable onArrival) {
    if (target == loop) {
      onArrival.run();
      return;
    }
    moving = true;
    moveTarget = target;
    moveArrival = onArrival;
  }

  private void completeMove() {
    if (moveTarget == null || closed) {
      return;
    }
    EventLoop target = moveTarget;
    Runnable onArrival = moveArrival;
    moveTarget = null;
    moveArrival = null;
    if (dirty) {
      flush();
    }
    key.cancel();
    loop.removed(this);
    // Once the command is queued this thread must not touch the connection again.
    if (!target.execute(() -> arrive(target, onArrival))) {
      moving = false;
      close(DisconnectReason.OVERLOADED, "the home loop's inbox is full");
    }
  }

  private void arrive(EventLoop target, Runnable onArrival) {
    loop = target;
    moving = false;
    dirty = false;
    try {
      register();
    } catch (IOException | ClosedSelectorException e) {
      close(DisconnectReason.OVERLOADED, "cannot register with " + target.index() + ": " + e.getMessage());
      return;
    }
    if (out.position() > 0) {
      markDirty();
    }
    onArrival.run();
    if (carry != null && !closed) {
      decodeCarry();
      completeMove();
    }
  }

  /**
   * Writes a packet, in the form of the connection's protocol level, to the output buffer; it goes
   * out at the end of the loop's cycle.
   *
   * @return false when it was not written: the connection is closed, or the packet is larger than
   *     the client accepts [MQTT-3.1.2-24] (counted)
   */
  public boolean send(Packet packet) {
    if (closed) {
      return false;
    }
    int level = protocolLevel();
    int size = MqttEncoder.size(packet, level);
    if (size > maxOutboundPacketSize) {
      metrics.droppedTooLarge();
      log.debug("not sending {} to {}: {} bytes, more than the {} it accepts", packet.getClass().getSimpleName(),
          remoteAddress, size, maxOutboundPacketSize);
      return false;
    }
    MqttEncoder.write(packet, level, reserve(size));
    return true;
  }

  /**
   * Writes an outbound PUBLISH; see {@link MqttEncoder#writePublish}.
   *
   * @param properties the MQTT 5 properties; ignored below MQTT 5
   * @return false when it was not written: the connection is closed, or the packet is larger than
   *     the client accepts [MQTT-3.1.2-24] (counted)
   */
  public boolean sendPublish(byte[] topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId,
      Properties properties) {
    if (closed) {
      return false;
    }
    boolean v5 = protocolLevel() == 5;
    int size = v5 ? MqttEncoder.publishSize(topic, qos, payload.length, properties)
        : MqttEncoder.publishSize(topic, qos, payload.length);
    if (size > maxOutboundPacketSize) {
      metrics.droppedTooLarge();
      return false;
    }
    metrics.messageOut();
    if (v5) {
      MqttEncoder.writePublish(reserve(size), topic, payload, qos, retain, dup, packetId, properties);
    } else {
      MqttEncoder.writePublish(reserve(size), topic, payload, qos, retain, dup, packetId);
    }
    return true;
  }

  private ByteBuffer reserve(int size) {
    assert loop.inLoop() : "written to off its loop";
    if (out.remaining() < size) {
      int capacity = out.capacity();
      while (capacity - out.position() < size) {
        capacity *= 2;
      }
      ByteBuffer bigger = ByteBuffer.allocate(capacity);
      out.flip();
      bigger.put(out);
      out = bigger;
    }
    markDirty();
    return out;
  }

  private void markDirty() {
    if (!dirty && !moving) {
      dirty = true;
      loop.markDirty(this);
    }
  }

  /** Writes what the socket takes; waits for OP_WRITE for the rest. Loop thread only. */
  void flush() {
    dirty = false;
    if (closed) {
      return;
    }
    out.flip();
    try {
      metrics.bytesOut(channel.write(out));
    } catch (IOException e) {
      out.clear();
      close(DisconnectReason.CONNECTION_LOST, "write failed: " + e.getMessage());
      return;
    }
    boolean drained = !out.hasRemaining();
    out.compact();
    if (drained && out.capacity() > RETAINED_OUTPUT) {
      out = ByteBuffer.allocate(INITIAL_OUTPUT);
    }
    if (drained && closeAfterFlush) {
      close(DisconnectReason.REFUSED, null);
      return;
    }
    if (key != null && key.isValid()) {
      int ops = key.interestOps();
      int wanted = drained ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE;
      if (wanted != ops) {
        key.interestOps(wanted);
      }
    }
  }

  /** Closes once everything written so far has gone out, and reads nothing more meanwhile. */
  public void closeAfterFlush() {
    if (closed) {
      return;
    }
    closeAfterFlush = true;
    pauseReading();
    markDirty();
  }

  /**
   * Closes the connection now; the handler's {@link ConnectionHandler#onClosed} runs once.
   *
   * @param detail for the log; may be null
   */
  public void close(DisconnectReason reason, String detail) {
    if (closed) {
      return;
    }
    boolean canWrite = reason != DisconnectReason.CONNECTION_LOST && reason != DisconnectReason.SLOW_CONSUMER;
    if (canWrite && !violated) {
      handler.onClosing(this, reason);
    }
    if (canWrite && out.position() > 0) {
      // The broker decided to close: answers to the packets it accepted before go out first, as
      // far as the socket takes them without waiting.
      flush();
      if (closed) {
        return;
      }
    }
    closed = true;
    if (key != null) {
      key.cancel();
    }
    loop.removed(this);
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {}", remoteAddress, e);
    }
    handler.onClosed(this, reason, detail);
  }

  void closeQuietly() {
    try {
      close(DisconnectReason.BROKER_STOPPED, null);
    } catch (RuntimeException e) {
      log.debug("closing {}", remoteAddress, e);
    }
  }

  @Override
  public String toString() {
    return "Connection[" + remoteAddress + "]";
  }
}
