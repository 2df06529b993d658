package io.tern.broker.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Raw packet builders beyond those of {@link RawClient}: CONNECTs with any name, level, flags and
 * payload fields, SUBSCRIBE and UNSUBSCRIBE with several filters, and fields given as raw bytes so
 * that they can be malformed.
 */
final class ConnectPackets {
  static final int CLEAN_SESSION = 0x02;
  static final int WILL = 0x04;
  static final int WILL_RETAIN = 0x20;
  static final int PASSWORD = 0x40;
  static final int USERNAME = 0x80;

  private ConnectPackets() {}

  static int willQos(int qos) {
    return qos << 3;
  }

  /** A CONNECT whose payload fields are given already length-prefixed (see {@link #string}). */
  static byte[] connect(String protocolName, int level, int flags, int keepAlive, byte[]... payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(string(protocolName));
    body.write(level);
    body.write(flags);
    body.write(keepAlive >> 8);
    body.write(keepAlive);
    for (byte[] field : payload) {
      body.writeBytes(field);
    }
    return RawClient.frame(0x10, body.toByteArray());
  }

  /** A 3.1.1 CONNECT, clean session, with a will of the given QoS and retain flag. */
  static byte[] connectWithWill(String clientId, int keepAlive, String willTopic, String willMessage,
      int willQos, boolean willRetain) {
    int flags = CLEAN_SESSION | WILL | willQos(willQos) | (willRetain ? WILL_RETAIN : 0);
    return connect("MQTT", 4, flags, keepAlive, string(clientId), string(willTopic), string(willMessage));
  }

  /** A UTF-8 string or binary field: two-byte length, then the bytes. */
  static byte[] string(String text) {
    return field(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A length-prefixed field holding exactly the given bytes, well-formed UTF-8 or not. */
  static byte[] field(int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return field(raw);
  }

  static byte[] field(byte[] raw) {
    byte[] out = new byte[raw.length + 2];
    out[0] = (byte) (raw.length >> 8);
    out[1] = (byte) raw.length;
    System.arraycopy(raw, 0, out, 2, raw.length);
    return out;
  }

  /** A PUBLISH QoS 0 whose topic is given as a raw field. */
  static byte[] publishRawTopic(byte[] topicField, String payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(topicField);
    body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
    return RawClient.frame(0x30, body.toByteArray());
  }

  /** A SUBSCRIBE with alternating filters and requested QoS: {@code "a", 1, "b", 2}. */
  static byte[] subscribe(int packetId, Object... filtersAndQos) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId);
    for (int i = 0; i < filtersAndQos.length; i += 2) {
      Object filter = filtersAndQos[i];
      body.writeBytes(filter instanceof byte[] raw ? raw : string((String) filter));
      body.write((Integer) filtersAndQos[i + 1]);
    }
    return RawClient.frame(0x82, body.toByteArray());
  }

  /** An UNSUBSCRIBE for the given filters. */
  static byte[] unsubscribe(int packetId, String... filters) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId);
    for (String filter : filters) {
      body.writeBytes(string(filter));
    }
    return RawClient.frame(0xA2, body.toByteArray());
  }

  /** A SUBACK body as the broker should send it: packet id, then one return code per filter. */
  static byte[] subackBody(int packetId, int... codes) {
    byte[] body = new byte[2 + codes.length];
    body[0] = (byte) (packetId >> 8);
    body[1] = (byte) packetId;
    for (int i = 0; i < codes.length; i++) {
      body[2 + i] = (byte) codes[i];
    }
    return body;
  }

  /** Bytes from ints, for literal byte sequences. */
  static byte[] bytes(int... values) {
    byte[] raw = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      raw[i] = (byte) values[i];
    }
    return raw;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
