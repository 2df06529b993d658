package io.tern.broker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StandaloneBrokerTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @Test
  void runsAsAProcessServesClientsAndStopsCleanlyOnSigterm(@TempDir Path workingDirectory) throws Exception {
    // Run in a directory of its own: without --data-dir it keeps its data in ./data.
    Process broker = java(workingDirectory, StandaloneBroker.class, "--port", "0", "--max-inflight", "16",
        "--sys-interval", "1");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
        in.lines().forEach(lines::add);
      } catch (Exception ignored) {
        // the process ended
      }
    });
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> LISTENING.matcher(l).find()));
      Matcher matcher = lines.stream().map(LISTENING::matcher).filter(Matcher::find).findFirst().orElseThrow();
      int port = Integer.parseInt(matcher.group(1));

      MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "standalone-test", new MemoryPersistence());
      client.connect();
      assertThat(client.isConnected()).isTrue();
      // The standalone broker publishes its statistics under $SYS.
      List<String> connected = new CopyOnWriteArrayList<>();
      client.subscribe("$SYS/broker/clients/connected", 0,
          (topic, message) -> connected.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
      await().atMost(Duration.ofSeconds(10)).until(() -> connected.contains("1"));

      // SIGTERM, like Ctrl-C: the shutdown hook closes the broker. Process.destroy() would also
      // close our end of its output, losing the last lines.
      broker.toHandle().destroy();
      assertThat(broker.waitFor(20, TimeUnit.SECONDS)).isTrue();
      reader.join(5000);
      assertThat(broker.exitValue()).as("exit code, output %s", lines).isEqualTo(143);
      assertThat(lines).as("broker output").anyMatch(l -> l.contains("stopped"))
          .anyMatch(l -> l.contains("Opened the data directory"));
      assertThat(workingDirectory.resolve("data")).isDirectory();
      try (java.util.stream.Stream<Path> files = Files.list(workingDirectory.resolve("data"))) {
        assertThat(files.map(f -> f.getFileName().toString())).anyMatch(name -> name.endsWith(".seg"));
      }
      await().untilAsserted(() -> assertThat(client.isConnected()).isFalse());
      client.close(true);
    } finally {
      broker.destroyForcibly();
    }
  }

  @Test
  void helpListsTheOptions() throws Exception {
    Process help = java(StandaloneBroker.class, "--help");
    String output = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(help.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(output).contains("--host", "--port", "--max-packet-size", "--max-inflight", "--connect-timeout",
        "--max-connections", "--receive-maximum", "--topic-alias-maximum", "--sys-interval");
  }

  @Test
  void optionsAreParsedIntoTheBuilder() {
    assertThat(StandaloneBroker.parse(new String[] {"--help"})).isNull();
    assertThat(StandaloneBroker.parse(new String[] {"--port", "0", "--max-qos", "1"})).isNotNull();
    assertThatThrownBy(() -> StandaloneBroker.parse(new String[] {"--host", "0.0.0.0", "--port", "0"}).build())
        .hasMessageContaining("allowAnonymous");
    assertThat(StandaloneBroker.parse(new String[] {"--host", "0.0.0.0", "--allow-anonymous", "--port", "0"})
        .build()).isNotNull();
    assertThatThrownBy(() -> StandaloneBroker.parse(new String[] {"--port"}))
        .hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> StandaloneBroker.parse(new String[] {"--port", "x"}))
        .hasMessageContaining("--port needs a number");
    assertThatThrownBy(() -> StandaloneBroker.parse(new String[] {"--bogus", "1"}))
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> StandaloneBroker.parse(new String[] {"--in-memory", "--data-dir", "x"}))
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> StandaloneBroker.parse(new String[] {"--durability", "later"}))
        .hasMessageContaining("--durability is sync or batch");
  }

  @Test
  void aDataDirectoryKeepsRetainedMessagesAcrossARestart(@TempDir Path dir) throws Exception {
    String[] args = {"--port", "0", "--data-dir", dir.toString(), "--durability", "batch", "--batch-interval", "5"};
    try (Broker broker = StandaloneBroker.parse(args).build().start()) {
      MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + broker.port(), "retain-pub", new MemoryPersistence());
      publisher.connect();
      publisher.publish("standalone/status", "up".getBytes(StandardCharsets.UTF_8), 1, true);
      publisher.disconnect();
      publisher.close();
    }
    try (Broker broker = StandaloneBroker.parse(args).build().start()) {
      MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + broker.port(), "retain-sub", new MemoryPersistence());
      subscriber.connect();
      List<String> received = new CopyOnWriteArrayList<>();
      subscriber.subscribe("standalone/#", 1,
          (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
      await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("up"));
      subscriber.disconnect();
      subscriber.close();
    }
  }

  @Test
  void inMemoryKeepsNothingAcrossARestart() throws Exception {
    String[] args = {"--port", "0", "--in-memory"};
    try (Broker broker = StandaloneBroker.parse(args).build().start()) {
      MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + broker.port(), "mem-pub", new MemoryPersistence());
      publisher.connect();
      publisher.publish("memory/status", "up".getBytes(StandardCharsets.UTF_8), 1, true);
      publisher.disconnect();
      publisher.close();
    }
    try (Broker broker = StandaloneBroker.parse(args).build().start()) {
      MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + broker.port(), "mem-sub", new MemoryPersistence());
      subscriber.connect();
      List<String> received = new CopyOnWriteArrayList<>();
      subscriber.subscribe("memory/#", 1,
          (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
      // A marker published after the subscription arrives after any retained message would have.
      subscriber.publish("memory/marker", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
      await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("marker"));
      assertThat(received).containsExactly("marker");
      subscriber.disconnect();
      subscriber.close();
    }
  }

  @Test
  void theEmbeddingExampleStartsAndStops() throws Exception {
    Process example = java(EmbeddedBroker.class);
    String output = new String(example.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(example.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(example.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("tcp://127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void addUserWritesAPasswordFileThatTheBrokerChecks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path users = dir.resolve("users");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = PasswordTool.addUser(new String[] {"--add-user", users.toString(), "alice"},
        new java.io.ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)),
        new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    assertThat(java.nio.file.Files.readString(users)).startsWith("alice:$pbkdf2-sha256$").doesNotContain("s3cret");

    try (io.tern.broker.Broker broker = StandaloneBroker.parse(
        new String[] {"--port", "0", "--in-memory", "--password-file", users.toString()}).build().start()) {
      org.eclipse.paho.client.mqttv3.MqttConnectOptions options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
      options.setUserName("alice");
      options.setPassword("s3cret".toCharArray());
      MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), "alice-test", new MemoryPersistence());
      client.connect(options);
      assertThat(client.isConnected()).isTrue();
      client.disconnect();
      client.close();
    }
  }

  @Test
  void theApiAndCoreWorkAsJavaModules() throws Exception {
    // broker-api, broker-core and their dependencies on the module path, the application on the
    // class path: the service binding between the api and the core must come from module-info.
    List<String> modular = new java.util.ArrayList<>();
    List<String> plain = new java.util.ArrayList<>();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator)) {
      boolean module = entry.contains("broker-api") || entry.contains("broker-core") || entry.contains("slf4j-api")
          || entry.contains("slf4j-simple") || entry.contains("jctools-core");
      (module ? modular : plain).add(entry);
    }
    String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process example = new ProcessBuilder(javaBin, "--module-path", String.join(File.pathSeparator, modular),
        "--add-modules", "io.tern.broker.core,org.slf4j.simple", "-cp", String.join(File.pathSeparator, plain),
        EmbeddedBroker.class.getName()).redirectErrorStream(true).start();
    String output = new String(example.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(example.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(example.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("tcp://127\\.0\\.0\\.1:\\d+");
  }

  private static Process java(Class<?> main, String... args) throws Exception {
    return java(null, main, args);
  }

  /** @param workingDirectory where the process runs, or null for this one's */
  private static Process java(Path workingDirectory, Class<?> main, String... args) throws Exception {
    String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-cp", classPath, main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    return builder.start();
  }
}
