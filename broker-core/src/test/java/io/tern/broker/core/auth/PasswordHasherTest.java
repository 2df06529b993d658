package io.tern.broker.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
  // Low cost keeps the suite fast; the format and the checks do not depend on it.
  private final PasswordHasher hasher = new PasswordHasher(1000);

  @Test
  void verifiesTheHashedPassword() {
    String encoded = hasher.hash("correct horse".toCharArray());

    assertThat(hasher.verify("correct horse".toCharArray(), encoded)).isTrue();
  }

  @Test
  void rejectsAWrongPassword() {
    String encoded = hasher.hash("correct horse".toCharArray());

    assertThat(hasher.verify("correct horsE".toCharArray(), encoded)).isFalse();
    assertThat(hasher.verify("".toCharArray(), encoded)).isFalse();
  }

  @Test
  void encodingNamesSchemeAndIterationsAndHoldsA16ByteSaltAndA32ByteKey() {
    String[] parts = hasher.hash("pw".toCharArray()).split("\\$", -1);

    assertThat(parts).hasSize(5);
    assertThat(parts[0]).isEmpty();
    assertThat(parts[1]).isEqualTo("pbkdf2-sha256");
    assertThat(parts[2]).isEqualTo("1000");
    assertThat(Base64.getDecoder().decode(parts[3])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(32);
  }

  @Test
  void samePasswordGetsADifferentSaltEachTime() {
    String first = hasher.hash("pw".toCharArray());
    String second = hasher.hash("pw".toCharArray());

    assertThat(first.split("\\$")[3]).isNotEqualTo(second.split("\\$")[3]);
    assertThat(first).isNotEqualTo(second);
    assertThat(hasher.verify("pw".toCharArray(), first)).isTrue();
    assertThat(hasher.verify("pw".toCharArray(), second)).isTrue();
  }

  @Test
  void defaultCostIsOwasp2023() {
    assertThat(new PasswordHasher().iterations()).isEqualTo(210_000);
  }

  @Test
  void verifyUsesTheStoredIterationCountNotItsOwn() {
    String encoded = new PasswordHasher(1500).hash("pw".toCharArray());

    assertThat(encoded).startsWith("$pbkdf2-sha256$1500$");
    assertThat(hasher.verify("pw".toCharArray(), encoded)).isTrue();
  }

  @Test
  void changingTheStoredIterationCountBreaksVerification() {
    String encoded = hasher.hash("pw".toCharArray());

    assertThat(hasher.verify("pw".toCharArray(), encoded.replace("$1000$", "$1001$"))).isFalse();
  }

  @Test
  void passwordsBeyondAsciiRoundTrip() {
    char[] password = "pässwörd-🔑".toCharArray();

    assertThat(hasher.verify(password, hasher.hash(password))).isTrue();
  }

  @Test
  void emptyPasswordMatchesOnlyItself() {
    String empty = hasher.hash(new char[0]);

    assertThat(hasher.verify(new char[0], empty)).isTrue();
    assertThat(hasher.verify("x".toCharArray(), empty)).isFalse();
    assertThat(hasher.verify(new char[0], hasher.hash("x".toCharArray()))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "$",
      "plain-text-password",
      "$pbkdf2-sha256$1000$c2FsdA==",
      "$pbkdf2-sha256$1000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=$",
      "pbkdf2-sha256$1000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha1$1000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$bcrypt$1000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$ten$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$0$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$-5$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$99999999999$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$2000000000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$1000$not*base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$1000$c2FsdA==$not*base64",
      "$pbkdf2-sha256$1000$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "$pbkdf2-sha256$1000$c2FsdA==$",
      "$pbkdf2-sha256$1000$c2FsdA==$AAAA"
  })
  void malformedEncodingsAreFalseNotExceptions(String encoded) {
    assertThat(hasher.verify("pw".toCharArray(), encoded)).isFalse();
  }

  @Test
  void nullsAreFalseNotExceptions() {
    assertThat(hasher.verify(null, hasher.hash("pw".toCharArray()))).isFalse();
    assertThat(hasher.verify("pw".toCharArray(), null)).isFalse();
  }

  @Test
  void clearingThePasswordAfterHashingDoesNotAffectTheHash() {
    char[] password = "pw".toCharArray();
    String encoded = hasher.hash(password);
    Arrays.fill(password, '\0');

    assertThat(hasher.verify("pw".toCharArray(), encoded)).isTrue();
  }

  @Test
  void refusesNonsenseIterationCounts() {
    assertThatThrownBy(() -> new PasswordHasher(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PasswordHasher(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
