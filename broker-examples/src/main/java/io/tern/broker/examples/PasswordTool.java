package io.tern.broker.examples;

import io.tern.broker.core.auth.PasswordFile;
import io.tern.broker.core.auth.PasswordHasher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code --add-user FILE USER}: adds a user to a password file, or replaces its password, reading
 * the password from the first line of standard input so that it never appears in a process list
 * or shell history.
 */
final class PasswordTool {
  private PasswordTool() {}

  /** Runs the command; returns the process exit code. */
  static int addUser(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
    if (args.length != 3) {
      err.println("Usage: java -jar tern-broker.jar --add-user FILE USER  (password on standard input)");
      return 2;
    }
    Path file = Path.of(args[1]);
    String user = args[2];
    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isEmpty()) {
      err.println("tern: no password on standard input");
      return 2;
    }
    char[] password = line.toCharArray();
    try {
      PasswordFile users = Files.exists(file) ? PasswordFile.load(file) : PasswordFile.empty();
      users.with(user, new PasswordHasher().hash(password)).save(file);
    } catch (IllegalArgumentException e) {
      err.println("tern: " + e.getMessage());
      return 2;
    } finally {
      Arrays.fill(password, '\0');
    }
    out.println("user '" + user + "' saved in " + file);
    return 0;
  }
}
