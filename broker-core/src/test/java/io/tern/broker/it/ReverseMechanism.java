package io.tern.broker.it;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client side of {@link ReverseAuthenticator}'s method for the HiveMQ client: sends a plan,
 * answers each challenge reversed, and records what the broker said.
 */
final class ReverseMechanism implements Mqtt5EnhancedAuthMechanism {
  private final String plan;
  private volatile String reauthPlan;
  final List<Mqtt5Auth> challenges = new CopyOnWriteArrayList<>();
  volatile Mqtt5ConnAck connAck;
  volatile Mqtt5Auth reauthenticated;
  volatile Mqtt5Disconnect reauthRejected;

  ReverseMechanism(String plan) {
    this.plan = plan;
    this.reauthPlan = plan;
  }

  /** The plan sent with the next re-authentication. */
  void reauthPlan(String next) {
    reauthPlan = next;
  }

  @Override
  public MqttUtf8String getMethod() {
    return MqttUtf8String.of(ReverseAuthenticator.METHOD);
  }

  @Override
  public int getTimeout() {
    return 10;
  }

  @Override
  public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect,
      Mqtt5EnhancedAuthBuilder auth) {
    auth.data(plan.getBytes(StandardCharsets.UTF_8));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
    auth.data(reauthPlan.getBytes(StandardCharsets.UTF_8));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth challenge,
      Mqtt5AuthBuilder answer) {
    challenges.add(challenge);
    String text = challenge.getData().map(ReverseMechanism::text).orElse("");
    answer.data(ReverseAuthenticator.reverse(text).getBytes(StandardCharsets.UTF_8));
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck success) {
    connAck = success;
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth success) {
    reauthenticated = success;
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck rejection) {
    connAck = rejection;
  }

  @Override
  public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect rejection) {
    reauthRejected = rejection;
  }

  @Override
  public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {}

  @Override
  public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {}

  static String text(ByteBuffer data) {
    ByteBuffer copy = data.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
