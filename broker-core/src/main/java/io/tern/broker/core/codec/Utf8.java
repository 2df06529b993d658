package io.tern.broker.core.codec;

import java.nio.ByteBuffer;

/**
 * UTF-8 length and encoding of Java strings without intermediate arrays, so the encoder can write
 * strings straight into the output buffer.
 */
final class Utf8 {
  private Utf8() {}

  /**
   * The number of UTF-8 bytes of {@code s}, or -1 when it holds an unpaired surrogate (which has no
   * well-formed UTF-8 encoding [MQTT-1.5.3-1]).
   */
  static int encodedLength(CharSequence s) {
    int bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return -1;
        }
        i++;
        bytes += 4;
      } else if (Character.isLowSurrogate(c)) {
        return -1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Writes the UTF-8 bytes of {@code s}, which must hold no unpaired surrogate. */
  static void write(ByteBuffer out, CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.put((byte) c);
      } else if (c < 0x800) {
        out.put((byte) (0xC0 | (c >> 6)));
        out.put((byte) (0x80 | (c & 0x3F)));
      } else if (Character.isHighSurrogate(c)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.put((byte) (0xF0 | (cp >> 18)));
        out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
        out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
        out.put((byte) (0x80 | (cp & 0x3F)));
      } else {
        out.put((byte) (0xE0 | (c >> 12)));
        out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
        out.put((byte) (0x80 | (c & 0x3F)));
      }
    }
  }
}
