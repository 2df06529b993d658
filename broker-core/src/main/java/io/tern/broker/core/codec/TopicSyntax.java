package io.tern.broker.core.codec;

/**
 * Syntax rules for MQTT 3.1.1 topic names and topic filters (section 4.7).
 *
 * <p>A topic name (what a PUBLISH or a Will is sent to) is non-empty, holds no wildcard ({@code +}
 * or {@code #}) and no U+0000, and encodes to at most 65535 UTF-8 bytes. A topic filter (what a
 * SUBSCRIBE or UNSUBSCRIBE names) follows the same rules, except that {@code +} may stand as a whole
 * level and {@code #} as the whole last level. Levels may be empty: {@code "a//b"} and {@code "/"}
 * are valid.
 *
 * <p>Stateless and thread-safe.
 */
public final class TopicSyntax {
  /** The largest topic name or filter, in UTF-8 bytes. */
  public static final int MAX_BYTES = 65535;

  private TopicSyntax() {}

  /** Whether {@code name} may be published to: see the class comment. */
  public static boolean isValidName(String name) {
    return nameProblem(name) == null;
  }

  /** Whether {@code filter} may be subscribed to: see the class comment. */
  public static boolean isValidFilter(String filter) {
    return filterProblem(filter) == null;
  }

  /** The spec id of the first rule {@code name} breaks, or null when it is a valid topic name. */
  static String nameProblem(String name) {
    String common = commonProblem(name);
    if (common != null) {
      return common;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+' || c == '#') {
        return "MQTT-3.3.2-2";
      }
    }
    return null;
  }

  /** The spec id of the first rule {@code filter} breaks, or null when it is a valid filter. */
  static String filterProblem(String filter) {
    String common = commonProblem(filter);
    if (common != null) {
      return common;
    }
    int last = filter.length() - 1;
    for (int i = 0; i <= last; i++) {
      char c = filter.charAt(i);
      boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
      if (c == '#' && (i != last || !levelStart)) {
        return "MQTT-4.7.1-2";
      }
      if (c == '+' && (!levelStart || (i != last && filter.charAt(i + 1) != '/'))) {
        return "MQTT-4.7.1-3";
      }
    }
    return null;
  }

  private static String commonProblem(String s) {
    if (s == null || s.isEmpty()) {
      return "MQTT-4.7.3-1";
    }
    if (s.indexOf('\u0000') >= 0) {
      return "MQTT-1.5.3-2";
    }
    int bytes = Utf8.encodedLength(s);
    if (bytes < 0) {
      return "MQTT-1.5.3-1";
    }
    if (bytes > MAX_BYTES) {
      return "MQTT-4.7.3-3";
    }
    return null;
  }
}
