package io.tern.broker.examples;

import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import io.tern.broker.spi.auth.AuthStep;
import io.tern.broker.spi.auth.Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * MQTT 5 enhanced authentication with SCRAM-SHA-256 (RFC 5802 and RFC 7677), server side, on the
 * broker's {@link Authenticator} SPI:
 *
 * <pre>
 * CONNECT  Authentication Method "SCRAM-SHA-256", Data client-first-message  "n,,n=user,r=cnonce"
 * AUTH 18  server-first-message  "r=cnonce+snonce,s=salt,i=4096"            (state kept by the broker)
 * AUTH 18  client-final-message  "c=biws,r=cnonce+snonce,p=proof"
 * CONNACK  Data server-final-message "v=signature", or 0x86 Bad user name or password
 * </pre>
 *
 * <p>The server keeps {@link ScramCredentials} (salt, iterations, StoredKey, ServerKey), never a
 * password. An unknown user gets a made-up salt, stable per user name, and fails at the proof
 * like a wrong password, so the exchange does not tell which users exist. A client may
 * re-authenticate with AUTH 0x19 the same way; note that it may then authenticate as another
 * user of the store, which an application that cares about identity should refuse.
 *
 * <p>Clients that name no Authentication Method are refused with 0x8C (Bad authentication
 * method; return code 4 for MQTT 3.1.1). Channel binding and authorization identities are not
 * supported, and user names and passwords are used without SASLprep.
 *
 * <p>Thread-safe and non-blocking: credentials come from a {@link CredentialStore}, which may
 * answer later (a database); the rest is a few HMACs, cheap enough for the event loop.
 */
public final class ScramSha256Authenticator implements Authenticator {
  public static final String METHOD = "SCRAM-SHA-256";

  /** Where the credentials come from. */
  @FunctionalInterface
  public interface CredentialStore {
    /**
     * The credentials of a user, if there is one. Called on an event loop: return at once and
     * complete the stage later when the lookup is slow.
     */
    CompletionStage<Optional<ScramCredentials>> lookup(String username);

    /** A store over a fixed map of user name to credentials. */
    static CredentialStore of(Map<String, ScramCredentials> users) {
      Map<String, ScramCredentials> copy = Map.copyOf(users);
      return username -> CompletableFuture.completedFuture(Optional.ofNullable(copy.get(username)));
    }
  }

  /** What the broker keeps between the server-first and the client-final message. */
  private record Exchange(ScramCredentials credentials, boolean known, String gs2Header, String clientFirstBare,
      String serverFirst, String nonce) {}

  /** Ends an exchange with a refusal; its message says why, for a debugger. */
  private static final class Refusal extends RuntimeException {
    final ReasonCode reason;

