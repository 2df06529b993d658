package io.tern.broker.core.auth;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.core.codec.TopicSyntax;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.auth.AccessDecision;
import io.tern.broker.spi.auth.Authorizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides publishes and subscriptions from mosquitto-style access rules.
 *
 * <pre>
 * # comment
 * topic read sensors/#              # before any "user" line: every client, anonymous included
 * pattern write devices/%c/status   # every client, wherever it appears
 * user alice                        # the "topic" lines that follow are for alice only
 * topic readwrite alice/#
 * topic deny alice/secret
 * </pre>
 *
 * <p>A rule is {@code topic} or {@code pattern}, an optional access word ({@code read} to
 * subscribe, {@code write} to publish, {@code readwrite}, the default, or {@code deny}) and a topic
 * filter; {@code #} after whitespace at the end of a line starts a comment, so filters and user
 * names cannot contain spaces. In {@code pattern} rules {@code %u} stands for the client's user
 * name and {@code %c} for its client id; a pattern rule does not apply to a client whose value is
 * missing or empty, contains {@code +}, {@code #} or {@code /} (so a crafted client id cannot
 * widen a rule), or starts with {@code $} where the rule starts with the placeholder. In {@code
 * topic} rules {@code %u} and {@code %c} are literal text. A filter starting with a wildcard does
 * not match topics starting with {@code $}, as in MQTT.
 *
 * <p>A publish to a topic is allowed when some applicable rule with write access matches it and
 * no applicable deny rule does. A subscription to a filter is allowed when some applicable rule
 * with read access matches every topic the filter can match, and no applicable deny rule matches
 * any of them. Everything else is denied: this authorizer never abstains, so it is the last word
 * and authorizers after it are never asked.
 *
 * <p>Immutable and thread-safe; the checks neither block nor allocate, since they run for every
 * publish.
 * {@link #load} blocks on file I/O. A changed file takes effect by loading a new instance.
 */
public final class AclAuthorizer implements Authorizer {
  private static final AclRule[] NONE = new AclRule[0];
  private static final int ALLOWED = 1;
  private static final int DENIED = 2;

  private final AclRule[] everyone;
  private final Map<String, AclRule[]> byUser;

  private AclAuthorizer(AclParser parsed) {
    this.everyone = parsed.everyone.toArray(NONE);
    Map<String, AclRule[]> users = new HashMap<>();
    parsed.byUser.forEach((user, rules) -> users.put(user, rules.toArray(NONE)));
    this.byUser = Map.copyOf(users);
  }

  /**
   * Rules from the lines of an ACL file.
   *
   * @throws IllegalArgumentException naming the line of the first malformed line
   */
  public static AclAuthorizer parse(List<String> lines) {
    return new AclAuthorizer(AclParser.parse(lines, "ACL"));
  }

  /**
   * Rules from a UTF-8 ACL file.
   *
   * @throws IllegalArgumentException naming the file and line of the first malformed line
   * @throws IOException when the file cannot be read or is not UTF-8
   */
  public static AclAuthorizer load(Path path) throws IOException {
    return new AclAuthorizer(
        AclParser.parse(Files.readAllLines(path, StandardCharsets.UTF_8), path.toString()));
  }

  @Override
  public AccessDecision checkPublish(ClientInfo client, String topic, QoS qos, boolean retain) {
    if (!TopicSyntax.isValidName(topic)) {
      return AccessDecision.DENY;
    }
    String username = placeholderValue(client.username().orElse(null));
    String clientId = placeholderValue(client.clientId());
    int found = publish(everyone, topic, username, clientId);
    if (found != DENIED) {
      found |= publish(userRules(client), topic, username, clientId);
    }
    return found == ALLOWED ? AccessDecision.ALLOW : AccessDecision.DENY;
  }

  @Override
  public AccessDecision checkSubscribe(ClientInfo client, String topicFilter, QoS qos) {
    if (!TopicSyntax.isValidFilter(topicFilter)) {
      return AccessDecision.DENY;
    }
    String username = placeholderValue(client.username().orElse(null));
    String clientId = placeholderValue(client.clientId());
    int found = subscribe(everyone, topicFilter, username, clientId);
    if (found != DENIED) {
      found |= subscribe(userRules(client), topicFilter, username, clientId);
    }
    return found == ALLOWED ? AccessDecision.ALLOW : AccessDecision.DENY;
  }

  private AclRule[] userRules(ClientInfo client) {
    String username = client.username().orElse(null);
    AclRule[] rules = username == null ? null : byUser.get(username);
    return rules == null ? NONE : rules;
  }

  /** ALLOWED, DENIED or 0; DENIED as soon as a deny rule matches, since nothing overrides it. */
  private static int publish(AclRule[] rules, String topic, String username, String clientId) {
    int found = 0;
    for (AclRule rule : rules) {
      if (!(rule.deny || (rule.write && found == 0)) || !rule.appliesTo(username, clientId)) {
        continue;
      }
      if (rule.matchesTopic(topic, username, clientId)) {
        if (rule.deny) {
          return DENIED;
        }
        found = ALLOWED;
      }
    }
    return found;
  }

  private static int subscribe(AclRule[] rules, String filter, String username, String clientId) {
    int found = 0;
    for (AclRule rule : rules) {
      if (!(rule.deny || (rule.read && found == 0)) || !rule.appliesTo(username, clientId)) {
        continue;
      }
      if (rule.deny) {
        if (rule.overlaps(filter, username, clientId)) {
          return DENIED;
        }
      } else if (rule.covers(filter, username, clientId)) {
        found = ALLOWED;
      }
    }
    return found;
  }

  /** The value a placeholder may stand for, or null when rules using it must not apply. */
  private static String placeholderValue(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '+' || c == '#' || c == '/') {
        return null;
      }
    }
    return value;
  }
}
