package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.MqttDecoder;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubComp;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.message.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An MQTT 5 client on a plain socket: it writes the broker's own packet types in their MQTT 5 form
 * and reads the broker's answers back through the client-side decoder, so that a test sees exact
 * packets, reason codes, properties and sizes, and can withhold acknowledgements that a client
 * library would send on its own.
 */
final class RawMqtt5Client implements AutoCloseable {
  private static final int LEVEL = 5;
  private static final int READ_TIMEOUT_MILLIS = 5000;

  private final Socket socket;
  private final DataInputStream in;
  private final MqttDecoder decoder = MqttDecoder.forClient(268_435_460, LEVEL);
  private int lastPacketSize;

  RawMqtt5Client(Broker broker) throws IOException {
    socket = new Socket("127.0.0.1", broker.port());
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
  }

  /** A connected client: CONNECT sent and a successful CONNACK read. */
  static RawMqtt5Client connected(Broker broker, Connect connect) throws IOException {
    RawMqtt5Client client = new RawMqtt5Client(broker);
    ConnAck connAck = client.connect(connect);
    assertThat(connAck.reasonCode()).as("CONNACK of %s", connect.clientId()).isEqualTo(ReasonCode.SUCCESS);
    return client;
  }

  /** An MQTT 5 CONNECT without will or credentials. */
  static Connect connectPacket(String clientId, boolean cleanStart, int keepAlive, Properties properties) {
    return new Connect("MQTT", LEVEL, cleanStart, keepAlive, clientId, null, null, null, properties);
  }

  /** An MQTT 5 CONNECT with a will. */
  static Connect connectPacket(String clientId, boolean cleanStart, int keepAlive, Properties properties,
      Connect.Will will) {
    return new Connect("MQTT", LEVEL, cleanStart, keepAlive, clientId, will, null, null, properties);
  }

  /** Sends the CONNECT and returns the CONNACK. */
  ConnAck connect(Connect connect) throws IOException {
    send(connect);
    return (ConnAck) read(PacketType.CONNACK);
  }

  RawMqtt5Client send(Packet packet) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MqttEncoder.size(packet, LEVEL));
    MqttEncoder.write(packet, LEVEL, buffer);
    return send(buffer.array());
  }

  RawMqtt5Client send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Subscribes to one filter and expects it granted at {@code qos}. */
  void subscribe(int packetId, String filter, int qos) throws IOException {
    send(new Subscribe(packetId, List.of(new Subscribe.Request(filter, qos)), Properties.EMPTY));
    SubAck subAck = (SubAck) read(PacketType.SUBACK);
    assertThat(subAck.returnCodes()).as("SUBACK for %s", filter).containsExactly(qos);
  }

  /** Publishes a message; for QoS 1, also reads the PUBACK. */
  void publish(String topic, int qos, int packetId, byte[] payload) throws IOException {
    send(new Publish(topic, qos, false, false, packetId, payload, Properties.EMPTY));
    if (qos == 1) {
      assertThat(((PubAck) read(PacketType.PUBACK)).packetId()).isEqualTo(packetId);
    }
  }

  void publish(String topic, int qos, int packetId, String payload) throws IOException {
    publish(topic, qos, packetId, payload.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends this PUBLISH and completes its exchange: PUBACK for QoS 1; PUBREC, PUBREL and PUBCOMP for
   * QoS 2, each checked for the PUBLISH's packet identifier and a success reason code.
   */
  void publishAndComplete(Publish publish) throws IOException {
    send(publish);
    int id = publish.packetId();
    if (publish.qos() == 1) {
      PubAck ack = (PubAck) read(PacketType.PUBACK);
      assertThat(ack.packetId()).isEqualTo(id);
      assertThat(ack.reasonCode().isError()).as("PUBACK reason code %s", ack.reasonCode()).isFalse();
    } else if (publish.qos() == 2) {
      PubRec rec = (PubRec) read(PacketType.PUBREC);
      assertThat(rec.packetId()).isEqualTo(id);
      assertThat(rec.reasonCode().isError()).as("PUBREC reason code %s", rec.reasonCode()).isFalse();
      send(new PubRel(id, ReasonCode.SUCCESS, Properties.EMPTY));
      PubComp comp = (PubComp) read(PacketType.PUBCOMP);
      assertThat(comp.packetId()).isEqualTo(id);
      assertThat(comp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }
  }

  /** Reads the next packet and checks its type. */
  Packet read(int expectedType) throws IOException {
    Packet packet = read();
    assertThat(packet.type()).as("type of %s", packet).isEqualTo(expectedType);
    return packet;
  }

  /** Reads the next packet; fails when the connection closes or nothing comes within five seconds. */
  Packet read() throws IOException {
    byte[] raw = readFrame();
    Packet packet = decoder.decode(ByteBuffer.wrap(raw));
    if (packet == null) {
      throw new IllegalStateException("the broker sent a packet its client cannot decode: " + decoder.violation());
    }
    return packet;
  }

  /** The next packet if one arrives within {@code wait}; the connection must stay open meanwhile. */
  Optional<Packet> poll(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      return Optional.of(read());
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } finally {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    }
  }

  /** The whole size of the last packet read, fixed header included. */
  int lastPacketSize() {
    return lastPacketSize;
  }

  /** Reads packets until the broker's DISCONNECT and returns it; fails if the connection ends first. */
  Disconnect readDisconnect() throws IOException {
    while (true) {
      Packet packet = read();
      if (packet instanceof Disconnect disconnect) {
        return disconnect;
      }
    }
  }

  /**
   * True when the broker has closed the connection: end of stream (or a reset) with no packet
   * before it; false when it is still open after a moment. A packet instead fails the test.
   */
  boolean closedByBroker() throws IOException {
    socket.setSoTimeout(500);
    try {
      int first = in.read();
      if (first >= 0) {
        throw new AssertionError("expected the connection to close, but a packet of type " + (first >> 4)
            + " arrived");
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    } finally {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    }
  }

  private byte[] readFrame() throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException("connection closed by the broker");
    }
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(first);
    int length = 0;
    int multiplier = 1;
    int digit;
    do {
      digit = in.readUnsignedByte();
      frame.write(digit);
      length += (digit & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    byte[] body = new byte[length];
    in.readFully(body);
    frame.writeBytes(body);
    lastPacketSize = frame.size();
    return frame.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
