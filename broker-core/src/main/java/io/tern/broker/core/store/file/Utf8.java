package io.tern.broker.core.store.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Measures and writes strings as UTF-8 straight into a buffer, so that encoding a record allocates
 * nothing. A lone surrogate becomes {@code '?'}, as {@link String#getBytes} does; MQTT strings
 * never hold one.
 */
final class Utf8 {
  private Utf8() {}

  static int length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 2; // four bytes for two chars
        i++;
      } else if (!Character.isSurrogate(c)) {
        bytes += 2;
      }
    }
    return bytes;
  }

  static void put(ByteBuffer out, String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.put((byte) c);
      } else if (c < 0x800) {
        out.put((byte) (0xC0 | c >> 6)).put((byte) (0x80 | c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
            .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out.put((byte) '?');
      } else {
        out.put((byte) (0xE0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3F)).put((byte) (0x80 | c & 0x3F));
      }
    }
  }

  static String get(ByteBuffer in, int length) {
    if (in.hasArray()) {
      String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
      in.position(in.position() + length);
      return s;
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
