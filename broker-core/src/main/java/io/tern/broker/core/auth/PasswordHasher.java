package io.tern.broker.core.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and verifies passwords with salted PBKDF2-HMAC-SHA256.
 *
 * <p>An encoded hash describes itself, {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>} with the
 * salt and hash in standard Base64, so hashes made with different iteration counts can live in one
 * file and the count can be raised later without invalidating old entries.
 *
 * <p>Thread-safe. Both {@link #hash} and {@link #verify} are deliberately slow, CPU-bound and
 * blocking (about a tenth of a second at the default cost); never call them on an event loop. The
 * caller owns the password arrays and may clear them afterwards; this class keeps no copy.
 */
public final class PasswordHasher {
  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 210_000;

  private static final String SCHEME = "pbkdf2-sha256";
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final int SALT_BYTES = 16;
  private static final int KEY_BYTES = 32;
  // Encoded hashes come from files an operator edits: bound what a typo or a hostile entry can
  // make verification cost or allocate.
  private static final int MAX_ITERATIONS = 100_000_000;
  private static final int MIN_KEY_BYTES = 16;
  private static final int MAX_KEY_BYTES = 64;
  private static final int MAX_SALT_BYTES = 64;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();

  /** A hasher using {@link #DEFAULT_ITERATIONS}. */
  public PasswordHasher() {
    this(DEFAULT_ITERATIONS);
  }

  /**
   * A hasher whose new hashes use this many iterations; {@link #verify} always uses the count
   * stored in the encoded hash.
   *
   * @throws IllegalArgumentException when {@code iterations} is not positive or absurdly large
   */
  public PasswordHasher(int iterations) {
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "iterations must be between 1 and " + MAX_ITERATIONS + ", not " + iterations);
    }
    this.iterations = iterations;
  }

  /** The iteration count of hashes this hasher makes. */
  public int iterations() {
    return iterations;
  }

  /** A new encoded hash of {@code password} with a fresh random salt. */
  public String hash(char[] password) {
    Objects.requireNonNull(password, "password");
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] key = derive(password, salt, iterations, KEY_BYTES);
    Base64.Encoder base64 = Base64.getEncoder();
    return "$" + SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
        + base64.encodeToString(key);
  }

  /**
   * Whether {@code password} is the one {@code encoded} was made from. Returns false, rather than
   * throwing, for a null or empty password or a null, malformed or unknown encoding.
   */
  public boolean verify(char[] password, String encoded) {
    if (password == null || encoded == null) {
      return false;
    }
    String[] parts = encoded.split("\\$", -1);
    if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals(SCHEME)) {
      return false;
    }
    int storedIterations;
    byte[] salt;
    byte[] expected;
    try {
      storedIterations = Integer.parseInt(parts[2]);
      salt = Base64.getDecoder().decode(parts[3]);
      expected = Base64.getDecoder().decode(parts[4]);
    } catch (IllegalArgumentException e) { // NumberFormatException is one too
      return false;
    }
    if (storedIterations < 1 || storedIterations > MAX_ITERATIONS
        || salt.length == 0 || salt.length > MAX_SALT_BYTES
        || expected.length < MIN_KEY_BYTES || expected.length > MAX_KEY_BYTES) {
      return false;
    }
    byte[] actual;
    try {
      actual = derive(password, salt, storedIterations, expected.length);
    } catch (IllegalStateException e) {
      return false;
    }
    try {
      return MessageDigest.isEqual(actual, expected);
    } finally {
      Arrays.fill(actual, (byte) 0);
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations, int keyBytes) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBytes * 8);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // Every Java 17 runtime ships PBKDF2WithHmacSHA256, so this is a broken runtime, or a
      // provider that refuses some passwords (such as empty ones).
      throw new IllegalStateException(ALGORITHM + " failed", e);
    } finally {
      spec.clearPassword(); // the spec holds its own copy of the password
    }
  }
}
