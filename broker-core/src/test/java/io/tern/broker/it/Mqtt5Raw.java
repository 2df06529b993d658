package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.CLEAN_SESSION;
import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.string;

import io.tern.broker.Broker;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.MqttDecoder;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.Publish;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A raw MQTT 5 client: it writes packets in their MQTT 5 form with the broker's own encoder and
 * decodes what the broker sends with the broker's client-side decoder, so that a test sees every
 * field (reason codes, properties) and decides itself when, or whether, to acknowledge.
 */
final class Mqtt5Raw implements AutoCloseable {
  private final RawClient raw;
  private final MqttDecoder decoder = MqttDecoder.forClient(1 << 20, 5);

  Mqtt5Raw(Broker broker) throws IOException {
    raw = new RawClient(broker);
  }

  /**
   * Sends an MQTT 5 CONNECT and returns the CONNACK.
   *
   * @param properties the CONNECT properties, already encoded, without their length
   */
  ConnAck connect(String clientId, boolean cleanStart, byte[] properties) throws IOException {
    byte[] block = new byte[properties.length + 1];
    block[0] = (byte) properties.length; // the tests' property blocks stay below 128 bytes
    System.arraycopy(properties, 0, block, 1, properties.length);
    raw.send(ConnectPackets.connect("MQTT", 5, cleanStart ? CLEAN_SESSION : 0, 0, block, string(clientId)));
    return (ConnAck) read();
  }

  /** CONNECT property: Session Expiry Interval in seconds. */
  static byte[] sessionExpiry(int seconds) {
    return bytes(0x11, seconds >>> 24, seconds >>> 16, seconds >>> 8, seconds);
  }

  /** CONNECT property: Receive Maximum. */
  static byte[] receiveMaximum(int messages) {
    return bytes(0x21, messages >>> 8, messages);
  }

  Mqtt5Raw send(Packet packet) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MqttEncoder.size(packet, 5));
    MqttEncoder.write(packet, 5, buffer);
    raw.send(buffer.array());
    return this;
  }

  /** The next packet from the broker; fails when none comes within five seconds or it is malformed. */
  Packet read() throws IOException {
    RawClient.Frame frame = raw.read();
    Packet packet = decoder.decode(ByteBuffer.wrap(RawClient.frame((frame.type() << 4) | frame.flags(),
        frame.body())));
    if (packet == null) {
      throw new AssertionError("undecodable " + frame + ": " + decoder.violation());
    }
    return packet;
  }

  /** The next packet, which must be a PUBLISH. */
  Publish readPublish() throws IOException {
    Packet packet = read();
    if (!(packet instanceof Publish publish)) {
      throw new AssertionError("expected a PUBLISH, got " + packet);
    }
    return publish;
  }

  boolean closedByBroker() throws IOException {
    return raw.closedByBroker();
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }
}
