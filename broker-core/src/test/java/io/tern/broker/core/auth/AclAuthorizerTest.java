package io.tern.broker.core.auth;

import static io.tern.broker.spi.auth.AccessDecision.ALLOW;
import static io.tern.broker.spi.auth.AccessDecision.DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.auth.AccessDecision;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclAuthorizerTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50000);

  private static final AclAuthorizer ACL = AclAuthorizer.parse(List.of(
      "# rules for every client",
      "topic read sensors/#",
      "topic write public/+/chat   # trailing comment",
      "topic public/readwrite",
      "topic deny sensors/restricted/#",
      "topic read literal/%u",
      "",
      "user alice",
      "topic readwrite alice/#",
      "topic deny alice/secret",
      "topic readwrite sensors/restricted/alice",
      "pattern write devices/%c/status",
      "pattern readwrite users/%u/#",
      "pattern read %c/inbox",
      "pattern readwrite clients/%c",
      "",
      "user bob",
      "topic write bob/out",
      "topic read #",
      "user alice",
      "topic write alice-again"));

  /** user "-" is a client without a user name; "<empty>" one with an empty user name. */
  @ParameterizedTest(name = "{0} {1}/{2} {3} -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # global rules: every client, anonymous included
      pub | -       | c1   | sensors/room1/temp       | DENY
      sub | -       | c1   | sensors/room1/temp       | ALLOW
      pub | -       | c1   | public/lobby/chat        | ALLOW
      sub | -       | c1   | public/lobby/chat        | DENY
      pub | -       | c1   | public/a/b/chat          | DENY
      pub | -       | c1   | public/readwrite         | ALLOW
      sub | -       | c1   | public/readwrite         | ALLOW
      pub | mallory | c1   | public/lobby/chat        | ALLOW
      pub | -       | c1   | nothing/here             | DENY
      sub | -       | c1   | nothing/here             | DENY
      # deny wins, and a subscription that could receive a denied topic is denied
      sub | -       | c1   | sensors/restricted/x     | DENY
      sub | -       | c1   | sensors/#                | DENY
      sub | -       | c1   | sensors/+/temp           | DENY
      sub | -       | c1   | sensors/room1/#          | ALLOW
      sub | -       | c1   | sensors                  | ALLOW
      pub | alice   | c1   | sensors/restricted/alice | DENY
      # per-user sections
      pub | alice   | c1   | alice/notes              | ALLOW
      sub | alice   | c1   | alice/#                  | DENY
      sub | alice   | c1   | alice/notes              | ALLOW
      pub | alice   | c1   | alice/secret             | DENY
      sub | alice   | c1   | alice/secret             | DENY
      pub | alice   | c1   | alice/secret/x           | ALLOW
      pub | alice   | c1   | alice-again              | ALLOW
      pub | bob     | c1   | alice/notes              | DENY
      pub | -       | c1   | alice/notes              | DENY
      pub | mallory | c1   | alice/notes              | DENY
      pub | bob     | c1   | bob/out                  | ALLOW
      pub | bob     | c1   | sensors/room1/temp       | DENY
      sub | bob     | c1   | alice/notes              | ALLOW
      sub | bob     | c1   | #                        | DENY
      sub | bob     | c1   | +/notes                  | ALLOW
      sub | -       | c1   | +/notes                  | DENY
      # pattern rules apply to everyone, wherever they appear
      pub | -       | dev1 | devices/dev1/status      | ALLOW
      pub | bob     | dev1 | devices/dev1/status      | ALLOW
      pub | -       | dev1 | devices/dev2/status      | DENY
      pub | -       | dev1 | devices/dev1/status/x    | DENY
      sub | -       | dev1 | devices/dev1/status      | DENY
      pub | alice   | c1   | users/alice/x            | ALLOW
      pub | alice   | c1   | users/alice              | ALLOW
      sub | alice   | c1   | users/alice/#            | ALLOW
      pub | alice   | c1   | users/bob/x              | DENY
      pub | bob     | c1   | users/alice/x            | DENY
      pub | -       | c1   | users/alice/x            | DENY
      sub | -       | c1   | users/+/x                | DENY
      sub | alice   | c1   | users/+/x                | DENY
      sub | -       | c1   | c1/inbox                 | ALLOW
      sub | -       | c2   | c1/inbox                 | DENY
      # %u and %c are literal in topic rules
      sub | -       | c1   | literal/%u               | ALLOW
      sub | alice   | c1   | literal/alice            | DENY
      # no wildcard injection through client ids or user names
      sub | -       | #    | clients/#                | DENY
      sub | -       | #    | clients/x                | DENY
      sub | -       | +    | clients/+                | DENY
      sub | -       | +    | clients/x                | DENY
      sub | -       | a/#  | clients/a/#              | DENY
      pub | -       | a/#  | clients/a/x              | DENY
      pub | -       | a/b  | clients/a/b              | DENY
      pub | -       | a/b  | devices/a/b/status       | DENY
      sub | x/#     | c1   | users/x/#                | DENY
      pub | x/#     | c1   | users/x/y                | DENY
      pub | a+      | c1   | users/a+/y               | DENY
      pub | <empty> | c1   | users//y                 | DENY
      sub | -       | $SYS | $SYS/inbox               | DENY
      sub | -       | $SYS | $SYS/#                   | DENY
      pub | alice   | %u   | clients/alice            | DENY
      pub | alice   | %u   | clients/%u               | ALLOW
      pub | -       | c1   | clients/c1               | ALLOW
      """)
  void decidesByTheRules(String op, String user, String clientId, String topic,
      AccessDecision expected) {
    assertThat(check(ACL, op, user, clientId, topic)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "rule {0}: sub {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      a/#   | a/#       | ALLOW
      a/#   | a/+/x     | ALLOW
      a/#   | a         | ALLOW
      a/#   | a/b/c     | ALLOW
      a/#   | #         | DENY
      a/#   | +         | DENY
      a/#   | b/#       | DENY
      a/+   | a/x       | ALLOW
      a/+   | a/+       | ALLOW
      a/+   | a/#       | DENY
      a/+   | a/x/y     | DENY
      a/+   | a         | DENY
      a/+   | a/        | ALLOW
      a/+/d | a/x/d     | ALLOW
      a/+/d | a/+/d     | ALLOW
      a/+/d | a/x/+     | DENY
      a/+/d | a/+/d/e   | DENY
      a/+/d | a/#       | DENY
      a     | a         | ALLOW
      a     | a/#       | DENY
      a     | a/+       | DENY
      a     | +         | DENY
      a     | a/        | DENY
      +     | +         | ALLOW
      +     | x         | ALLOW
      +     | #         | DENY
      +     | x/y       | DENY
      #     | #         | ALLOW
      #     | +/+/#     | ALLOW
      #     | $SYS/#    | DENY
      #     | $SYS/x    | DENY
      +/x   | $SYS/x    | DENY
      $SYS/# | $SYS/#   | ALLOW
      $SYS/# | $SYS/a/b | ALLOW
      $SYS/# | +/a      | DENY
      """)
  void subscriptionNeedsARuleCoveringEveryTopicItCanMatch(String rule, String filter,
      AccessDecision expected) {
    AclAuthorizer acl = AclAuthorizer.parse(List.of("topic read " + rule));

    assertThat(acl.checkSubscribe(client(null, "c1"), filter, QoS.AT_MOST_ONCE))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "rule {0}: pub {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      #       | a          | ALLOW
      #       | a/b/c      | ALLOW
      #       | /          | ALLOW
      #       | $SYS/x     | DENY
      +/x     | $SYS/x     | DENY
      +/x     | a/x        | ALLOW
      $SYS/#  | $SYS/x     | ALLOW
      $SYS/#  | $SYS       | ALLOW
      a/+     | a/         | ALLOW
      a/+     | a          | DENY
      a/+     | a/b/c      | DENY
      a       | a/         | DENY
      a//b    | a//b       | ALLOW
      a//b    | a/b        | DENY
      """)
  void publishNeedsAWriteRuleMatchingTheTopic(String rule, String topic,
      AccessDecision expected) {
    AclAuthorizer acl = AclAuthorizer.parse(List.of("topic write " + rule));

    assertThat(acl.checkPublish(client(null, "c1"), topic, QoS.AT_LEAST_ONCE, false))
        .isEqualTo(expected);
  }

  @Test
  void denyRulesOnlyStopSubscriptionsThatCouldReceiveADeniedTopic() {
    AclAuthorizer sysDenied = AclAuthorizer.parse(List.of("topic read #", "topic deny $SYS/#"));
    AclAuthorizer allDenied = AclAuthorizer.parse(List.of("topic read $SYS/#", "topic deny #"));

    assertThat(sysDenied.checkSubscribe(client(null, "c1"), "#", QoS.AT_MOST_ONCE))
        .isEqualTo(ALLOW);
    assertThat(allDenied.checkSubscribe(client(null, "c1"), "$SYS/x", QoS.AT_MOST_ONCE))
        .isEqualTo(ALLOW);
    assertThat(allDenied.checkSubscribe(client(null, "c1"), "x", QoS.AT_MOST_ONCE))
        .isEqualTo(DENY);
  }

  @Test
  void neverAbstains() {
    AclAuthorizer empty = AclAuthorizer.parse(List.of());

    assertThat(empty.checkPublish(client("alice", "c1"), "a", QoS.AT_MOST_ONCE, false))
        .isEqualTo(DENY);
    assertThat(empty.checkSubscribe(client("alice", "c1"), "a", QoS.AT_MOST_ONCE))
        .isEqualTo(DENY);
  }

  @Test
  void invalidTopicsAndFiltersAreDeniedEvenUnderACatchAllRule() {
    AclAuthorizer acl = AclAuthorizer.parse(List.of("topic readwrite #"));

    assertThat(acl.checkPublish(client(null, "c1"), "a/+", QoS.AT_MOST_ONCE, false))
        .isEqualTo(DENY);
    assertThat(acl.checkPublish(client(null, "c1"), "", QoS.AT_MOST_ONCE, false))
        .isEqualTo(DENY);
    assertThat(acl.checkSubscribe(client(null, "c1"), "a/#/b", QoS.AT_MOST_ONCE))
        .isEqualTo(DENY);
    assertThat(acl.checkSubscribe(client(null, "c1"), "a+", QoS.AT_MOST_ONCE))
        .isEqualTo(DENY);
  }

  @Test
  void topicWithoutAccessWordIsReadwriteEvenForTheHashFilter() {
    AclAuthorizer acl = AclAuthorizer.parse(List.of("topic #   # everything"));

    assertThat(acl.checkPublish(client(null, "c1"), "a", QoS.AT_MOST_ONCE, true)).isEqualTo(ALLOW);
    assertThat(acl.checkSubscribe(client(null, "c1"), "#", QoS.AT_MOST_ONCE)).isEqualTo(ALLOW);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      topic                   | needs a topic filter
      topic read              | needs a topic filter
      topic deny # comment    | unexpected 'comment'
      topic read a b          | unexpected 'b'
      topic read a/#/b        | invalid topic filter
      topic write a#          | invalid topic filter
      pattern read +x/%c      | invalid topic filter
      user                    | needs a user name
      user # nobody           | needs a user name
      user a b                | unexpected 'b'
      tpoic read a            | unknown keyword 'tpoic'
      read a                  | unknown keyword 'read'
      """)
  void malformedLinesAreReportedWithTheirLineNumber(String line, String problem) {
    List<String> lines = List.of("# comment", "", "topic read fine/#", "user alice", line);

    assertThatThrownBy(() -> AclAuthorizer.parse(lines))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 5")
        .hasMessageContaining(problem);
  }

  @Test
  void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path good = Files.write(dir.resolve("acl"), List.of("user alice", "topic write alice/#"));
    Path bad = Files.write(dir.resolve("bad-acl"), List.of("topic write ok", "topic bogus a b"));

    AclAuthorizer acl = AclAuthorizer.load(good);

    assertThat(acl.checkPublish(client("alice", "c1"), "alice/x", QoS.AT_MOST_ONCE, false))
        .isEqualTo(ALLOW);
    assertThat(acl.checkPublish(client("bob", "c1"), "alice/x", QoS.AT_MOST_ONCE, false))
        .isEqualTo(DENY);
    assertThatThrownBy(() -> AclAuthorizer.load(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("line 2");
  }

  private static AccessDecision check(AclAuthorizer acl, String op, String user, String clientId,
      String topic) {
    ClientInfo client = client(user.equals("-") ? null : user.equals("<empty>") ? "" : user,
        clientId);
    return switch (op) {
      case "pub" -> acl.checkPublish(client, topic, QoS.AT_LEAST_ONCE, false);
      case "sub" -> acl.checkSubscribe(client, topic, QoS.AT_LEAST_ONCE);
      default -> throw new IllegalArgumentException(op);
    };
  }

  private static ClientInfo client(String username, String clientId) {
    return new ClientInfo(clientId, Optional.ofNullable(username), PEER, 4);
  }
}
