package io.tern.broker.core.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Wire bytes of MQTT packets, annotated field by field, shared by the decoder and encoder tests.
 * Each fixture's expected packet value sits next to it.
 */
final class Fixtures {
  private Fixtures() {}

  // ---- client to server ----

  static final byte[] CONNECT_311_MINIMAL =
      bytes(
          0x10, 14, //                       fixed header: CONNECT, remaining length 14
          0x00, 0x04, "MQTT", //             protocol name
          0x04, //                           protocol level 4 (3.1.1)
          0x02, //                           connect flags: clean session
          0x00, 0x3C, //                     keep alive 60 s
          0x00, 0x02, "c1"); //              client id
  static final Connect CONNECT_311_MINIMAL_PACKET =
      new Connect("MQTT", 4, true, 60, "c1", null, null, null);

  static final byte[] CONNECT_311_FULL =
      bytes(
          0x10, 36, //                       fixed header: CONNECT, remaining length 36
          0x00, 0x04, "MQTT", //             protocol name
          0x04, //                           protocol level 4
          0xEE, //                           flags: user name, password, will retain, will QoS 1,
          //                                 will, clean session
          0x00, 0x0A, //                     keep alive 10 s
          0x00, 0x03, "cid", //              client id
          0x00, 0x04, "w/tp", //             will topic
          0x00, 0x03, "bye", //              will message
          0x00, 0x04, "user", //             user name
          0x00, 0x02, "pw"); //              password
  static final Connect CONNECT_311_FULL_PACKET =
      new Connect(
          "MQTT",
          4,
          true,
          10,
          "cid",
          new Connect.Will("w/tp", ascii("bye"), 1, true),
          "user",
          ascii("pw"));

  static final byte[] CONNECT_31 =
      bytes(
          0x10, 16, //                       fixed header: CONNECT, remaining length 16
          0x00, 0x06, "MQIsdp", //           protocol name of MQTT 3.1
          0x03, //                           protocol level 3
          0x00, //                           connect flags: none (persistent session)
          0x00, 0x1E, //                     keep alive 30 s
          0x00, 0x02, "c3"); //              client id
  static final Connect CONNECT_31_PACKET =
      new Connect("MQIsdp", 3, false, 30, "c3", null, null, null);

  static final byte[] CONNECT_5_WITH_PROPERTIES =
      bytes(
          0x10, 29, //                       fixed header: CONNECT, remaining length 29
          0x00, 0x04, "MQTT", //             protocol name
          0x05, //                           protocol level 5
          0x06, //                           connect flags: will (QoS 0), clean session
          0x00, 0x3C, //                     keep alive 60 s
          0x05, 0x11, 0, 0, 0, 0x0A, //      properties: length 5, session expiry interval 10
          0x00, 0x02, "c5", //               client id
          0x02, 0x01, 0x01, //               will properties: length 2, payload format indicator 1
          0x00, 0x01, "w", //                will topic
          0x00, 0x01, "x"); //               will payload
  /** {@link #CONNECT_5_WITH_PROPERTIES} without its properties: what it encodes from. */
  static final Connect CONNECT_5_PACKET =
      new Connect("MQTT", 5, true, 60, "c5", new Connect.Will("w", ascii("x"), 0, false), null, null);
  static final Connect CONNECT_5_WITH_PROPERTIES_PACKET =
      new Connect(
          "MQTT",
          5,
          true,
          60,
          "c5",
          new Connect.Will(
              "w", ascii("x"), 0, false, Properties.builder().payloadFormatIndicator(1).build()),
          null,
          null,
          Properties.builder().sessionExpiryInterval(10).build());

  static final byte[] PUBLISH_QOS0 =
      bytes(
          0x30, 7, //                        fixed header: PUBLISH QoS 0, remaining length 7
          0x00, 0x03, "a/b", //              topic name
          "hi"); //                          payload
  static final Publish PUBLISH_QOS0_PACKET = new Publish("a/b", 0, false, false, 0, ascii("hi"));

  static final byte[] PUBLISH_QOS1_DUP_RETAIN =
      bytes(
          0x3B, 9, //                        fixed header: PUBLISH DUP, QoS 1, RETAIN; length 9
          0x00, 0x03, "a/b", //              topic name
          0x00, 0x07, //                     packet id 7
          "hi"); //                          payload
  static final Publish PUBLISH_QOS1_DUP_RETAIN_PACKET =
      new Publish("a/b", 1, true, true, 7, ascii("hi"));