    Refusal(ReasonCode reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  private final CredentialStore store;
  private final Supplier<String> nonces;
  /** Makes the salts of unknown users; random per instance. */
  private final byte[] decoyKey = new byte[32];

  public ScramSha256Authenticator(CredentialStore store) {
    this(store, randomNonces());
  }

  /** @param nonces the server's part of each nonce: printable ASCII without commas */
  ScramSha256Authenticator(CredentialStore store, Supplier<String> nonces) {
    this.store = Objects.requireNonNull(store, "store");
    this.nonces = nonces;
    new SecureRandom().nextBytes(decoyKey);
  }

  @Override
  public Set<String> authenticationMethods() {
    return Set.of(METHOD);
  }

  /** The client-first-message, from a CONNECT or an AUTH 0x19: answered with the server-first-message. */
  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    if (request.authenticationMethod().isEmpty()) {
      return CompletableFuture.completedFuture(AuthResult.deny(ReasonCode.BAD_AUTHENTICATION_METHOD));
    }
    String message = text(request.authenticationData());
    String gs2Header;
    String bare;
    String username;
    String clientNonce;
    try {
      int first = message.indexOf(',');
      int second = first < 0 ? -1 : message.indexOf(',', first + 1);
      if (second < 0) {
        throw malformed("no GS2 header");
      }
      String channelBinding = message.substring(0, first);
      if (channelBinding.startsWith("p=")) {
        throw new Refusal(ReasonCode.BAD_AUTHENTICATION_METHOD, "channel binding is not supported");
      }
      if (!channelBinding.equals("n") && !channelBinding.equals("y")) {
        throw malformed("channel binding flag " + channelBinding);
      }
      if (second > first + 1) {
        throw new Refusal(ReasonCode.NOT_AUTHORIZED, "authorization identities are not supported");
      }
      gs2Header = message.substring(0, second + 1);
      bare = message.substring(second + 1);
      String[] attributes = bare.split(",", -1);
      if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
        throw malformed("expected n=<user>,r=<nonce> (mandatory extensions are not supported)");
      }
      username = saslName(attributes[0].substring(2));
      clientNonce = attributes[1].substring(2);
      if (clientNonce.isEmpty() || !clientNonce.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ',')) {
        throw malformed("client nonce is not printable");
      }
    } catch (Refusal refusal) {
      return CompletableFuture.completedFuture(AuthResult.deny(refusal.reason));
    }
    return store.lookup(username).thenApply(found -> {
      ScramCredentials credentials = found.orElseGet(() -> decoy(username));
      String nonce = clientNonce + nonces.get();
      String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
          + ",i=" + credentials.iterations();
      return AuthResult.continueWith(serverFirst.getBytes(StandardCharsets.UTF_8),
          new Exchange(credentials, found.isPresent(), gs2Header, bare, serverFirst, nonce));
    });
  }

  /** The client-final-message: its proof checked, answered with the server-final-message. */
  @Override
  public CompletionStage<AuthResult> continueAuthentication(AuthStep step) {
    Exchange exchange = step.state(Exchange.class);
    String message = text(step.authenticationData());
    try {
      int at = message.lastIndexOf(",p=");
      if (at < 0) {
        throw malformed("no proof");
      }
      String withoutProof = message.substring(0, at);
      byte[] proof = base64(message.substring(at + 3));
      String[] attributes = withoutProof.split(",", -1);
      String binding = "c=" + Base64.getEncoder().encodeToString(exchange.gs2Header().getBytes(StandardCharsets.UTF_8));
      if (attributes.length < 2 || !attributes[0].equals(binding)) {
        throw malformed("channel binding does not repeat the GS2 header");
      }
      if (!attributes[1].equals("r=" + exchange.nonce())) {
        throw malformed("nonce differs from the server's");
      }
      if (proof.length != 32) {
        throw malformed("proof is not 32 bytes");
      }
      String authMessage = exchange.clientFirstBare() + "," + exchange.serverFirst() + "," + withoutProof;
      ScramCredentials credentials = exchange.credentials();
      byte[] clientSignature = ScramCredentials.hmac(credentials.storedKey(), authMessage);
      byte[] clientKey = new byte[32];
      for (int i = 0; i < clientKey.length; i++) {
        clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
      }
      boolean proven = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), credentials.storedKey());
      if (!proven || !exchange.known()) {
        throw new Refusal(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "invalid proof");
      }
      byte[] serverSignature = ScramCredentials.hmac(credentials.serverKey(), authMessage);
      String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
      return CompletableFuture.completedFuture(AuthResult.allow(serverFinal.getBytes(StandardCharsets.UTF_8)));
    } catch (Refusal refusal) {
      return CompletableFuture.completedFuture(AuthResult.deny(refusal.reason));
    }
  }

  /** Made-up credentials for an unknown user: the same salt every time, a proof that never matches. */
  private ScramCredentials decoy(String username) {
    byte[] salt = new byte[16];
    System.arraycopy(ScramCredentials.hmac(decoyKey, "salt:" + username), 0, salt, 0, salt.length);
    return new ScramCredentials(salt, ScramCredentials.MIN_ITERATIONS,
        ScramCredentials.hmac(decoyKey, "stored:" + username), ScramCredentials.hmac(decoyKey, "server:" + username));
  }

  /** A SCRAM user name with "=2C" and "=3D" decoded to "," and "=" (RFC 5802 section 5.1). */
  private static String saslName(String encoded) {
    StringBuilder name = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c != '=') {
        name.append(c);
      } else if (encoded.startsWith("=2C", i)) {
        name.append(',');
        i += 2;
      } else if (encoded.startsWith("=3D", i)) {
        name.append('=');
        i += 2;
      } else {
        throw malformed("'=' in a user name is written =2C or =3D");
      }
    }
    if (name.length() == 0) {
      throw malformed("empty user name");
    }
    return name.toString();
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed("not Base64: " + text);
    }
  }

  private static Refusal malformed(String why) {
    return new Refusal(ReasonCode.NOT_AUTHORIZED, "malformed SCRAM message: " + why);
  }

  private static String text(Optional<byte[]> data) {
    return data.map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("");
  }

  private static Supplier<String> randomNonces() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      return Base64.getEncoder().encodeToString(bytes); // printable, and never a comma
    };
  }
}
