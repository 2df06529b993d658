package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke test with Debian's mosquitto_pub and mosquitto_sub, which CI installs. Elsewhere it is
 * skipped when they are missing.
 */
@Timeout(60)
class MosquittoClientsTest {
  private Broker broker;

  @BeforeEach
  void start() {
    boolean installed = onPath("mosquitto_pub") && onPath("mosquitto_sub");
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI must install mosquitto-clients (see .ci/run)");
    }
    Assumptions.assumeTrue(installed, "mosquitto-clients are not installed");
    broker = TestBrokers.start();
  }

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void mosquittoSubReceivesWhatMosquittoPubSends() throws Exception {
    String port = String.valueOf(broker.port());
    for (String version : List.of("mqttv31", "mqttv311")) {
      String prefix = "smoke/" + version;
      // Retained messages first, so that the subscriber gets them whenever it subscribes.
      for (int qos = 0; qos <= 2; qos++) {
        run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", version, "-t", prefix + "/q" + qos,
            "-m", "hello " + qos, "-q", String.valueOf(qos), "-r");
      }
      Process subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", version,
          "-t", prefix + "/#", "-q", "2", "-C", "4", "-v", "-i", "mosq-sub-" + version)
          .redirectErrorStream(true).start();
      // Then live messages until the subscriber has had its fourth and exits.
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", version, "-t", prefix + "/live",
            "-m", "live", "-q", "1");
        return subscriber.waitFor(200, TimeUnit.MILLISECONDS);
      });
      String output = new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(subscriber.exitValue()).as(output).isZero();
      assertThat(output.lines()).containsExactlyInAnyOrder(
          prefix + "/q0 hello 0", prefix + "/q1 hello 1", prefix + "/q2 hello 2", prefix + "/live live");
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
