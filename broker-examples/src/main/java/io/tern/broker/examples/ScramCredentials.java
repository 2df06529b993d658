package io.tern.broker.examples;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a SCRAM-SHA-256 server stores for one user (RFC 5802 section 3, RFC 7677): the salt, the
 * PBKDF2 iteration count, StoredKey and ServerKey. The password itself is not stored, nor
 * anything from which a client proof could be made without it: StoredKey is a hash of the
 * ClientKey, and ServerKey only proves the server to the client.
 *
 * <p>{@link #derive} does the slow part, PBKDF2 with HMAC-SHA-256, once, when a user is added;
 * authentication needs only a few HMACs. {@link #encoded()} and {@link #parse} turn credentials
 * into a line of text for a credentials file and back, in the form {@code
 * SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (Base64).
 *
 * @param salt random bytes, at least 16
 * @param iterations the PBKDF2 iteration count, at least 4096 (RFC 7677)
 * @param storedKey H(ClientKey), 32 bytes
 * @param serverKey HMAC(SaltedPassword, "Server Key"), 32 bytes
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
  public static final int MIN_ITERATIONS = 4096;
  private static final String PREFIX = "SCRAM-SHA-256$";

  public ScramCredentials {
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(storedKey, "storedKey");
    Objects.requireNonNull(serverKey, "serverKey");
    if (salt.length < 16) {
      throw new IllegalArgumentException("salt shorter than 16 bytes");
    }
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("fewer than " + MIN_ITERATIONS + " iterations: " + iterations);
    }
    if (storedKey.length != 32 || serverKey.length != 32) {
      throw new IllegalArgumentException("StoredKey and ServerKey are 32 bytes each");
    }
    salt = salt.clone();
    storedKey = storedKey.clone();
    serverKey = serverKey.clone();
  }

  /**
   * Credentials for a password, with a fresh random salt. Slow by design (PBKDF2); run it where
   * users are added, not on an event loop. The password is read, not cleared.
   */
  public static ScramCredentials derive(char[] password, int iterations) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return derive(password, salt, iterations);
  }

  /** Credentials for a password and a given salt, as {@link #derive(char[], int)}. */
  public static ScramCredentials derive(char[] password, byte[] salt, int iterations) {
    byte[] salted = saltedPassword(password, salt, iterations);
    try {
      byte[] clientKey = hmac(salted, "Client Key");
      return new ScramCredentials(salt, iterations, sha256(clientKey), hmac(salted, "Server Key"));
    } finally {
      Arrays.fill(salted, (byte) 0);
    }
  }

  /**
   * SaltedPassword = Hi(password, salt, i): PBKDF2 with HMAC-SHA-256 and a 32-byte result. The
   * password is used as UTF-8 without SASLprep, so both sides must agree on its exact form.
   */
  public static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
    // PBEKeySpec hands PBKDF2WithHmacSHA256 the password as UTF-8 bytes.
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** HMAC-SHA-256 of a UTF-8 text. */
  public static byte[] hmac(byte[] key, String text) {
    return hmac(key, text.getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA-256. */
  public static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** SHA-256. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] storedKey() {
    return storedKey.clone();
  }

  @Override
  public byte[] serverKey() {
    return serverKey.clone();
  }

  /** The credentials as one line of text, for a file. */
  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
        + b64.encodeToString(serverKey);
  }

  /** Reads credentials written by {@link #encoded()}. */
  public static ScramCredentials parse(String encoded) {
    if (!encoded.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not SCRAM-SHA-256 credentials");
    }
    String[] halves = encoded.substring(PREFIX.length()).split("\\$", -1);
    String[] first = halves[0].split(":", -1);
    String[] second = halves.length == 2 ? halves[1].split(":", -1) : new String[0];
    if (halves.length != 2 || first.length != 2 || second.length != 2) {
      throw new IllegalArgumentException("expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    return new ScramCredentials(b64.decode(first[1]), Integer.parseInt(first[0]), b64.decode(second[0]),
        b64.decode(second[1]));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramCredentials other && iterations == other.iterations && Arrays.equals(salt, other.salt)
        && Arrays.equals(storedKey, other.storedKey) && Arrays.equals(serverKey, other.serverKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey));
  }

  @Override
  public String toString() {
    return "ScramCredentials[iterations=" + iterations + "]"; // keys stay out of logs
  }
}
