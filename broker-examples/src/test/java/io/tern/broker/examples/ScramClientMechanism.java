package io.tern.broker.examples;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802) for the HiveMQ MQTT 5 client, written for the test
 * from the RFC: sends the client-first-message, answers the server-first-message with a proof,
 * and accepts the server only if its final message carries the right ServerSignature.
 */
final class ScramClientMechanism implements Mqtt5EnhancedAuthMechanism {
  private static final String GS2_HEADER = "n,,";

  private final String username;
  private final char[] password;
  private String clientFirstBare;
  private String clientNonce;
  private byte[] expectedServerSignature;
  /** Whether the server proved itself with its final message, at CONNECT or the last re-authentication. */
  volatile boolean serverVerified;
  volatile int rejectedWith = -1;

  ScramClientMechanism(String username, String password) {
    this.username = username;
    this.password = password.toCharArray();
  }

  @Override
  public MqttUtf8String getMethod() {
    return MqttUtf8String.of(ScramSha256Authenticator.METHOD);
  }

  @Override
  public int getTimeout() {
    return 10;
  }

  @Override
  public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder auth) {
    auth.data(clientFirst());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
    auth.data(clientFirst());
    return CompletableFuture.completedFuture(null);
  }

  private byte[] clientFirst() {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    clientNonce = Base64.getEncoder().encodeToString(random);
    serverVerified = false;
    clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
  }

  /** The server-first-message: answered with the client-final-message and its proof. */
  @Override
  public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder answer) {
    String serverFirst = text(auth.getData());
    String[] attributes = serverFirst.split(",");
    String nonce = attributes[0].substring(2);
    if (!attributes[0].startsWith("r=") || !nonce.startsWith(clientNonce) || nonce.equals(clientNonce)) {
      return CompletableFuture.completedFuture(false);
    }
    byte[] salt = Base64.getDecoder().decode(attributes[1].substring(2));
    int iterations = Integer.parseInt(attributes[2].substring(2));
    byte[] saltedPassword = ScramCredentials.saltedPassword(password, salt, iterations);
    byte[] clientKey = ScramCredentials.hmac(saltedPassword, "Client Key");
    byte[] storedKey = ScramCredentials.sha256(clientKey);
    String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
        + ",r=" + nonce;
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] clientSignature = ScramCredentials.hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
    }
    expectedServerSignature = ScramCredentials.hmac(ScramCredentials.hmac(saltedPassword, "Server Key"), authMessage);
    answer.data((withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8));
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
    return CompletableFuture.completedFuture(verify(connAck.getEnhancedAuth()));
  }

  @Override
  public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
    return CompletableFuture.completedFuture(verify(Optional.of(auth)));
  }

  /** The server-final-message "v=ServerSignature" proves the server knows the ServerKey. */
  private boolean verify(Optional<? extends Mqtt5EnhancedAuth> auth) {
    String serverFinal = auth.map(a -> text(a.getData())).orElse("");
    serverVerified = serverFinal.startsWith("v=") && expectedServerSignature != null
        && MessageDigest.isEqual(Base64.getDecoder().decode(serverFinal.substring(2)), expectedServerSignature);
    return serverVerified;
  }

  @Override
  public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
    rejectedWith = connAck.getReasonCode().getCode();
  }

  @Override
  public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
    rejectedWith = disconnect.getReasonCode().getCode();
  }

  @Override
  public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {}

  @Override
  public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {}

  private static String text(Optional<ByteBuffer> data) {
    return data.map(buffer -> {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }).orElse("");
  }
}
