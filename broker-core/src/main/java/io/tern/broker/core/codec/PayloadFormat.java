package io.tern.broker.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Checks payloads whose Payload Format Indicator says they are UTF-8 text (MQTT 5, 3.3.2.3.2). */
public final class PayloadFormat {
  /** The Payload Format Indicator value for UTF-8 Encoded Character Data. */
  public static final int UTF_8 = 1;

  private PayloadFormat() {}

  /** Whether the payload is well-formed UTF-8, as a payload marked as text must be. */
  public static boolean isWellFormedUtf8(byte[] payload) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
