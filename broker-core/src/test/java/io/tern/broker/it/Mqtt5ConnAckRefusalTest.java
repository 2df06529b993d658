package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tern.broker.BrokerBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CONNECTs refused with an MQTT 5 reason code in the CONNACK. */
@Timeout(30)
class Mqtt5ConnAckRefusalTest extends BrokerTest {

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.maxQos(io.tern.broker.message.QoS.AT_LEAST_ONCE).maxClientIdLength(23);
  }

  private Mqtt5BlockingClient client(String id) {
    return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
  }

  @Test
  void willQosAboveTheMaximumIsRefusedWith0x9B_MQTT_3_2_2_12() {
    Mqtt5ConnAckException refused = catchThrowableOfType(() -> client("will-qos-2").connectWith()
        .willPublish().topic("wills/x").qos(MqttQos.EXACTLY_ONCE)
        .payload("gone".getBytes(StandardCharsets.UTF_8)).applyWillPublish()
        .send(), Mqtt5ConnAckException.class);

    assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.QOS_NOT_SUPPORTED);
  }

  @Test
  void willQosWithinTheMaximumIsAccepted() {
    Mqtt5BlockingClient client = client("will-qos-1");
    client.connectWith().willPublish().topic("wills/x").qos(MqttQos.AT_LEAST_ONCE)
        .payload("gone".getBytes(StandardCharsets.UTF_8)).applyWillPublish().send();
    client.disconnect();
  }

  @Test
  void clientIdOverTheLimitIsRefusedWith0x85() {
    Mqtt5ConnAckException refused = catchThrowableOfType(
        () -> client("a-client-id-of-thirty-bytes-xx").connect(), Mqtt5ConnAckException.class);

    assertThat(refused.getMqttMessage().getReasonCode())
        .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
  }
}
