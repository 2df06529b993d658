package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.ascii;
import static io.tern.broker.core.codec.Fixtures.bytes;

import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;
import java.util.List;

/** Wire bytes of MQTT 5 packets, annotated field by field, each next to its packet value. */
final class Fixtures5 {
  private Fixtures5() {}

  // ---- client to server ----

  static final byte[] CONNECT =
      bytes(
          0x10, 52, //                       fixed header: CONNECT, remaining length 52
          0x00, 0x04, "MQTT", //             protocol name
          0x05, //                           protocol level 5
          0xCE, //                           flags: user name, password, will QoS 1, will,
          //                                 clean start
          0x00, 0x1E, //                     keep alive 30 s
          0x0C, //                           properties: length 12
          0x21, 0x00, 0x14, //               receive maximum 20
          0x22, 0x00, 0x0A, //               topic alias maximum 10
          0x26, 0x00, 0x01, "k", 0x00, 0x00, // user property k=""
          0x00, 0x02, "c5", //               client id
          0x0C, //                           will properties: length 12
          0x03, 0x00, 0x01, "t", //          content type "t"
          0x09, 0x00, 0x00, //               correlation data: empty
          0x18, 0x00, 0x00, 0x00, 0x05, //   will delay interval 5 s
          0x00, 0x01, "w", //                will topic
          0x00, 0x01, "x", //                will payload
          0x00, 0x01, "u", //                user name
          0x00, 0x01, "p"); //               password
  static final Connect CONNECT_PACKET =
      new Connect(
          "MQTT",
          5,
          true,
          30,
          "c5",
          new Connect.Will(
              "w",
              ascii("x"),
              1,
              false,
              Properties.builder()
                  .willDelayInterval(5)
                  .contentType("t")
                  .correlationData(new byte[0])
                  .build()),
          "u",
          ascii("p"),
          Properties.builder()
              .receiveMaximum(20)
              .topicAliasMaximum(10)
              .userProperty("k", "")
              .build());

  static final byte[] CONNECT_MINIMAL =
      bytes(
          0x10, 13, //                       fixed header: CONNECT, remaining length 13
          0x00, 0x04, "MQTT", 0x05, //       protocol name, level 5
          0x02, 0x00, 0x3C, //               clean start, keep alive 60 s
          0x00, //                           properties: none
          0x00, 0x00); //                    client id: empty

  static final byte[] PUBLISH_QOS1 =
      bytes(
          0x32, 18, //                       fixed header: PUBLISH QoS 1, remaining length 18
          0x00, 0x03, "a/b", //              topic name
          0x00, 0x07, //                     packet id 7
          0x08, //                           properties: length 8
          0x02, 0x00, 0x00, 0x00, 0x3C, //   message expiry interval 60 s
          0x23, 0x00, 0x03, //              topic alias 3
          "hi"); //                          payload
  static final Publish PUBLISH_QOS1_PACKET =
      new Publish(
          "a/b",
          1,
          false,
          false,
          7,
          ascii("hi"),
          Properties.builder().messageExpiryInterval(60).topicAlias(3).build());

  static final byte[] PUBLISH_BY_ALIAS =
      bytes(
          0x30, 7, //                        fixed header: PUBLISH QoS 0, remaining length 7
          0x00, 0x00, //                     topic name: empty, the alias stands for it
          0x03, 0x23, 0x00, 0x03, //         properties: length 3, topic alias 3
          "x"); //                           payload
  static final Publish PUBLISH_BY_ALIAS_PACKET =
      new Publish("", 0, false, false, 0, ascii("x"), Properties.builder().topicAlias(3).build());

  static final byte[] PUBACK_SHORT = bytes(0x40, 2, 0x00, 0x07); //     success, no properties
  static final byte[] PUBACK_CODE_ONLY = bytes(0x40, 3, 0x00, 0x07, 0x10); // no matching subscribers
  static final PubAck PUBACK_CODE_ONLY_PACKET =
      new PubAck(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY);

  static final byte[] PUBREC_WITH_REASON_STRING =
      bytes(
          0x50, 9, //                        fixed header: PUBREC, remaining length 9
          0x00, 0x08, //                     packet id 8
          0x87, //                           reason code: not authorized
          0x05, 0x1F, 0x00, 0x02, "no"); //  properties: length 5, reason string "no"
  static final PubRec PUBREC_WITH_REASON_STRING_PACKET =
      new PubRec(8, ReasonCode.NOT_AUTHORIZED, Properties.builder().reasonString("no").build());

  static final byte[] PUBREL_NOT_FOUND = bytes(0x62, 3, 0x00, 0x09, 0x92); // identifier not found
  static final PubRel PUBREL_NOT_FOUND_PACKET =
      new PubRel(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY);

  static final byte[] PUBCOMP_EMPTY_PROPERTIES =
      bytes(0x70, 4, 0x00, 0x0A, 0x00, 0x00); // success, then an empty property block

  static final byte[] SUBSCRIBE =
      bytes(
          0x82, 15, //                       fixed header: SUBSCRIBE (flags 0010), length 15
          0x00, 0x0A, //                     packet id 10
          0x02, 0x0B, 0x03, //               properties: length 2, subscription identifier 3
          0x00, 0x03, "a/b", 0x2D, //        "a/b": QoS 1, No Local, Retain As Published,
          //                                 Retain Handling 2
          0x00, 0x01, "#", 0x12); //         "#": QoS 2, Retain Handling 1
  static final Subscribe SUBSCRIBE_PACKET =
      new Subscribe(
          10,
          List.of(
              new Subscribe.Request("a/b", 1, true, true, Subscribe.DO_NOT_SEND_RETAINED),
              new Subscribe.Request("#", 2, false, false, Subscribe.SEND_RETAINED_IF_NEW)),
          Properties.builder().subscriptionIdentifier(3).build());

