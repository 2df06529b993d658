package io.tern.broker.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PasswordFileAuthenticatorTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50000);
  private static final PasswordHasher HASHER = new PasswordHasher(1000);
  private static final PasswordFile FILE = PasswordFile.empty()
      .with("alice", HASHER.hash("wonderland".toCharArray()))
      .with("bob", HASHER.hash("pässwörd".toCharArray()))
      .with("broken", "not-a-hash");

  private final AtomicInteger tasks = new AtomicInteger();
  private final ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
    Thread thread = new Thread(task, "auth-worker-" + tasks.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });
  private final PasswordFileAuthenticator authenticator =
      new PasswordFileAuthenticator(FILE, HASHER, executor);

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void rightPasswordIsAllowed() throws Exception {
    assertThat(result("alice", "wonderland").allowed()).isTrue();
    assertThat(result("bob", "pässwörd").allowed()).isTrue();
  }

  @Test
  void wrongPasswordIsDenied() throws Exception {
    assertThat(result("alice", "Wonderland").reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("alice", "pässwörd").reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("alice", "").reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void unknownUserIsDeniedLikeAWrongPassword() throws Exception {
    assertThat(result("mallory", "wonderland").reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("Alice", "wonderland").reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void missingUsernameOrPasswordIsDenied() throws Exception {
    AuthResult noPassword = await(authenticator.authenticate(request(Optional.of("alice"),
        Optional.empty())));
    AuthResult noUsername = await(authenticator.authenticate(request(Optional.empty(),
        Optional.of(bytes("wonderland")))));
    AuthResult neither = await(authenticator.authenticate(request(Optional.empty(),
        Optional.empty())));

    assertThat(noPassword.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(noUsername.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(neither.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void verificationRunsOnTheGivenExecutor() throws Exception {
    for (String user : new String[] {"alice", "mallory"}) {
      List<String> threads = new CopyOnWriteArrayList<>();
      // Record where the work runs; a stage callback could run on the caller once complete.
      PasswordFileAuthenticator recording = new PasswordFileAuthenticator(FILE, HASHER, task -> executor.execute(() -> {
        threads.add(Thread.currentThread().getName());
        task.run();
      }));
      recording.authenticate(request(user, bytes("wonderland"))).toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(threads).as("threads that checked %s", user).isNotEmpty().allMatch(t -> t.startsWith("auth-worker-"));
    }
  }

  @Test
  void garbageIsDeniedNotThrown() throws Exception {
    byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
    byte[] huge = new byte[1 << 16];

    assertThat(result("alice", invalidUtf8).reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("mallory", invalidUtf8).reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("alice", huge).reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("", bytes("")).reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("broken", bytes("not-a-hash")).reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(result("alice\u0000", bytes("wonderland")).reasonCode())
        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void passwordBytesAreClearedAfterTheCheck() throws Exception {
    byte[] password = bytes("wonderland");

    assertThat(result("alice", password).allowed()).isTrue();
    assertThat(password).containsOnly(0);
  }

  @Test
  void aFullExecutorRefusesTheClientAsBusyWithoutThrowing() throws Exception {
    PasswordFileAuthenticator refusing = new PasswordFileAuthenticator(FILE, HASHER, task -> {
      throw new RejectedExecutionException("full");
    });

    AuthResult result = await(refusing.authenticate(request("alice", bytes("wonderland"))));

    assertThat(result.reasonCode()).isEqualTo(ReasonCode.SERVER_BUSY);
  }

  @Test
  void returnsBeforeTheCheckRuns() throws Exception {
    List<Runnable> queued = new ArrayList<>();
    PasswordFileAuthenticator deferred = new PasswordFileAuthenticator(FILE, HASHER, queued::add);

    CompletionStage<AuthResult> stage =
        deferred.authenticate(request("alice", bytes("wonderland")));

    assertThat(stage.toCompletableFuture()).isNotDone();
    assertThat(queued).hasSize(1);
    queued.get(0).run();
    assertThat(await(stage).allowed()).isTrue();
  }

  private AuthResult result(String username, String password) throws Exception {
    return result(username, bytes(password));
  }

  private AuthResult result(String username, byte[] password) throws Exception {
    return await(authenticator.authenticate(request(username, password)));
  }

  private static AuthResult await(CompletionStage<AuthResult> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static AuthRequest request(String username, byte[] password) {
    return request(Optional.of(username), Optional.of(password));
  }

  private static AuthRequest request(Optional<String> username, Optional<byte[]> password) {
    return new AuthRequest("client-1", username, password, PEER, 4);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
