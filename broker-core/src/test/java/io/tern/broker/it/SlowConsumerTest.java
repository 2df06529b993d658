package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.BrokerBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that stops reading must not make the broker's memory grow without bound. */
@Timeout(60)
class SlowConsumerTest extends BrokerTest {
  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.maxPacketSize(8 * 1024).maxOutboundBytes(64 * 1024).maxInflight(65_535)
        .maxQueuedMessages(100_000);
  }
  private static final int PAYLOAD = 4000;

  @Test
  void aSubscriberThatStopsReadingQos1IsDisconnected() throws Exception {
    try (RawClient slow = new RawClient(broker); RawClient publisher = new RawClient(broker)) {
      slow.connect("slow", true);
      slow.send(RawClient.subscribePacket(1, "flood", 1));
      assertThat(slow.read().type()).isEqualTo(9);
      publisher.connect("flooder", true);

      byte[] one = RawClient.publishPacket("flood", 1, false, 1, "x".repeat(PAYLOAD));
      // 16 MB: far more than the socket buffers hold, so the broker's own buffer must fill.
      for (int i = 0; i < 4000; i++) {
        publisher.send(one);
      }

      assertThat(drainUntilClosed(slow)).isTrue();
      assertThat(broker.admin().metrics().slowConsumerDisconnects()).isEqualTo(1);
    }
  }

  @Test
  void qos0ToAClientThatStopsReadingIsDroppedAndTheClientStays() throws Exception {
    try (RawClient slow = new RawClient(broker); RawClient publisher = new RawClient(broker)) {
      slow.connect("slow0", true);
      slow.send(RawClient.subscribePacket(1, "flood/0", 0));
      assertThat(slow.read().type()).isEqualTo(9);
      slow.send(RawClient.subscribePacket(2, "flood/end", 1));
      assertThat(slow.read().type()).isEqualTo(9);
      publisher.connect("flooder0", true);

      byte[] one = RawClient.publishPacket("flood/0", 0, false, 0, "x".repeat(PAYLOAD));
      for (int i = 0; i < 4000; i++) {
        publisher.send(one);
      }
      // Now read again: the client is still connected and gets a message published after the flood.
      publisher.send(RawClient.publishPacket("flood/end", 1, false, 2, "end"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      RawClient.Frame frame;
      do {
        frame = slow.read();
      } while (!(frame.type() == 3 && frame.topic().equals("flood/end")) && System.nanoTime() < deadline);
      assertThat(frame.payload()).isEqualTo("end");
      assertThat(broker.admin().metrics().droppedQos0()).isPositive();
      assertThat(broker.admin().metrics().slowConsumerDisconnects()).isZero();
    }
  }

  /** Reads and discards until the broker closes the connection; false if it is still open after 30 s. */
  private static boolean drainUntilClosed(RawClient client) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        client.read();
      } catch (java.io.EOFException e) {
        return true;
      } catch (java.net.SocketException e) {
        return true;
      }
    }
    return false;
  }
}
