package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.CLEAN_SESSION;
import static io.tern.broker.it.ConnectPackets.PASSWORD;
import static io.tern.broker.it.ConnectPackets.USERNAME;
import static io.tern.broker.it.ConnectPackets.WILL;
import static io.tern.broker.it.ConnectPackets.WILL_RETAIN;
import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.concat;
import static io.tern.broker.it.ConnectPackets.connect;
import static io.tern.broker.it.ConnectPackets.field;
import static io.tern.broker.it.ConnectPackets.string;
import static io.tern.broker.it.ConnectPackets.willQos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.BrokerBuilder;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.PingReq;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MQTT 5 CONNECT as the broker checks it: malformed CONNECTs and packets before CONNECT close
 * the connection without accepting anything; well-formed ones are authenticated and answered with
 * a single CONNACK; nothing after a refusal is processed.
 *
 * <p>The specification lets a server answer a malformed CONNECT with a CONNACK of 0x80 or above
 * before it closes the connection, or close it at once [MQTT-4.13.1-1]. The tests accept either;
 * Tern closes at once, since the decoder rejects the CONNECT before the protocol layer knows
 * which form of CONNACK the client would read.
 */
@Timeout(60)
class Mqtt5ConnectValidationTest extends Mqtt5BrokerTest {
  private static final int MAX_CLIENT_ID_LENGTH = 23;

  private final List<AuthRequest> requests = new CopyOnWriteArrayList<>();
  private RawMqtt5Client watcher;