  static final byte[] PUBLISH_QOS2_EMPTY_PAYLOAD =
      bytes(
          0x34, 7, //                        fixed header: PUBLISH QoS 2, remaining length 7
          0x00, 0x03, "a/b", //              topic name
          0x01, 0x02); //                    packet id 258; no payload
  static final Publish PUBLISH_QOS2_EMPTY_PAYLOAD_PACKET =
      new Publish("a/b", 2, false, false, 258, new byte[0]);

  static final byte[] PUBACK = bytes(0x40, 2, 0x00, 0x07); //   PUBACK, length 2, packet id 7
  static final byte[] PUBREC = bytes(0x50, 2, 0x00, 0x07); //   PUBREC, length 2, packet id 7
  static final byte[] PUBREL = bytes(0x62, 2, 0x00, 0x07); //   PUBREL (flags 0010), packet id 7
  static final byte[] PUBCOMP = bytes(0x70, 2, 0xFF, 0xFF); //  PUBCOMP, packet id 65535

  static final byte[] SUBSCRIBE =
      bytes(
          0x82, 14, //                       fixed header: SUBSCRIBE (flags 0010), length 14
          0x00, 0x0A, //                     packet id 10
          0x00, 0x03, "a/#", 0x01, //        filter "a/#", requested QoS 1
          0x00, 0x03, "+/b", 0x02); //       filter "+/b", requested QoS 2
  static final Subscribe SUBSCRIBE_PACKET =
      new Subscribe(
          10, java.util.List.of(new Subscribe.Request("a/#", 1), new Subscribe.Request("+/b", 2)));

  static final byte[] UNSUBSCRIBE =
      bytes(
          0xA2, 10, //                       fixed header: UNSUBSCRIBE (flags 0010), length 10
          0x00, 0x0B, //                     packet id 11
          0x00, 0x03, "a/#", //              filter "a/#"
          0x00, 0x01, "x"); //               filter "x"
  static final Unsubscribe UNSUBSCRIBE_PACKET = new Unsubscribe(11, java.util.List.of("a/#", "x"));

  static final byte[] PINGREQ = bytes(0xC0, 0); //              PINGREQ, remaining length 0
  static final byte[] DISCONNECT = bytes(0xE0, 0); //           DISCONNECT, remaining length 0

  // ---- server to client ----

  static final byte[] CONNACK_SESSION_PRESENT =
      bytes(
          0x20, 2, //                        fixed header: CONNACK, remaining length 2
          0x01, //                           acknowledge flags: session present
          0x00); //                          return code 0, accepted
  static final byte[] CONNACK_REFUSED_VERSION =
      bytes(0x20, 2, 0x00, 0x01); //         CONNACK, no session, 0x01 unacceptable version

  static final byte[] SUBACK =
      bytes(
          0x90, 5, //                        fixed header: SUBACK, remaining length 5
          0x00, 0x0A, //                     packet id 10
          0x01, 0x02, 0x80); //              granted QoS 1, granted QoS 2, failure
  static final SubAck SUBACK_PACKET = new SubAck(10, bytes(0x01, 0x02, 0x80));

  static final byte[] UNSUBACK = bytes(0xB0, 2, 0x00, 0x0B); // UNSUBACK, packet id 11
  static final byte[] PINGRESP = bytes(0xD0, 0); //             PINGRESP, remaining length 0

  // ---- helpers ----

  /**
   * Concatenates the parts: an Integer or Character is one byte, a String its UTF-8 bytes, a
   * byte[] itself.
   */
  static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof Integer i) {
        if (i < 0 || i > 0xFF) {
          throw new IllegalArgumentException("not a byte: " + i);
        }
        out.write(i);
      } else if (part instanceof Character c) {
        out.write(c);
      } else if (part instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      } else if (part instanceof byte[] b) {
        out.writeBytes(b);
      } else {
        throw new IllegalArgumentException("unsupported part: " + part);
      }
    }
    return out.toByteArray();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A buffer holding exactly {@code bytes}, position 0. */
  static ByteBuffer buffer(byte[] bytes) {
    return ByteBuffer.wrap(bytes.clone());
  }

  /** What {@link MqttEncoder#write} produces for {@code packet}, checked against its size. */
  static byte[] encode(Packet packet) {
    int size = MqttEncoder.size(packet);
    ByteBuffer out = ByteBuffer.allocate(size + 8);
    MqttEncoder.write(packet, out);
    if (out.position() != size) {
      throw new AssertionError("size() said " + size + " but write() wrote " + out.position());
    }
    byte[] result = new byte[size];
    out.flip().get(result);
    return result;
  }
}
