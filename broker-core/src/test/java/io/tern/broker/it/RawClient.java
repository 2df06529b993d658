package io.tern.broker.it;

import io.tern.broker.Broker;
import io.tern.broker.core.codec.MqttDecoder;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A client that writes exactly the bytes it is given and reads the broker's packets as frames, for
 * malformed input and for exchanges a real client library will not produce.
 */
final class RawClient implements AutoCloseable {
  /** A packet as read: fixed-header type and flags, and the bytes after the remaining length. */
  record Frame(int type, int flags, byte[] body) {
    int packetId() {
      return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    /** For a PUBLISH: the topic. */
    String topic() {
      int length = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
      return new String(body, 2, length, StandardCharsets.UTF_8);
    }

    /** For a PUBLISH with QoS above 0: its packet id. */
    int publishPacketId() {
      int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length;
      return ((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF);
    }

    /** For a PUBLISH: the payload as text. */
    String payload() {
      int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length + (qos() > 0 ? 2 : 0);
      return new String(body, at, body.length - at, StandardCharsets.UTF_8);
    }

    int qos() {
      return (flags >> 1) & 3;
    }

    boolean dup() {
      return (flags & 8) != 0;
    }

    boolean retain() {
      return (flags & 1) != 0;
    }

    @Override
    public String toString() {
      return "Frame[type=" + type + ", flags=" + flags + ", body=" + Arrays.toString(body) + "]";
    }
  }

  private final Socket socket;
  private final DataInputStream in;

  RawClient(Broker broker) throws IOException {
    socket = new Socket("127.0.0.1", broker.port());
    socket.setSoTimeout(5000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
  }

  RawClient send(int... bytes) throws IOException {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return send(raw);
  }

  RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  RawClient send(Packet packet) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MqttEncoder.size(packet));
    MqttEncoder.write(packet, buffer);
    return send(buffer.array());
  }

  /** Sends a packet in its MQTT 5 form. */
  RawClient send5(Packet packet) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MqttEncoder.size(packet, 5));
    MqttEncoder.write(packet, 5, buffer);
    return send(buffer.array());
  }

  /**
   * Reads the next packet and decodes it as an MQTT 5 client would; fails when none arrives
   * within five seconds or it is malformed.
   */
  Packet read5() throws IOException {
    Frame frame = read();
    MqttDecoder decoder = MqttDecoder.forClient(Integer.MAX_VALUE, 5);
    Packet packet = decoder.decode(ByteBuffer.wrap(frame((frame.type() << 4) | frame.flags(), frame.body())));
    if (packet == null) {
      throw new IllegalStateException("malformed " + frame + ": " + decoder.violation());
    }
    return packet;
  }

  /** Sends CONNECT (3.1.1) and expects CONNACK accepted; returns the session-present flag. */
  boolean connect(String clientId, boolean cleanSession) throws IOException {
    send(connectPacket(clientId, cleanSession, 0));
    Frame connack = read();
    if (connack.type() != 2 || connack.body()[1] != 0) {
      throw new IllegalStateException("not accepted: " + connack);
    }
    return (connack.body()[0] & 1) == 1;
  }

  /** A CONNECT 3.1.1 packet without will or credentials. */
  static byte[] connectPacket(String clientId, boolean cleanSession, int keepAlive) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) (cleanSession ? 2 : 0),
        (byte) (keepAlive >> 8), (byte) keepAlive});
    body.write(id.length >> 8);
    body.write(id.length);
    body.writeBytes(id);
    return frame(0x10, body.toByteArray());
  }

  /** A SUBSCRIBE for one filter. */
  static byte[] subscribePacket(int packetId, String filter, int qos) {
    byte[] topic = filter.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId);
    body.write(topic.length >> 8);
    body.write(topic.length);
    body.writeBytes(topic);
    body.write(qos);
    return frame(0x82, body.toByteArray());
  }

  /** A PUBLISH. */
  static byte[] publishPacket(String topicName, int qos, boolean retain, int packetId, String payload) {
    byte[] topic = topicName.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(topic.length >> 8);
    body.write(topic.length);
    body.writeBytes(topic);
    if (qos > 0) {
      body.write(packetId >> 8);
      body.write(packetId);
    }
    body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
    return frame(0x30 | (qos << 1) | (retain ? 1 : 0), body.toByteArray());
  }

  /** A fixed header with the given first byte and remaining length, then the body. */
  static byte[] frame(int firstByte, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** Reads the next packet; fails when none arrives within five seconds. */
  Frame read() throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException("connection closed by the broker");
    }
    int length = 0;
    int multiplier = 1;
    int digit;
    do {
      digit = in.readUnsignedByte();
      length += (digit & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    byte[] body = new byte[length];
    in.readFully(body);
    return new Frame(first >> 4, first & 0x0F, body);
  }

  /** True when the broker closed the connection: end of stream (or reset) before any more bytes. */
  boolean closedByBroker() throws IOException {
    try {
      InputStream input = socket.getInputStream();
      return input.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
