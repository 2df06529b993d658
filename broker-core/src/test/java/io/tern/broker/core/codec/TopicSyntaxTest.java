package io.tern.broker.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicSyntaxTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b", "/", "//", "/a", "a/", "sport/tennis/player1", "$SYS/x", " "})
  void validNames(String name) {
    assertThat(TopicSyntax.isValidName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+", "#", "a/+", "a/#", "a+", "\u0000", "a/\u0000", "\ud800"})
  void invalidNames(String name) {
    assertThat(TopicSyntax.isValidName(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"#", "+", "+/+", "/+", "+/", "a/#", "a/+/b", "+/#", "/#", "//", "a", "$SYS/#"})
  void validFilters(String filter) {
    assertThat(TopicSyntax.isValidFilter(filter)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "a#", "#/", "a/#/b", "##", "a+", "+a", "a/+b", "++", "a/\u0000", "\udc00"})
  void invalidFilters(String filter) {
    assertThat(TopicSyntax.isValidFilter(filter)).isFalse();
  }

  @Test
  void lengthIsCountedInUtf8Bytes_MQTT_4_7_3_3() {
    assertThat(TopicSyntax.isValidName("a".repeat(65535))).isTrue();
    assertThat(TopicSyntax.isValidName("a".repeat(65536))).isFalse();
    // 32768 two-byte characters: 32768 chars but 65536 bytes
    assertThat(TopicSyntax.isValidFilter("\u00e9".repeat(32768))).isFalse();
    assertThat(TopicSyntax.isValidFilter("\u00e9".repeat(32767))).isTrue();
  }

  @Test
  void nullIsNeitherANameNorAFilter() {
    assertThat(TopicSyntax.isValidName(null)).isFalse();
    assertThat(TopicSyntax.isValidFilter(null)).isFalse();
  }
}
