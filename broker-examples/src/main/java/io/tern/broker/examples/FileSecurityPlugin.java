package io.tern.broker.examples;

import io.tern.broker.core.auth.AclAuthorizer;
import io.tern.broker.core.auth.PasswordFile;
import io.tern.broker.core.auth.PasswordFileAuthenticator;
import io.tern.broker.core.auth.PasswordHasher;
import io.tern.broker.spi.PluginRegistry;
import io.tern.broker.spi.TernPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plugin packaged the way third parties package theirs: listed in {@code
 * META-INF/services/io.tern.broker.spi.TernPlugin}, so that a broker built with {@code
 * discoverPlugins()} (the standalone broker always is) finds it on the class path.
 *
 * <p>It authenticates clients against a password file and authorizes them with an ACL file, named
 * by the system properties {@code tern.security.passwords} and {@code tern.security.acl}; when
 * neither is set it registers nothing. Embedders can also construct it with explicit paths.
 */
public final class FileSecurityPlugin implements TernPlugin {
  private final Optional<Path> passwords;
  private final Optional<Path> acl;
  private ExecutorService hashing;

  /** The constructor the service loader uses: paths from system properties. */
  public FileSecurityPlugin() {
    this(Optional.ofNullable(System.getProperty("tern.security.passwords")).map(Path::of),
        Optional.ofNullable(System.getProperty("tern.security.acl")).map(Path::of));
  }

  public FileSecurityPlugin(Optional<Path> passwords, Optional<Path> acl) {
    this.passwords = passwords;
    this.acl = acl;
  }

  @Override
  public String id() {
    return "file-security";
  }

  @Override
  public void register(PluginRegistry registry) {
    try {
      if (passwords.isPresent()) {
        // Password hashing is slow by design, so it must not run on an event loop.
        hashing = Executors.newSingleThreadExecutor(runnable -> {
          Thread thread = new Thread(runnable, "file-security-auth");
          thread.setDaemon(true);
          return thread;
        });
        registry.authenticator(new PasswordFileAuthenticator(PasswordFile.load(passwords.get()),
            new PasswordHasher(), hashing));
      }
      if (acl.isPresent()) {
        registry.addAuthorizer(AclAuthorizer.load(acl.get()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("plugin file-security cannot read its files", e);
    }
  }

  @Override
  public void close() {
    if (hashing != null) {
      hashing.shutdownNow();
    }
  }
}
