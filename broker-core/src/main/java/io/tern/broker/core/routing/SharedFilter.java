package io.tern.broker.core.routing;

/**
 * A shared subscription's topic filter, {@code $share/{ShareName}/{filter}} (MQTT 5.0 section
 * 4.8.2), split into its parts.
 *
 * @param shareName the group's name: at least one character, none of them {@code /}, {@code +} or
 *     {@code #}
 * @param topicFilter the filter the group subscribes to, after the share name and its {@code /}
 */
public record SharedFilter(String shareName, String topicFilter) {
  /** What starts every shared subscription's filter [MQTT-4.8.2-1]. */
  public static final String PREFIX = "$share/";

  /** Whether a filter names a shared subscription, valid or not: it starts with {@code $share/}. */
  public static boolean isShared(String filter) {
    return filter.startsWith(PREFIX);
  }

  /**
   * Splits a shared subscription's filter, or answers null when it is not a valid one: when it
   * lacks the prefix, its ShareName is empty or holds {@code +} or {@code #} [MQTT-4.8.2-1], or no
   * {@code /} and non-empty topic filter follow the ShareName [MQTT-4.8.2-2].
   *
   * <p>The whole string is expected to be a valid topic filter already (the decoder checks that),
   * so the part after the ShareName, being a non-empty run of whole levels of it, is one too.
   */
  public static SharedFilter parse(String filter) {
    if (!isShared(filter)) {
      return null;
    }
    int nameStart = PREFIX.length();
    int slash = filter.indexOf('/', nameStart);
    if (slash <= nameStart || slash == filter.length() - 1) {
      return null; // no name, or nothing after it
    }
    for (int i = nameStart; i < slash; i++) {
      char c = filter.charAt(i);
      if (c == '+' || c == '#') {
        return null;
      }
    }
    return new SharedFilter(filter.substring(nameStart, slash), filter.substring(slash + 1));
  }

  /** The filter as a client writes it: {@code $share/{ShareName}/{filter}}. */
  @Override
  public String toString() {
    return PREFIX + shareName + "/" + topicFilter;
  }
}
