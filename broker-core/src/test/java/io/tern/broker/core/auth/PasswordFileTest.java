package io.tern.broker.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordFileTest {
  private static final String ALICE_HASH = "$pbkdf2-sha256$1000$c2FsdA==$a2V5";
  private static final String BOB_HASH = "$pbkdf2-sha256$1000$cGVwcGVy$a2V5Mg==";

  @TempDir Path dir;

  @Test
  void loadsEntriesSkippingCommentsAndBlankLines() throws IOException {
    Path file = write(
        "# users of the test broker",
        "",
        "alice:" + ALICE_HASH,
        "   ",
        "  # indented comment",
        "bob:" + BOB_HASH + "  ");

    PasswordFile passwords = PasswordFile.load(file);

    assertThat(passwords.usernames()).containsExactly("alice", "bob");
    assertThat(passwords.encodedHash("alice")).contains(ALICE_HASH);
    assertThat(passwords.encodedHash("bob")).contains(BOB_HASH);
    assertThat(passwords.encodedHash("carol")).isEmpty();
  }

  @Test
  void saveThenLoadRoundTrips() throws IOException {
    Path file = dir.resolve("passwords");
    PasswordFile original = PasswordFile.empty()
        .with("alice", ALICE_HASH)
        .with("bob", BOB_HASH)
        .with("émile", ALICE_HASH);

    original.save(file);
    PasswordFile loaded = PasswordFile.load(file);

    assertThat(loaded.usernames()).containsExactly("alice", "bob", "émile");
    assertThat(loaded.encodedHash("bob")).contains(BOB_HASH);
    assertThat(loaded.encodedHash("émile")).contains(ALICE_HASH);
  }

  @Test
  void withReplacesAndWithoutRemovesLeavingTheOriginalUnchanged() {
    PasswordFile original = PasswordFile.empty().with("alice", ALICE_HASH).with("bob", BOB_HASH);

    PasswordFile changed = original.with("alice", BOB_HASH).without("bob");

    assertThat(changed.usernames()).containsExactly("alice");
    assertThat(changed.encodedHash("alice")).contains(BOB_HASH);
    assertThat(original.usernames()).containsExactly("alice", "bob");
    assertThat(original.encodedHash("alice")).contains(ALICE_HASH);
    assertThat(original.without("nobody")).isSameAs(original);
  }

  @Test
  void usernamesCannotBeModifiedThroughTheView() {
    PasswordFile passwords = PasswordFile.empty().with("alice", ALICE_HASH);

    assertThatThrownBy(() -> passwords.usernames().remove("alice"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void saveReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
    Path file = write("old:" + ALICE_HASH);

    PasswordFile.empty().with("new", BOB_HASH).save(file);

    assertThat(PasswordFile.load(file).usernames()).containsExactly("new");
    try (var entries = Files.list(dir)) {
      assertThat(entries).containsExactly(file);
    }
  }

  @Test
  void savedFileIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = write("old:" + ALICE_HASH);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    PasswordFile.empty().with("alice", ALICE_HASH).save(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void saveToARelativePathWorks() throws IOException {
    Path file = Path.of("").toAbsolutePath().relativize(dir.resolve("relative"));

    PasswordFile.empty().with("alice", ALICE_HASH).save(file);

    assertThat(PasswordFile.load(dir.resolve("relative")).usernames()).containsExactly("alice");
  }

  @Test
  void malformedLineNamesFileAndLineButNotItsContents() throws IOException {
    Path file = write("# comment", "alice:" + ALICE_HASH, "", "bob-plain-secret");

    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 4")
        .hasMessageNotContaining("plain-secret");
  }

  @ParameterizedTest
  @ValueSource(strings = {":" + ALICE_HASH, "alice:", "alice: two words", "  :  "})
  void emptyNamesAndBadHashesAreMalformed(String line) throws IOException {
    Path file = write("ok:" + BOB_HASH, line);

    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void aRepeatedUserIsMalformed() throws IOException {
    Path file = write("alice:" + ALICE_HASH, "bob:" + BOB_HASH, "alice:" + BOB_HASH);

    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("alice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a:b", "#alice", " alice", "alice ", "al\nice"})
  void withRefusesNamesThatWouldNotLoadBack(String username) {
    assertThatThrownBy(() -> PasswordFile.empty().with(username, ALICE_HASH))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withRefusesHashesThatWouldNotLoadBack() {
    assertThatThrownBy(() -> PasswordFile.empty().with("alice", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PasswordFile.empty().with("alice", "a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringDoesNotRevealHashes() {
    assertThat(PasswordFile.empty().with("alice", ALICE_HASH).toString())
        .contains("alice")
        .doesNotContain(ALICE_HASH);
  }

  private Path write(String... lines) throws IOException {
    return Files.write(dir.resolve("passwords"), List.of(lines), StandardCharsets.UTF_8);
  }
}
