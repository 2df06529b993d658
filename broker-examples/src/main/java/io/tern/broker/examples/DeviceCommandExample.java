package io.tern.broker.examples;

import io.tern.broker.Broker;
import io.tern.broker.Subscription;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * Application code commanding devices through {@link DeviceCommandService}. A real device would
 * be a network client; here an in-process subscriber stands in for one, so that the example runs
 * on its own.
 */
public final class DeviceCommandExample {
  private DeviceCommandExample() {}

  public static void main(String[] args) throws Exception {
    run().forEach(System.out::println);
  }

  /** Runs the example and returns the lines it prints. */
  static List<String> run() throws Exception {
    List<String> lines = new ArrayList<>();
    ExecutorService deviceThread = Executors.newSingleThreadExecutor();
    try (Broker broker = Broker.builder().port(0).build().start()) {
      Subscription lamp = simulateLamp(broker, deviceThread);
      try (DeviceCommandService devices = new DeviceCommandService(broker)) {
        // join() only because a demo has nothing else to do; real code would chain on the future.
        lines.add("lamp-1 replied: " + devices.sendCommand("lamp-1", "on", Duration.ofSeconds(5)).join());

        // Nobody listens for boiler-3: the future fails once the timeout passes, instead of hanging.
        try {
          devices.sendCommand("boiler-3", "status", Duration.ofMillis(500)).get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TimeoutException)) {
            throw e;
          }
          lines.add("boiler-3 did not reply in time");
        }
      } finally {
        lamp.close();
      }
    } finally {
      deviceThread.shutdownNow();
    }
    return lines;
  }

  /** A lamp that acknowledges every command, repeating the token it came with as the protocol asks. */
  private static Subscription simulateLamp(Broker broker, ExecutorService deviceThread) {
    return broker.subscribe("devices/lamp-1/commands", QoS.AT_LEAST_ONCE, command -> {
      String payload = command.payloadAsString();
      int colon = payload.indexOf(':');
      String token = payload.substring(0, colon);
      String reply = "ok, " + payload.substring(colon + 1);
      broker.publish(Message.of("devices/lamp-1/replies", token + ":" + reply).withQos(QoS.AT_LEAST_ONCE));
    }, deviceThread);
  }
}
