package io.tern.broker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.junit.BrokerUri;
import io.tern.broker.junit.TernBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DeviceCommandService} commanding devices played by Paho network clients. */
@Timeout(30)
class DeviceCommandServiceTest {
  @RegisterExtension
  static final TernBrokerExtension broker = TernBrokerExtension.perClass();

  private static final Duration GENEROUS = Duration.ofSeconds(10);

  private DeviceCommandService service;

  @BeforeEach
  void startTheService(Broker running) {
    service = new DeviceCommandService(running);
  }

  @AfterEach
  void closeTheService() {
    service.close();
  }

  @Test
  void aCommandCompletesWithTheDevicesReply(@BrokerUri String uri) throws Exception {
    try (Device thermostat = Device.connect(uri, "thermostat-7", command -> "done: " + command)) {
      CompletableFuture<String> reply = service.sendCommand("thermostat-7", "set 21.5", GENEROUS);

      assertThat(reply).succeedsWithin(GENEROUS).isEqualTo("done: set 21.5");
      assertThat(thermostat.commands).singleElement().satisfies(command -> {
        assertThat(command.qos()).isEqualTo(1);
        assertThat(command.payload()).matches("[0-9a-f-]{36}:set 21\\.5");
      });
    }
  }

  @Test
  void aSilentDeviceMakesTheCommandTimeOut(@BrokerUri String uri) throws Exception {
    try (Device silent = Device.connect(uri, "silent-1", Device.SILENT)) {
      CompletableFuture<String> reply = service.sendCommand("silent-1", "status", Duration.ofMillis(300));

      assertThat(reply).failsWithin(GENEROUS)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(TimeoutException.class);
      // It timed out although the command was delivered: the device, not the sending, was the problem.
      assertThat(silent.commands).singleElement().extracting(Device.Command::text).isEqualTo("status");
    }
  }

  @Test
  void repliesArePairedWithCommandsByTokenNotByOrder(@BrokerUri String uri) throws Exception {
    try (Device lamp = Device.connect(uri, "lamp-2", Device.SILENT)) {
      CompletableFuture<String> first = service.sendCommand("lamp-2", "on", GENEROUS);
      CompletableFuture<String> second = service.sendCommand("lamp-2", "dim 40", GENEROUS);
      await().until(() -> lamp.commands.size() == 2);

      lamp.reply(lamp.commands.get(1).token(), "dimmed");
      lamp.reply(lamp.commands.get(0).token(), "switched on");

      assertThat(second).succeedsWithin(GENEROUS).isEqualTo("dimmed");
      assertThat(first).succeedsWithin(GENEROUS).isEqualTo("switched on");
    }
  }

  @Test
  void aDeviceCannotAnswerAnotherDevicesCommand(@BrokerUri String uri) throws Exception {
    try (Device door = Device.connect(uri, "door-1", Device.SILENT);
        Device intruder = Device.connect(uri, "camera-1", Device.SILENT)) {
      CompletableFuture<String> unlock = service.sendCommand("door-1", "unlock", GENEROUS);
      CompletableFuture<String> snapshot = service.sendCommand("camera-1", "snapshot", GENEROUS);
      await().until(() -> door.commands.size() == 1 && intruder.commands.size() == 1);

      // The camera learns the door's token somehow and answers it on its own replies topic.
      intruder.reply(door.commands.get(0).token(), "forged");
      // Replies on one topic are delivered in order: once this one is in, the forged one was seen.
      intruder.reply(intruder.commands.get(0).token(), "snapped");
      assertThat(snapshot).succeedsWithin(GENEROUS).isEqualTo("snapped");
      assertThat(unlock).isNotDone();

      door.reply(door.commands.get(0).token(), "unlocked");
      assertThat(unlock).succeedsWithin(GENEROUS).isEqualTo("unlocked");
    }
  }

  @Test
  void closingTheServiceCancelsCommandsStillWaiting(@BrokerUri String uri) throws Exception {
    try (Device silent = Device.connect(uri, "silent-2", Device.SILENT)) {
      CompletableFuture<String> reply = service.sendCommand("silent-2", "reboot", GENEROUS);
      await().until(() -> silent.commands.size() == 1);

      service.close();

      assertThat(reply).isCancelled();
      assertThatThrownBy(() -> service.sendCommand("silent-2", "reboot", GENEROUS))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aDeviceIdMustBeOneTopicLevel() {
    for (String bad : List.of("", "a/b", "+", "lamp#")) {
      assertThatThrownBy(() -> service.sendCommand(bad, "on", GENEROUS))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theExampleGetsTheLampsReplyAndTheBoilersTimeout() throws Exception {
    assertThat(DeviceCommandExample.run()).containsExactly("lamp-1 replied: ok, on", "boiler-3 did not reply in time");
  }

  /**
   * A device on the network: subscribes to its commands and, unless silent, answers each at once.
   * Asynchronous, because Paho's blocking client must not publish at QoS 1 from its own callback.
   */
  private static final class Device implements AutoCloseable {
    static final UnaryOperator<String> SILENT = null;

    record Command(String token, String text, int qos) {
      String payload() {
        return token + ":" + text;
      }
    }

    final List<Command> commands = new CopyOnWriteArrayList<>();
    private final String id;
    private final MqttAsyncClient client;

    private Device(String id, MqttAsyncClient client) {
      this.id = id;
      this.client = client;
    }

    /** Connects a device that answers each command with {@code answer(command)}, or not at all when SILENT. */
    static Device connect(String uri, String id, UnaryOperator<String> answer) throws MqttException {
      Device device = new Device(id, new MqttAsyncClient(uri, id, new MemoryPersistence()));
      device.client.setCallback(new MqttCallback() {
        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void messageArrived(String topic, MqttMessage message) throws MqttException {
          String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
          int colon = payload.indexOf(':');
          Command command = new Command(payload.substring(0, colon), payload.substring(colon + 1), message.getQos());
          device.commands.add(command);
          if (answer != SILENT) {
            device.reply(command.token(), answer.apply(command.text()));
          }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
      });
      device.client.connect(Paho.options()).waitForCompletion(GENEROUS.toMillis());
      device.client.subscribe("devices/" + id + "/commands", 1).waitForCompletion(GENEROUS.toMillis());
      return device;
    }

    /** Publishes a reply on this device's replies topic, without waiting for it to be acknowledged. */
    void reply(String token, String text) throws MqttException {
      client.publish("devices/" + id + "/replies", (token + ":" + text).getBytes(StandardCharsets.UTF_8), 1, false);
    }

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnect(1000).waitForCompletion(GENEROUS.toMillis());
      }
      client.close(true);
    }
  }
}
