package io.tern.broker.it;

import io.tern.broker.Broker;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.MqttDecoder;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An MQTT 5 client over a {@link RawClient}: it writes packets in their MQTT 5 form with the
 * broker's own encoder and reads the broker's packets with a client-side decoder, so that a test
 * sees exactly what went over the wire (topic aliases, properties, reason codes), which client
 * libraries hide or resolve.
 */
final class RawClient5 implements AutoCloseable {
  private final RawClient raw;
  private final MqttDecoder decoder = MqttDecoder.forClient(1 << 20, 5);

  RawClient5(Broker broker) throws IOException {
    raw = new RawClient(broker);
  }

  /** Connects with Clean Start, no keep-alive and these CONNECT properties; returns the CONNACK. */
  ConnAck connect(String clientId, Properties properties) throws IOException {
    return connect(clientId, true, properties);
  }

  ConnAck connect(String clientId, boolean cleanStart, Properties properties) throws IOException {
    send(new Connect("MQTT", 5, cleanStart, 0, clientId, null, null, null, properties));
    return read(ConnAck.class);
  }

  /** Subscribes and returns the SUBACK. */
  SubAck subscribe(int packetId, Properties properties, Subscribe.Request... requests) throws IOException {
    send(new Subscribe(packetId, List.of(requests), properties));
    return read(SubAck.class);
  }

  RawClient5 send(Packet packet) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MqttEncoder.size(packet, 5));
    MqttEncoder.write(packet, 5, buffer);
    raw.send(buffer.array());
    return this;
  }

  RawClient5 send(int... bytes) throws IOException {
    raw.send(bytes);
    return this;
  }

  RawClient5 send(byte[] bytes) throws IOException {
    raw.send(bytes);
    return this;
  }

  /** Reads and decodes the next packet; fails when none arrives within five seconds. */
  Packet read() throws IOException {
    RawClient.Frame frame = raw.read();
    byte[] bytes = RawClient.frame((frame.type() << 4) | frame.flags(), frame.body());
    Packet packet = decoder.decode(ByteBuffer.wrap(bytes));
    if (packet == null) {
      throw new IllegalStateException("cannot decode " + frame + ": " + decoder.violation());
    }
    return packet;
  }

  /** Reads the next packet, which must be of this type. */
  <T extends Packet> T read(Class<T> type) throws IOException {
    Packet packet = read();
    if (!type.isInstance(packet)) {
      throw new AssertionError("expected " + type.getSimpleName() + " but read " + packet);
    }
    return type.cast(packet);
  }

  boolean closedByBroker() throws IOException {
    return raw.closedByBroker();
  }

  static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }
}
