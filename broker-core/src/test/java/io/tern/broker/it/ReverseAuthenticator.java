package io.tern.broker.it;

import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import io.tern.broker.spi.auth.AuthStep;
import io.tern.broker.spi.auth.Authenticator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A toy enhanced authentication method for tests, {@value #METHOD}: the broker sends challenges
 * and the client answers each with the challenge reversed. The client's first Authentication Data
 * is the plan, {@code "<rounds> <outcome>"}: how many challenges, then {@code allow} (with final
 * data {@value #WELCOME}), {@code deny:<hex reason code>}, {@code redirect}, {@code moved} or
 * {@code fail}. Without a method it decides by user name: {@code moved} is redirected, {@code
 * continue} gets a challenge (which the broker must not send), anyone else is allowed.
 *
 * <p>Every answer comes from another thread, as from a database; {@link #hold()} makes answers
 * wait until {@link #release()}.
 */
final class ReverseAuthenticator implements Authenticator, AutoCloseable {
  static final String METHOD = "REVERSE";
  static final String WELCOME = "welcome";
  static final String ELSEWHERE = "backup.example:1883";

  /** Where an exchange is: answers so far, the plan, and the answer expected next. */
  record Progress(int answered, int rounds, String outcome, String expected) {}

  final List<AuthRequest> requests = new CopyOnWriteArrayList<>();
  final List<AuthStep> steps = new CopyOnWriteArrayList<>();
  private final ExecutorService database = Executors.newSingleThreadExecutor(r -> new Thread(r, "auth-database"));
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

  @Override
  public Set<String> authenticationMethods() {
    return Set.of(METHOD);
  }

  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    requests.add(request);
    if (request.authenticationMethod().isEmpty()) {
      return later(() -> switch (request.username().orElse("")) {
        case "moved" -> AuthResult.redirect(ELSEWHERE, true);
        case "continue" -> AuthResult.continueWith(bytes("not for this client"));
        default -> AuthResult.allow();
      });
    }
    String[] plan = text(request.authenticationData()).split(" ");
    return later(() -> next(new Progress(0, Integer.parseInt(plan[0]), plan[1], null)));
  }

  @Override
  public CompletionStage<AuthResult> continueAuthentication(AuthStep step) {
    steps.add(step);
    Progress progress = step.state(Progress.class);
    if (!text(step.authenticationData()).equals(progress.expected())) {
      return later(() -> AuthResult.deny(ReasonCode.NOT_AUTHORIZED));
    }
    return later(() -> next(new Progress(progress.answered() + 1, progress.rounds(), progress.outcome(), null)));
  }

  private static AuthResult next(Progress progress) {
    if (progress.answered() < progress.rounds()) {
      String challenge = "challenge-" + (progress.answered() + 1) + "-" + UUID.randomUUID();
      return AuthResult.continueWith(bytes(challenge), new Progress(progress.answered(), progress.rounds(),
          progress.outcome(), reverse(challenge)));
    }
    String outcome = progress.outcome();
    if (outcome.startsWith("deny:")) {
      int code = Integer.parseInt(outcome.substring(5), 16);
      return AuthResult.deny(Arrays.stream(ReasonCode.values()).filter(c -> c.value() == code).findFirst()
          .orElseThrow());
    }
    return switch (outcome) {
      case "allow" -> AuthResult.allow(bytes(WELCOME));
      case "redirect" -> AuthResult.redirect(ELSEWHERE, false);
      case "moved" -> AuthResult.redirect(ELSEWHERE, true);
      case "fail" -> throw new IllegalStateException("authenticator failure for the test");
      default -> throw new IllegalArgumentException("no such outcome: " + outcome);
    };
  }

  /** Answers wait from now on until {@link #release()}. */
  void hold() {
    gate = new CompletableFuture<>();
  }

  void release() {
    gate.complete(null);
  }

  private CompletionStage<AuthResult> later(Supplier<AuthResult> answer) {
    return gate.thenApplyAsync(ignored -> answer.get(), database);
  }

  static String reverse(String s) {
    return new StringBuilder(s).reverse().toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Optional<byte[]> data) {
    return data.map(d -> new String(d, StandardCharsets.UTF_8)).orElse("");
  }

  @Override
  public void close() {
    database.shutdownNow();
  }
}
