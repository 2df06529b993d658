package io.tern.broker.core.transport;

import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.Metrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts TCP connections on one loop and spreads them over all loops, round robin, until their
 * CONNECT tells which loop is their home.
 */
public final class Acceptor {
  private static final Logger log = LoggerFactory.getLogger(Acceptor.class);
  private static final int ACCEPTS_PER_EVENT = 64;

  private final ServerSocketChannel server;
  private final EventLoop[] loops;
  private final int maxPacketSize;
  private final Supplier<ConnectionHandler> handlers;
  private final Metrics metrics;
  private int next;

  private Acceptor(ServerSocketChannel server, EventLoop[] loops, int maxPacketSize,
      Supplier<ConnectionHandler> handlers, Metrics metrics) {
    this.server = server;
    this.loops = loops;
    this.maxPacketSize = maxPacketSize;
    this.handlers = handlers;
    this.metrics = metrics;
  }

  /**
   * Binds the address and registers for accepting on the first loop, which need not be started
   * yet.
   *
   * @throws IOException when the address cannot be bound
   */
  public static Acceptor bind(InetSocketAddress address, EventLoop[] loops, int maxPacketSize,
      Supplier<ConnectionHandler> handlers, Metrics metrics) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, 1024);
      server.configureBlocking(false);
      Acceptor acceptor = new Acceptor(server, loops, maxPacketSize, handlers, metrics);
      server.register(loops[0].selector(), SelectionKey.OP_ACCEPT, acceptor);
      return acceptor;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("listener is closed", e);
    }
  }

  void onAcceptable() {
    for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        // Typically out of file descriptors; the next readiness event tries again.
        log.warn("accept failed: {}", e.getMessage());
        return;
      }
      if (channel == null) {
        return;
      }
      dispatch(channel);
    }
  }

  private void dispatch(SocketChannel channel) {
    EventLoop loop = loops[next];
    next = (next + 1) % loops.length;
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Connection connection = new Connection(loop, channel, maxPacketSize, handlers.get(), metrics);
      Runnable register = () -> {
        try {
          connection.register();
        } catch (IOException | ClosedSelectorException e) {
          connection.close(DisconnectReason.OVERLOADED, "cannot register: " + e.getMessage());
        }
      };
      if (!loop.execute(register)) {
        log.warn("refusing a connection from {}: event loop {} is overloaded",
            connection.remoteAddress(), loop.index());
        channel.close();
      }
    } catch (IOException e) {
      log.debug("dropping an accepted connection", e);
      closeQuietly(channel);
    }
  }

  /** Stops accepting and releases the port. Any thread. */
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      log.debug("closing the listener", e);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing an accepted connection", e);
    }
  }
}
