package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link MqttDecoder#forClient}: what a server sends, checked as strictly. */
class ClientSideDecoderTest {
  private final MqttDecoder decoder = MqttDecoder.forClient(1024);

  @Test
  void decodesServerPacketsWithoutAConnectFirst() {
    assertThat(decoder.decode(buffer(CONNACK_SESSION_PRESENT))).isEqualTo(new ConnAck(true, 0));
    assertThat(decoder.decode(buffer(SUBACK)))
        .usingRecursiveComparison()
        .isEqualTo(SUBACK_PACKET);
    assertThat(decoder.decode(buffer(UNSUBACK))).isEqualTo(new UnsubAck(11));
    assertThat(decoder.decode(buffer(PINGRESP))).isSameAs(PingResp.INSTANCE);
    assertThat(decoder.violation()).isNull();
  }

  @Test
  void reservedConnackFlagsAreMalformedForAClient() {
    assertThat(decoder.decode(buffer(bytes(0x20, 2, 0x02, 0x00)))).isNull();
    assertThat(decoder.violation().specId()).isEqualTo("MQTT-3.2.2-1");
  }

  @Test
  void reservedSubackReturnCodeIsMalformed_MQTT_3_9_3_2() {
    assertThat(decoder.decode(buffer(bytes(0x90, 3, 0x00, 0x01, 0x03)))).isNull();
    assertThat(decoder.violation().specId()).isEqualTo("MQTT-3.9.3-2");
  }

  @Test
  void subackWithoutReturnCodesIsMalformed() {
    assertThat(decoder.decode(buffer(bytes(0x90, 2, 0x00, 0x01)))).isNull();
    assertThat(decoder.violation().specId()).isEqualTo("remaining-length-mismatch");
  }
}
