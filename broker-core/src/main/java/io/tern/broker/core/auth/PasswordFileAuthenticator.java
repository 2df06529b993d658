package io.tern.broker.core.auth;

import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import io.tern.broker.spi.auth.Authenticator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Accepts clients whose user name is in a {@link PasswordFile} and whose UTF-8 password matches
 * the stored hash. Clients without a user name or a password are refused with {@link
 * ReasonCode#BAD_USER_NAME_OR_PASSWORD}, as are unknown users and wrong passwords.
 *
 * <p>Hashing is deliberately slow, so it runs on the executor given to the constructor and {@link
 * #authenticate} returns at once; size that executor to bound how much CPU connection attempts can
 * take. An executor that refuses the task refuses the client with {@link ReasonCode#SERVER_BUSY}.
 * For an unknown user it still verifies the password, against a hash of a random password made
 * with the hasher's iteration count, so that response times do not tell which users exist; hash
 * the file with the same iteration count for this to hold.
 *
 * <p>Thread-safe. The constructor blocks while it makes that one hash; {@link #authenticate} does
 * not block. The request's password bytes, and every copy made of them, are cleared once checked.
 */
public final class PasswordFileAuthenticator implements Authenticator {
  private static final CompletableFuture<AuthResult> BAD_CREDENTIALS =
      CompletableFuture.completedFuture(AuthResult.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD));

  private final PasswordFile file;
  private final PasswordHasher hasher;
  private final Executor executor;
  private final String dummyHash;

  public PasswordFileAuthenticator(PasswordFile file, PasswordHasher hasher, Executor executor) {
    this.file = Objects.requireNonNull(file, "file");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.dummyHash = hasher.hash(randomPassword());
  }

  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    if (request.username().isEmpty() || request.password().isEmpty()) {
      // Says nothing the client does not know, so there is no need to spend time on it.
      request.password().ifPresent(password -> Arrays.fill(password, (byte) 0));
      return BAD_CREDENTIALS.copy();
    }
    String username = request.username().get();
    byte[] password = request.password().get();
    try {
      return CompletableFuture.supplyAsync(() -> check(username, password), executor);
    } catch (RejectedExecutionException e) {
      Arrays.fill(password, (byte) 0);
      return CompletableFuture.completedFuture(AuthResult.deny(ReasonCode.SERVER_BUSY));
    }
  }

  private AuthResult check(String username, byte[] passwordBytes) {
    char[] password = decode(passwordBytes);
    Arrays.fill(passwordBytes, (byte) 0);
    try {
      String stored = file.encodedHash(username).orElse(null);
      boolean matches;
      if (password == null || stored == null) {
        // Spend the same time as a real check, then refuse whatever the outcome.
        hasher.verify(password == null ? new char[0] : password, dummyHash);
        matches = false;
      } else {
        matches = hasher.verify(password, stored);
      }
      return matches
          ? AuthResult.allow()
          : AuthResult.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** The password as characters, or null when it is not valid UTF-8 (so it cannot match). */
  private static char[] decode(byte[] bytes) {
    CharBuffer chars;
    try {
      chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      return null;
    }
    char[] password = new char[chars.remaining()];
    chars.get(password);
    if (chars.hasArray()) {
      Arrays.fill(chars.array(), '\0'); // the decoder's buffer is another copy of the password
    }
    return password;
  }

  private static char[] randomPassword() {
    byte[] seed = new byte[24];
    new SecureRandom().nextBytes(seed);
    char[] password = new char[seed.length];
    for (int i = 0; i < seed.length; i++) {
      password[i] = (char) ('!' + (seed[i] & 0x3f));
    }
    return password;
  }
}