  static final byte[] UNSUBSCRIBE =
      bytes(
          0xA2, 15, //                       fixed header: UNSUBSCRIBE (flags 0010), length 15
          0x00, 0x0B, //                     packet id 11
          0x07, 0x26, 0x00, 0x01, "n", 0x00, 0x01, "v", // properties: user property n=v
          0x00, 0x03, "a/b"); //             filter "a/b"
  static final Unsubscribe UNSUBSCRIBE_PACKET =
      new Unsubscribe(11, List.of("a/b"), Properties.builder().userProperty("n", "v").build());

  static final byte[] DISCONNECT_SHORT = bytes(0xE0, 0); //             normal disconnection
  static final byte[] DISCONNECT_WITH_WILL = bytes(0xE0, 1, 0x04); //   disconnect with will
  static final Disconnect DISCONNECT_WITH_WILL_PACKET =
      new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY);

  static final byte[] DISCONNECT_WITH_PROPERTIES =
      bytes(
          0xE0, 7, //                        fixed header: DISCONNECT, remaining length 7
          0x00, //                           reason code: normal disconnection
          0x05, 0x11, 0x00, 0x00, 0x00, 0x00); // properties: session expiry interval 0
  static final Disconnect DISCONNECT_WITH_PROPERTIES_PACKET =
      new Disconnect(ReasonCode.SUCCESS, Properties.builder().sessionExpiryInterval(0).build());

  static final byte[] AUTH =
      bytes(
          0xF0, 10, //                       fixed header: AUTH, remaining length 10
          0x18, //                           reason code: continue authentication
          0x08, //                           properties: length 8
          0x15, 0x00, 0x01, "m", //          authentication method "m"
          0x16, 0x00, 0x01, 0x2A); //        authentication data 2A
  static final Auth AUTH_PACKET =
      new Auth(
          ReasonCode.CONTINUE_AUTHENTICATION,
          Properties.builder().authenticationMethod("m").authenticationData(bytes(0x2A)).build());

  // ---- server to client ----

  static final byte[] CONNACK =
      bytes(
          0x20, 12, //                       fixed header: CONNACK, remaining length 12
          0x00, //                           acknowledge flags: no session
          0x00, //                           reason code: success
          0x09, //                           properties: length 9
          0x12, 0x00, 0x03, "abc", //        assigned client identifier "abc"
          0x21, 0x00, 0x64); //              receive maximum 100
  static final ConnAck CONNACK_PACKET =
      new ConnAck(
          false,
          ReasonCode.SUCCESS,
          Properties.builder().assignedClientIdentifier("abc").receiveMaximum(100).build());

  static final byte[] CONNACK_UNSUPPORTED_VERSION =
      bytes(0x20, 3, 0x00, 0x84, 0x00); //   no session, unsupported protocol version, no properties

  static final byte[] SUBACK =
      bytes(
          0x90, 5, //                        fixed header: SUBACK, remaining length 5
          0x00, 0x0A, //                     packet id 10
          0x00, //                           properties: none
          0x01, 0x8F); //                    granted QoS 1, topic filter invalid
  static final SubAck SUBACK_PACKET =
      new SubAck(
          10, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID), Properties.EMPTY);

  static final byte[] UNSUBACK =
      bytes(
          0xB0, 5, //                        fixed header: UNSUBACK, remaining length 5
          0x00, 0x0B, //                     packet id 11
          0x00, //                           properties: none
          0x00, 0x11); //                    success, no subscription existed
  static final UnsubAck UNSUBACK_PACKET =
      new UnsubAck(
          11, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY);

  static final byte[] DISCONNECT_TAKEN_OVER =
      bytes(
          0xE0, 7, //                        fixed header: DISCONNECT, remaining length 7
          0x8E, //                           reason code: session taken over
          0x05, 0x1F, 0x00, 0x02, "by"); //  properties: reason string "by"
  static final Disconnect DISCONNECT_TAKEN_OVER_PACKET =
      new Disconnect(ReasonCode.SESSION_TAKEN_OVER, Properties.builder().reasonString("by").build());

  // ---- helpers ----

  /** A server-side decoder that has accepted {@link #CONNECT_MINIMAL}, so MQTT 5 rules apply. */
  static MqttDecoder connectedDecoder() {
    MqttDecoder decoder = new MqttDecoder(1 << 20);
    if (decoder.decode(Fixtures.buffer(CONNECT_MINIMAL)) == null) {
      throw new AssertionError("MQTT 5 CONNECT refused: " + decoder.violation());
    }
    return decoder;
  }

  /** What {@link MqttEncoder#write(Packet, int, ByteBuffer)} produces at level 5, size checked. */
  static byte[] encode(Packet packet) {
    int size = MqttEncoder.size(packet, 5);
    ByteBuffer out = ByteBuffer.allocate(size + 8);
    MqttEncoder.write(packet, 5, out);
    if (out.position() != size) {
      throw new AssertionError("size() said " + size + " but write() wrote " + out.position());
    }
    byte[] result = new byte[size];
    out.flip().get(result);
    return result;
  }
}
