package io.tern.broker.core.auth;

import io.tern.broker.core.codec.TopicSyntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the ACL format described on {@link AclAuthorizer} into rules for everyone and rules per
 * user. Not thread-safe; one instance reads one file.
 */
final class AclParser {
  final List<AclRule> everyone = new ArrayList<>();
  final Map<String, List<AclRule>> byUser = new LinkedHashMap<>();
  private final String source;
  private List<AclRule> current = everyone;

  private AclParser(String source) {
    this.source = source;
  }

  static AclParser parse(List<String> lines, String source) {
    AclParser parser = new AclParser(source);
    for (int i = 0; i < lines.size(); i++) {
      parser.line(lines.get(i), i + 1);
    }
    return parser;
  }

  private void line(String raw, int number) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return;
    }
    String[] tokens = line.split("\\s+");
    switch (tokens[0]) {
      case "user" -> {
        if (tokens.length < 2 || tokens[1].startsWith("#")) {
          throw error(number, "'user' needs a user name");
        }
        requireCommentFrom(tokens, 2, number);
        current = byUser.computeIfAbsent(tokens[1], user -> new ArrayList<>());
      }
      case "topic" -> current.add(rule(tokens, false, number));
      case "pattern" -> everyone.add(rule(tokens, true, number)); // for every client, wherever
      default -> throw error(number, "unknown keyword '" + tokens[0]
          + "', expected 'topic', 'pattern' or 'user'");
    }
  }

  private AclRule rule(String[] tokens, boolean substitute, int number) {
    String access = tokens.length > 1 ? tokens[1] : "";
    boolean hasAccessWord = switch (access) {
      case "read", "write", "readwrite", "deny" -> true;
      default -> false;
    };
    int filterAt = hasAccessWord ? 2 : 1;
    if (tokens.length <= filterAt) {
      throw error(number, "'" + tokens[0] + "' needs a topic filter");
    }
    String filter = tokens[filterAt];
    requireCommentFrom(tokens, filterAt + 1, number);
    if (!TopicSyntax.isValidFilter(filter)) {
      throw error(number, "invalid topic filter '" + filter + "'");
    }
    return switch (hasAccessWord ? access : "readwrite") {
      case "read" -> AclRule.allow(filter, true, false, substitute);
      case "write" -> AclRule.allow(filter, false, true, substitute);
      case "deny" -> AclRule.deny(filter, substitute);
      default -> AclRule.allow(filter, true, true, substitute);
    };
  }

  /** Tokens from {@code from} on must be a trailing comment, so a typo is not silently dropped. */
  private void requireCommentFrom(String[] tokens, int from, int number) {
    if (tokens.length > from && !tokens[from].startsWith("#")) {
      throw error(number, "unexpected '" + tokens[from]
          + "' (topic filters and user names cannot contain spaces)");
    }
  }

  private IllegalArgumentException error(int number, String problem) {
    return new IllegalArgumentException(source + ", line " + number + ": " + problem);
  }
}
