package io.tern.broker.benchmarks;

import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.MqttDecoder;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding an inbound PUBLISH and encoding an outbound one, as a connection does for every message:
 * a 28-byte topic, a 64-byte payload, QoS 1; at MQTT 5 with a Message Expiry Interval, a Content
 * Type and one User Property, the properties a typical MQTT 5 publisher adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class PublishCodecBenchmark {
  private static final String TOPIC = "fleet/eu-west/device-42/temp";
  private static final int PACKET_ID = 4242;

  /** The protocol level: 4 is MQTT 3.1.1, 5 is MQTT 5. */
  @Param({"4", "5"})
  public int level;

  private final byte[] topicUtf8 = TOPIC.getBytes(StandardCharsets.UTF_8);
  private final byte[] payload = new byte[64];
  private Properties properties;
  private MqttDecoder decoder;
  private ByteBuffer encoded;
  private ByteBuffer out;

  @Setup(Level.Trial)
  public void setUp() {
    properties = level == 5
        ? Properties.builder()
            .messageExpiryInterval(3600)
            .contentType("application/json")
            .userProperty("unit", "celsius")
            .build()
        : Properties.EMPTY;
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }

    // A server-side decoder accepts a PUBLISH only after the CONNECT that sets its protocol level.
    decoder = new MqttDecoder(1 << 20);
    Connect connect = new Connect("MQTT", level, true, 60, "bench", null, null, null);
    ByteBuffer connectBytes = ByteBuffer.allocate(MqttEncoder.size(connect, level));
    MqttEncoder.write(connect, level, connectBytes);
    if (!(decoder.decode(connectBytes.flip()) instanceof Connect)) {
      throw new IllegalStateException("CONNECT refused: " + decoder.violation());
    }

    out = ByteBuffer.allocate(4096);
    encoded = ByteBuffer.allocate(4096);
    writePublish(encoded);
    encoded.flip();
    Packet decoded = decoder.decode(encoded.duplicate());
    if (!(decoded instanceof Publish publish) || publish.payload().length != payload.length
        || !publish.properties().equals(properties)) {
      throw new IllegalStateException("PUBLISH does not round-trip: " + decoded + " " + decoder.violation());
    }
  }

  @Benchmark
  public Packet decodePublish() {
    encoded.position(0);
    Packet packet = decoder.decode(encoded);
    if (packet == null) {
      throw new IllegalStateException("PUBLISH refused: " + decoder.violation());
    }
    return packet;
  }

  /** Sizes the packet and writes it, as {@code Connection.sendPublish} does. */
  @Benchmark
  public ByteBuffer encodePublish() {
    out.clear();
    int size = level == 5
        ? MqttEncoder.publishSize(topicUtf8, 1, payload.length, properties)
        : MqttEncoder.publishSize(topicUtf8, 1, payload.length);
    out.limit(size);
    writePublish(out);
    return out;
  }

  private void writePublish(ByteBuffer target) {
    if (level == 5) {
      MqttEncoder.writePublish(target, topicUtf8, payload, 1, false, false, PACKET_ID, properties);
    } else {
      MqttEncoder.writePublish(target, topicUtf8, payload, 1, false, false, PACKET_ID);
    }
  }
}
