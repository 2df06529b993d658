package io.tern.broker.core.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * User names and their encoded password hashes (see {@link PasswordHasher}), as stored in a UTF-8
 * text file of {@code username:encoded-hash} lines. Lines starting with {@code #} and blank lines
 * are ignored; surrounding whitespace is trimmed. A user name is non-empty, has no {@code :}, no
 * line break, no surrounding whitespace and does not start with {@code #}, so that every name
 * survives a save and a load.
 *
 * <p>Immutable and thread-safe: {@link #with} and {@link #without} return new instances. {@link
 * #load} and {@link #save} block on file I/O; the lookups do not. {@link #save} writes entries
 * only, in their original order, so comments in a loaded file are not kept.
 */
public final class PasswordFile {
  private static final PasswordFile EMPTY = new PasswordFile(Map.of());

  private final Map<String, String> hashes; // insertion-ordered, so saves keep the file's order

  private PasswordFile(Map<String, String> hashes) {
    this.hashes = hashes;
  }

  /** A file with no users. */
  public static PasswordFile empty() {
    return EMPTY;
  }

  /**
   * Reads a password file.
   *
   * @throws IllegalArgumentException naming the file and line of the first malformed line or
   *     repeated user name
   * @throws IOException when the file cannot be read or is not UTF-8
   */
  public static PasswordFile load(Path path) throws IOException {
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    Map<String, String> hashes = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int lineNumber = i + 1;
      // The line itself is left out of messages: a mistaken entry may hold a plain password.
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw malformed(path, lineNumber, "expected username:encoded-hash");
      }
      String username = line.substring(0, colon).strip();
      String hash = line.substring(colon + 1).strip();
      String problem = usernameProblem(username);
      if (problem == null) {
        problem = hashProblem(hash);
      }
      if (problem != null) {
        throw malformed(path, lineNumber, problem);
      }
      if (hashes.putIfAbsent(username, hash) != null) {
        throw malformed(path, lineNumber, "user '" + username + "' appears more than once");
      }
    }
    return new PasswordFile(Collections.unmodifiableMap(hashes));
  }

  /** The encoded hash stored for {@code username}, if the user exists. */
  public Optional<String> encodedHash(String username) {
    return Optional.ofNullable(hashes.get(username));
  }

  /**
   * This file with {@code username}'s hash added or replaced.
   *
   * @throws IllegalArgumentException when the user name or the hash could not be saved and loaded
   *     back unchanged
   */
  public PasswordFile with(String username, String encodedHash) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(encodedHash, "encodedHash");
    String problem = usernameProblem(username);
    if (problem == null) {
      problem = hashProblem(encodedHash);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Map<String, String> copy = new LinkedHashMap<>(hashes);
    copy.put(username, encodedHash);
    return new PasswordFile(Collections.unmodifiableMap(copy));
  }

  /** This file without {@code username}; the same instance when there is no such user. */
  public PasswordFile without(String username) {
    if (!hashes.containsKey(username)) {
      return this;
    }
    Map<String, String> copy = new LinkedHashMap<>(hashes);
    copy.remove(username);
    return new PasswordFile(Collections.unmodifiableMap(copy));
  }

  /** The user names, in file order. */
  public Set<String> usernames() {
    return hashes.keySet();
  }

  /**
   * Writes this file to {@code path}, replacing it atomically where the file system allows, so a
   * broker reading it never sees half a file. Where the file system has POSIX permissions the file
   * is readable and writable by its owner only (600), from the moment it is created.
   *
   * @throws IOException when the file cannot be written; {@code path} is then left as it was
   */
  public void save(Path path) throws IOException {
    Path target = path.toAbsolutePath();
    Path directory = target.getParent();
    Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp",
        ownerOnly(directory));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(contents());
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true); // on disk before the rename makes it the real file
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        // Some file systems cannot rename atomically, or not over an existing file.
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private String contents() {
    StringBuilder out = new StringBuilder();
    hashes.forEach((user, hash) -> out.append(user).append(':').append(hash).append('\n'));
    return out.toString();
  }

  private static FileAttribute<?>[] ownerOnly(Path directory) {
    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    return new FileAttribute<?>[0];
  }

  private static String usernameProblem(String username) {
    if (username.isEmpty()) {
      return "empty user name";
    }
    if (username.indexOf(':') >= 0) {
      return "user name contains ':'";
    }
    if (username.indexOf('\n') >= 0 || username.indexOf('\r') >= 0) {
      return "user name contains a line break";
    }
    if (!username.equals(username.strip())) {
      return "user name has surrounding whitespace";
    }
    if (username.startsWith("#")) {
      return "user name starts with '#'";
    }
    return null;
  }

  private static String hashProblem(String hash) {
    if (hash.isEmpty()) {
      return "empty password hash";
    }
    for (int i = 0; i < hash.length(); i++) {
      if (Character.isWhitespace(hash.charAt(i))) {
        return "password hash contains whitespace";
      }
    }
    return null;
  }

  private static IllegalArgumentException malformed(Path path, int line, String problem) {
    return new IllegalArgumentException(path + ", line " + line + ": " + problem);
  }

  @Override
  public String toString() {
    return "PasswordFile" + hashes.keySet(); // never the hashes
  }
}