  /** A malformed CONNECT or a packet before CONNECT, from a client that would call itself "offender". */
  record Case(String description, byte[] bytes) {
    @Override
    public String toString() {
      return description;
    }
  }

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    Executor database = CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS);
    return builder.maxClientIdLength(MAX_CLIENT_ID_LENGTH).authenticator(request -> {
      requests.add(request);
      return switch (request.username().orElse("")) {
        case "refused" -> CompletableFuture.completedFuture(AuthResult.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD));
        case "banned" -> CompletableFuture.completedFuture(AuthResult.deny(ReasonCode.NOT_AUTHORIZED));
        // answers later, as a database would, while the client's next packets are already there
        case "slowly-refused" -> CompletableFuture.supplyAsync(
            () -> AuthResult.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD), database);
        default -> CompletableFuture.completedFuture(AuthResult.allow());
      };
    });
  }

  @BeforeEach
  void connectWatcher() throws Exception {
    watcher = rawMqtt5("watcher");
    watcher.subscribe(1, "leak/#", 0);
  }

  private static final byte[] LEAK = publish5("leak/after", "must not be processed");

  /** A QoS 0 MQTT 5 PUBLISH without properties, as raw bytes. */
  private static byte[] publish5(String topic, String payload) {
    return RawClient.frame(0x30, concat(string(topic), bytes(0), payload.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] encode5(Packet packet) {
    ByteBuffer buffer = ByteBuffer.allocate(MqttEncoder.size(packet, 5));
    MqttEncoder.write(packet, 5, buffer);
    return buffer.array();
  }

  private static Case offence(String description, byte[] bytes) {
    return new Case(description, bytes);
  }

  /** An MQTT 5 CONNECT: name "MQTT", level 5, these flags, keep-alive 0, then these fields. */
  private static byte[] connect5(int flags, byte[]... fields) {
    return connect("MQTT", 5, flags, 0, fields);
  }

  static Stream<Case> malformedConnects() {
    byte[] noProperties = bytes(0);
    byte[] id = string("offender");
    return Stream.of(
        offence("protocol name MQTX [MQTT-3.1.2-1]", connect("MQTX", 5, CLEAN_SESSION, 0, noProperties, id)),
        offence("protocol name mqtt [MQTT-3.1.2-1]", connect("mqtt", 5, CLEAN_SESSION, 0, noProperties, id)),
        offence("protocol name MQIsdp at level 5 [MQTT-3.1.2-1]",
            connect("MQIsdp", 5, CLEAN_SESSION, 0, noProperties, id)),
        offence("reserved flag set [MQTT-3.1.2-3]", connect5(CLEAN_SESSION | 0x01, noProperties, id)),
        offence("Will QoS 1 without Will Flag [MQTT-3.1.2-11]",
            connect5(CLEAN_SESSION | willQos(1), noProperties, id)),
        offence("Will QoS 2 without Will Flag [MQTT-3.1.2-11]",
            connect5(CLEAN_SESSION | willQos(2), noProperties, id)),
        offence("Will QoS 3 [MQTT-3.1.2-12]", connect5(CLEAN_SESSION | WILL | willQos(3), noProperties, id,
            bytes(0), string("wills/x"), string("gone"))),
        offence("Will Retain without Will Flag [MQTT-3.1.2-13]",
            connect5(CLEAN_SESSION | WILL_RETAIN, noProperties, id)),
        offence("Will Flag without Will Properties, Topic and Payload [MQTT-3.1.2-9]",
            connect5(CLEAN_SESSION | WILL, noProperties, id)),
        offence("Will Flag with Will Properties but no Will Topic or Payload [MQTT-3.1.2-9]",
            connect5(CLEAN_SESSION | WILL, noProperties, id, bytes(0))),
        offence("User Name Flag 0 with a User Name [MQTT-3.1.2-16]",
            connect5(CLEAN_SESSION, noProperties, id, string("alice"))),
        offence("User Name Flag 1 without a User Name [MQTT-3.1.2-17]",
            connect5(CLEAN_SESSION | USERNAME, noProperties, id)),
        offence("Password Flag 0 with a Password [MQTT-3.1.2-18]",
            connect5(CLEAN_SESSION | USERNAME, noProperties, id, string("alice"), string("secret"))),
        offence("Password Flag 1 without a Password [MQTT-3.1.2-19]",
            connect5(CLEAN_SESSION | USERNAME | PASSWORD, noProperties, id, string("alice"))),
        offence("Password Flag 1 alone, without a Password [MQTT-3.1.2-19]",
            connect5(CLEAN_SESSION | PASSWORD, noProperties, id)),
        offence("no Client Identifier [MQTT-3.1.3-3]", connect5(CLEAN_SESSION, noProperties)),
        offence("Client Identifier not UTF-8 [MQTT-3.1.3-4]",
            connect5(CLEAN_SESSION, noProperties, field(0xC3, 0x28))),
        offence("Client Identifier with U+0000 [MQTT-1.5.4-2]",
            connect5(CLEAN_SESSION, noProperties, field('o', 0, 'f'))),
        offence("Will Topic not UTF-8 [MQTT-3.1.3-11]",
            connect5(CLEAN_SESSION | WILL, noProperties, id, bytes(0), field(0xFF, 'x'), string("gone"))),
        offence("User Name not UTF-8 [MQTT-3.1.3-12]",
            connect5(CLEAN_SESSION | USERNAME, noProperties, id, field(0xC0, 0xAF))),
        offence("Receive Maximum 0 [MQTT-3.1.4-1]", connect5(CLEAN_SESSION, bytes(3, 0x21, 0, 0), id)),
        offence("a property CONNECT may not carry [MQTT-3.1.4-1]",
            connect5(CLEAN_SESSION, bytes(2, 0x01, 0x01), id)),
        offence("property length past the end of the packet [MQTT-3.1.4-1]",
            connect5(CLEAN_SESSION, bytes(100), id)));
  }

  static Stream<Case> packetsBeforeConnect() {
    return Stream.of(
        offence("PUBLISH first [MQTT-3.1.0-1]", LEAK),
        offence("SUBSCRIBE first [MQTT-3.1.0-1]",
            RawClient.frame(0x82, concat(bytes(0, 1, 0), string("leak/#"), bytes(0)))),
        offence("PINGREQ first [MQTT-3.1.0-1]", bytes(0xC0, 0)),
        offence("AUTH first [MQTT-3.1.0-1]", bytes(0xF0, 0)),
        offence("DISCONNECT first [MQTT-3.1.0-1]", bytes(0xE0, 0)));
  }

  /**
   * Reads what the broker sends until it closes the connection: nothing, or a CONNACK refusing
   * the client; fails if the connection stays open for five seconds.
   */
  private static List<RawClient.Frame> untilClosed(RawClient client) throws IOException {
    List<RawClient.Frame> frames = new ArrayList<>();
    while (true) {
      try {
        frames.add(client.read());
      } catch (EOFException | SocketException closed) {
        return frames;
      }
    }
  }

  /** Closed, after nothing or after a CONNACK with a reason code of 0x80 or above. */
  private static void assertClosedWithoutAccepting(RawClient client) throws IOException {
    List<RawClient.Frame> frames = untilClosed(client);
    assertThat(frames).as("what the broker sent before closing").hasSizeLessThanOrEqualTo(1);
    for (RawClient.Frame frame : frames) {
      assertThat(frame.type()).as("packet type").isEqualTo(PacketType.CONNACK);
      assertThat(frame.body()[1] & 0xFF).as("CONNACK reason code").isGreaterThanOrEqualTo(0x80);
    }
    // What Tern does: it closes without a CONNACK.
    assertThat(frames).isEmpty();
  }

  /** Nothing the offender sent reached the broker's clients: the marker is the watcher's first message. */
  private void assertNothingLeaked() throws Exception {
    try (RawMqtt5Client marker = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("marker", true, 60, Properties.EMPTY))) {
      marker.publish("leak/marker", 0, 0, "marker");
    }
    Publish first = (Publish) watcher.read(PacketType.PUBLISH);
    assertThat(first.topic()).isEqualTo("leak/marker");
  }

  private boolean sessionExists(String clientId) {
    return broker.admin().session(clientId).toCompletableFuture().join().isPresent();
  }

  private List<AuthRequest> requestsOf(String clientId) {
    return requests.stream().filter(r -> r.clientId().equals(clientId)).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedConnects")
  void aMalformedConnectClosesTheConnectionAndIsNotProcessed_MQTT_3_1_4_1(Case offence) throws Exception {
    try (RawClient offender = new RawClient(broker)) {
      offender.send(concat(offence.bytes(), LEAK));
      assertClosedWithoutAccepting(offender);
    }
    assertThat(sessionExists("offender")).as("a session for the offender").isFalse();
    assertThat(requestsOf("offender")).as("authentication requests").isEmpty();
    assertNothingLeaked();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packetsBeforeConnect")
  void aConnectionWhoseFirstPacketIsNotConnectIsClosed_MQTT_3_1_0_1(Case offence) throws Exception {
    try (RawClient offender = new RawClient(broker)) {
      offender.send(concat(offence.bytes(), LEAK));
      assertClosedWithoutAccepting(offender);
    }
    assertNothingLeaked();
  }

  @ParameterizedTest(name = "protocol level {0}")
  @ValueSource(ints = {0, 1, 2, 6, 7, 255})
  void aProtocolVersionTheBrokerDoesNotSpeakIsRefusedAndClosed_MQTT_3_1_2_2(int level) throws Exception {
    // An MQTT 5 shaped CONNECT and a 3.1.1 shaped one: the broker cannot tell which the client meant.
    for (byte[] connect : List.of(connect("MQTT", level, CLEAN_SESSION, 0, bytes(0), string("offender")),
        connect("MQTT", level, CLEAN_SESSION, 0, string("offender")))) {
      try (RawClient offender = new RawClient(broker)) {
        offender.send(concat(connect, LEAK));
        List<RawClient.Frame> frames = untilClosed(offender);
        assertThat(frames).hasSizeLessThanOrEqualTo(1);
        for (RawClient.Frame frame : frames) {
          // For a level it does not know, Tern refuses in the 3.1.1 form: return code 0x01.
          assertThat(frame.type()).isEqualTo(PacketType.CONNACK);
          assertThat(frame.body()).containsExactly(0, ConnAck.UNACCEPTABLE_PROTOCOL_VERSION);
        }
      }
    }
    assertThat(sessionExists("offender")).isFalse();
    assertNothingLeaked();
  }

  @Test
  void aConnectWithEveryPayloadFieldIsAcceptedWithASingleConnack0x00_MQTT_3_1_3_1_MQTT_3_1_2_9_MQTT_3_1_4_5()
      throws Exception {
    Properties willProperties = Properties.builder().userProperty("why", "dropped").contentType("text/plain").build();
    Connect.Will will = new Connect.Will("leak/will", "gone".getBytes(StandardCharsets.UTF_8), 1, false,
        willProperties);
    Connect connect = new Connect("MQTT", 5, true, 60, "full", will, "alice",
        "secret".getBytes(StandardCharsets.UTF_8), Properties.builder().sessionExpiryInterval(0).build());
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(connect); // the first packet the broker sends is the CONNACK
      assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(ack.sessionPresent()).isFalse();
      client.send(PingReq.INSTANCE);
      assertThat(client.read().type()).as("a single CONNACK, then the PINGRESP").isEqualTo(PacketType.PINGRESP);
    } // closed without DISCONNECT: the will goes out

    assertThat(requestsOf("full")).singleElement().satisfies(request -> {
      assertThat(request.username()).contains("alice");
      assertThat(request.password().map(p -> new String(p, StandardCharsets.UTF_8))).contains("secret");
      assertThat(request.protocolVersion()).isEqualTo(5);
    });
    Publish published = (Publish) watcher.read(PacketType.PUBLISH);
    assertThat(published.topic()).isEqualTo("leak/will");
    assertThat(new String(published.payload(), StandardCharsets.UTF_8)).isEqualTo("gone");
    assertThat(published.properties().userProperties()).containsExactly(new Properties.UserProperty("why", "dropped"));
    assertThat(published.properties().contentType()).isEqualTo("text/plain");
  }

  @Test
  void aPasswordWithoutAUserNameIsReadAndHandedToTheAuthenticator_MQTT_3_1_2_19() throws Exception {
    Connect connect = new Connect("MQTT", 5, true, 60, "token-only", null, null,
        "token".getBytes(StandardCharsets.UTF_8), Properties.EMPTY);
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }
    assertThat(requestsOf("token-only")).singleElement().satisfies(request -> {
      assertThat(request.username()).isEmpty();
      assertThat(request.password().map(p -> new String(p, StandardCharsets.UTF_8))).contains("token");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "7", "0123456789abcdefghijXYZ", "ABCDEFGHIJKLMNOPQRSTUVW"})
  void clientIdentifiersOf1To23AlphanumericBytesAreAccepted_MQTT_3_1_3_5(String clientId) throws Exception {
    // The smallest limit the broker can be configured with still admits them.
    assertThat(clientId.length()).isLessThanOrEqualTo(MAX_CLIENT_ID_LENGTH);
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(RawMqtt5Client.connectPacket(clientId, true, 60, Properties.EMPTY));
      assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(ack.properties().assignedClientIdentifier()).as("kept, not replaced").isNull();
      assertThat(sessionExists(clientId)).isTrue();
    }
  }

  @Test
  void aConnectTheAuthenticatorRefusesGetsItsReasonCodeAndTheConnectionCloses_MQTT_3_1_4_2() throws Exception {
    for (String user : List.of("refused", "banned")) {
      Connect connect = new Connect("MQTT", 5, true, 60, "who-" + user, null, user,
          "x".getBytes(StandardCharsets.UTF_8), Properties.EMPTY);
      try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
        ConnAck ack = client.connect(connect);
        assertThat(ack.reasonCode()).isEqualTo(user.equals("refused")
            ? ReasonCode.BAD_USER_NAME_OR_PASSWORD : ReasonCode.NOT_AUTHORIZED);
        assertThat(client.closedByBroker()).as("closed after CONNACK 0x%x", ack.returnCode()).isTrue();
      }
      assertThat(sessionExists("who-" + user)).isFalse();
    }
  }

  @Test
  void nothingAfterARefusedConnectIsProcessed_MQTT_3_1_4_6() throws Exception {
    byte[] subscribe = RawClient.frame(0x82, concat(bytes(0, 1, 0), string("leak/#"), bytes(0)));
    List<Connect> refused = List.of(
        // refused by the authenticator a moment later, while the next packets wait to be read
        new Connect("MQTT", 5, true, 60, "slow", null, "slowly-refused", null, Properties.EMPTY),
        // refused by the broker at once: a client id over the limit
        new Connect("MQTT", 5, true, 60, "x".repeat(MAX_CLIENT_ID_LENGTH + 1), null, null, null, Properties.EMPTY));
    for (Connect connect : refused) {
      try (RawClient client = new RawClient(broker)) {
        client.send(concat(encode5(connect), LEAK, subscribe));
        List<RawClient.Frame> frames = untilClosed(client);
        assertThat(frames).singleElement().satisfies(frame -> {
          assertThat(frame.type()).isEqualTo(PacketType.CONNACK);
          assertThat(frame.body()[1] & 0xFF).isGreaterThanOrEqualTo(0x80); // and no SUBACK after it
        });
      }
      assertThat(sessionExists(connect.clientId())).isFalse();
    }
    assertNothingLeaked();
  }

  @Test
  void aSecondConnectGetsADisconnectNotASecondConnack_MQTT_3_2_0_2() throws Exception {
    Connect connect = RawMqtt5Client.connectPacket("twice", true, 60, Properties.EMPTY);
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      client.send(connect);
      Disconnect disconnect = (Disconnect) client.read(PacketType.DISCONNECT);
      assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(client.closedByBroker()).isTrue();
    }
    // both CONNECTs in one write: still one CONNACK
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      client.send(concat(encode5(connect), encode5(connect)));
      assertThat(client.read(PacketType.CONNACK)).isNotNull();
      assertThat(((Disconnect) client.read(PacketType.DISCONNECT)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void aDisconnectTooLargeForTheClientIsNotSentButTheConnectionStillCloses_MQTT_4_13_2_1() throws Exception {
    Properties small = Properties.builder().maximumPacketSize(32).build();
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(RawMqtt5Client.connectPacket("small", true, 60, small)).reasonCode())
          .isEqualTo(ReasonCode.SUCCESS);
      // DISCONNECT 0x9D with this Server Reference exceeds the client's 32 bytes: it cannot be sent
      assertThat(broker.admin().redirect("small", "mqtt.example:1883/" + "x".repeat(40), true)
          .toCompletableFuture().join()).isTrue();
      await().until(client::closedByBroker);
    }
    await().until(() -> !sessionExists("small"));
  }
}
