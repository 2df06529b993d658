package io.tern.broker.core.auth;

/**
 * One access rule: a topic filter, split into levels when the file is read, and the access it
 * grants or denies.
 *
 * <p>Immutable and thread-safe. Matching walks the subject string by index and allocates nothing,
 * since it runs for every publish. Placeholder values passed in are already known to be safe: non-
 * empty, free of {@code + # /}, or null when the client has none that may be used.
 */
final class AclRule {
  private static final byte LITERAL = 0;
  private static final byte PLACEHOLDER = 1;
  private static final byte SINGLE = 2;
  private static final byte MULTI = 3;

  final boolean read;
  final boolean write;
  final boolean deny;
  private final String filter;
  private final String[] levels;
  private final byte[] kinds;
  private final boolean usesUsername;
  private final boolean usesClientId;
  /** 'u' or 'c' when the filter starts with that placeholder, otherwise 0. */
  private final char leadingPlaceholder;
  private final boolean wildcardFirst;
  private final boolean dollarFirst;

  private AclRule(String filter, boolean read, boolean write, boolean deny, boolean substitute) {
    this.filter = filter;
    this.read = read;
    this.write = write;
    this.deny = deny;
    this.levels = filter.split("/", -1);
    this.kinds = new byte[levels.length];
    boolean username = false;
    boolean clientId = false;
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("+")) {
        kinds[i] = SINGLE;
      } else if (level.equals("#")) {
        kinds[i] = MULTI;
      } else if (substitute && (level.contains("%u") || level.contains("%c"))) {
        kinds[i] = PLACEHOLDER;
        username |= level.contains("%u");
        clientId |= level.contains("%c");
      } else {
        kinds[i] = LITERAL;
      }
    }
    this.usesUsername = username;
    this.usesClientId = clientId;
    this.leadingPlaceholder = kinds[0] == PLACEHOLDER && levels[0].charAt(0) == '%'
        && (levels[0].charAt(1) == 'u' || levels[0].charAt(1) == 'c') ? levels[0].charAt(1) : 0;
    this.wildcardFirst = kinds[0] == SINGLE || kinds[0] == MULTI;
    this.dollarFirst = levels[0].startsWith("$");
  }

  /** A rule granting read and/or write access; {@code substitute} for pattern rules. */
  static AclRule allow(String filter, boolean read, boolean write, boolean substitute) {
    return new AclRule(filter, read, write, false, substitute);
  }

  /** A rule denying all access. */
  static AclRule deny(String filter, boolean substitute) {
    return new AclRule(filter, false, false, true, substitute);
  }

  /** Whether this rule means anything for a client with these placeholder values. */
  boolean appliesTo(String username, String clientId) {
    if ((usesUsername && username == null) || (usesClientId && clientId == null)) {
      return false;
    }
    // A value starting with '$' would turn "%c/#" into a "$SYS/#" grant.
    return leadingPlaceholder == 0
        || (leadingPlaceholder == 'u' ? username : clientId).charAt(0) != '$';
  }

  /** Whether this rule's filter matches the topic name {@code topic}. */
  boolean matchesTopic(String topic, String username, String clientId) {
    int length = topic.length();
    if (wildcardFirst && length > 0 && topic.charAt(0) == '$') {
      return false;
    }
    int start = 0;
    for (int i = 0; i < levels.length; i++) {
      if (kinds[i] == MULTI) {
        return true; // also matches the parent level: "a/#" matches "a"
      }
      if (start > length) {
        return false;
      }
      int end = levelEnd(topic, start);
      if (kinds[i] != SINGLE && !levelEquals(i, topic, start, end, username, clientId)) {
        return false;
      }
      start = end + 1;
    }
    return start > length;
  }

  /** Whether every topic the filter {@code subscription} can match is matched by this rule. */
  boolean covers(String subscription, String username, String clientId) {
    int length = subscription.length();
    if (wildcardFirst && length > 0 && subscription.charAt(0) == '$') {
      return false;
    }
    int start = 0;
    for (int i = 0; i < levels.length; i++) {
      if (kinds[i] == MULTI) {
        return true;
      }
      if (start > length) {
        return false;
      }
      int end = levelEnd(subscription, start);
      if (isWildcard(subscription, start, end, '#')) {
        return false;
      }
      if (kinds[i] != SINGLE
          && (isWildcard(subscription, start, end, '+')
              || !levelEquals(i, subscription, start, end, username, clientId))) {
        return false;
      }
      start = end + 1;
    }
    return start > length;
  }

  /** Whether some topic is matched both by this rule and by the filter {@code subscription}. */
  boolean overlaps(String subscription, String username, String clientId) {
    int length = subscription.length();
    if (length == 0) {
      return false;
    }
    char first = subscription.charAt(0);
    if ((wildcardFirst && first == '$') || (dollarFirst && (first == '+' || first == '#'))) {
      return false; // wildcards in the first level never match '$' topics
    }
    int start = 0;
    for (int i = 0; ; i++) {
      boolean ruleDone = i == levels.length;
      boolean subscriptionDone = start > length;
      if (ruleDone && subscriptionDone) {
        return true;
      }
      if (!ruleDone && kinds[i] == MULTI) {
        return true;
      }
      int end = subscriptionDone ? start : levelEnd(subscription, start);
      if (!subscriptionDone && isWildcard(subscription, start, end, '#')) {
        return true;
      }
      if (ruleDone || subscriptionDone) {
        return false;
      }
      if (kinds[i] != SINGLE
          && !isWildcard(subscription, start, end, '+')
          && !levelEquals(i, subscription, start, end, username, clientId)) {
        return false;
      }
      start = end + 1;
    }
  }

  private boolean levelEquals(int i, String s, int start, int end, String username,
      String clientId) {
    String level = levels[i];
    if (kinds[i] == LITERAL) {
      return end - start == level.length() && s.regionMatches(start, level, 0, level.length());
    }
    int at = start;
    for (int k = 0; k < level.length(); k++) {
      char c = level.charAt(k);
      if (c == '%' && k + 1 < level.length()) {
        char next = level.charAt(k + 1);
        String value = next == 'u' ? username : next == 'c' ? clientId : null;
        if (value != null) {
          if (end - at < value.length() || !s.regionMatches(at, value, 0, value.length())) {
            return false;
          }
          at += value.length();
          k++;
          continue;
        }
      }
      if (at >= end || s.charAt(at) != c) {
        return false;
      }
      at++;
    }
    return at == end;
  }

  private static int levelEnd(String s, int start) {
    int slash = s.indexOf('/', start);
    return slash < 0 ? s.length() : slash;
  }

  private static boolean isWildcard(String s, int start, int end, char wildcard) {
    return end - start == 1 && s.charAt(start) == wildcard;
  }

  @Override
  public String toString() {
    return (deny ? "deny" : read && write ? "readwrite" : read ? "read" : "write") + " " + filter;
  }
}
