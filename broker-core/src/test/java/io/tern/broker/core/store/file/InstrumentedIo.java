package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real file system, watched: counts forces, can hold the next force until a test lets it go,
 * and can make writes or forces fail as a full or broken disk would.
 */
final class InstrumentedIo implements FileIo {
  final AtomicInteger forces = new AtomicInteger();
  private final AtomicReference<Gate> nextForce = new AtomicReference<>();
  private volatile IOException writeFailure;
  private volatile IOException forceFailure;

  /** Holds one force of the writer thread. */
  static final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Waits until the writer is inside the held force. */
    void awaitEntered() throws InterruptedException {
      if (!entered.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the writer never forced");
      }
    }

    void open() {
      released.countDown();
    }
  }

  /** The next force waits until the returned gate opens. */
  Gate holdNextForce() {
    Gate gate = new Gate();
    nextForce.set(gate);
    return gate;
  }

  void failWrites(IOException failure) {
    writeFailure = failure;
  }

  void failForces(IOException failure) {
    forceFailure = failure;
  }

  @Override
  public FileChannel open(Path file, OpenOption... options) throws IOException {
    return new ForwardingFileChannel(FileChannel.open(file, options)) {
      @Override
      public int write(ByteBuffer src) throws IOException {
        IOException failure = writeFailure;
        if (failure != null) {
          throw failure;
        }
        return super.write(src);
      }

      @Override
      public void force(boolean metaData) throws IOException {
        Gate gate = nextForce.getAndSet(null);
        if (gate != null) {
          gate.entered.countDown();
          try {
            gate.released.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        IOException failure = forceFailure;
        if (failure != null) {
          throw failure;
        }
        super.force(metaData);
        forces.incrementAndGet();
      }
    };
  }
}
