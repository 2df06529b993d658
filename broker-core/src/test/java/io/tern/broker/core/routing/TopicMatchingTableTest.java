package io.tern.broker.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The filter/topic table from MQTT 3.1.1 section 4.7, run against both {@link TopicTrie} and
 * {@link RetainedIndex} so the two cannot drift apart.
 */
class TopicMatchingTableTest {

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // 4.7.1.2 multi-level wildcard
        "sport/tennis/player1/#   | sport/tennis/player1                  | true",
        "sport/tennis/player1/#   | sport/tennis/player1/ranking          | true",
        "sport/tennis/player1/#   | sport/tennis/player1/score/wimbledon  | true",
        "sport/tennis/player1/#   | sport/tennis/player2                  | false",
        "sport/#                  | sport                                 | true",
        "sport/#                  | sport/                                | true",
        "sport/#                  | sport/a/b                             | true",
        "sport/#                  | sports                                | false",
        "#                        | sport                                 | true",
        "#                        | /                                     | true",
        "#                        | a/b/c                                 | true",
        // 4.7.1.3 single-level wildcard
        "sport/tennis/+           | sport/tennis/player1                  | true",
        "sport/tennis/+           | sport/tennis/player2                  | true",
        "sport/tennis/+           | sport/tennis/player1/ranking          | false",
        "sport/+                  | sport                                 | false",
        "sport/+                  | sport/                                | true",
        "+/+                      | /finance                              | true",
        "/+                       | /finance                              | true",
        "+                        | /finance                              | false",
        "+                        | finance                               | true",
        "+/tennis/#               | sport/tennis/player1                  | true",
        "+/tennis/#               | sport/tennis                          | true",
        "+/tennis/#               | sport/golf                            | false",
        "sport/+/player1          | sport/tennis/player1                  | true",
        // empty levels are real levels
        "a//b                     | a//b                                  | true",
        "a/+/b                    | a//b                                  | true",
        "a/b                      | a//b                                  | false",
        "a                        | a/                                    | false",
        "a/+                      | a/                                    | true",
        "/a                       | /a                                    | true",
        "a                        | /a                                    | false",
        "+/+/+                    | //                                    | true",
        // literal and case-sensitive [MQTT-4.7.3-4]
        "ACCOUNTS                 | Accounts                              | false",
        "Accounts                 | Accounts                              | true",
        "sport/tennis             | sport/tennis/player1                  | false",
        // 4.7.2 topics beginning with $ [MQTT-4.7.2-1]
        "#                        | $SYS/monitor/Clients                  | false",
        "+/monitor/Clients        | $SYS/monitor/Clients                  | false",
        "+                        | $SYS                                  | false",
        "+/#                      | $SYS/x                                | false",
        "$SYS/#                   | $SYS/monitor/Clients                  | true",
        "$SYS/#                   | $SYS                                  | true",
        "$SYS/monitor/+           | $SYS/monitor/Clients                  | true",
        "$SYS/+/Clients           | $SYS/monitor/Clients                  | true",
        "a/#                      | a/$b                                  | true",
        "a/+                      | a/$b                                  | true",
      })
  void matchesAsSpecified(String filter, String topic, boolean expected) {
    assertThat(trieMatches(filter, topic)).as("trie").isEqualTo(expected);
    assertThat(retainedMatches(filter, topic)).as("retained index").isEqualTo(expected);
  }

  private static boolean trieMatches(String filter, String topic) {
    TopicTrie<String> trie = new TopicTrie<>();
    trie.subscribe(filter, "client", 1);
    // Decoys give the structures other branches to (wrongly) wander into.
    trie.subscribe("decoy/+/x", "decoy", 0);
    trie.subscribe("$decoy", "decoy", 0);
    List<String> matched = new ArrayList<>();
    trie.match(topic, (subscriber, qos) -> matched.add(subscriber));
    assertThat(matched).filteredOn("client"::equals).hasSizeLessThanOrEqualTo(1);
    return matched.contains("client");
  }

  private static boolean retainedMatches(String filter, String topic) {
    RetainedIndex<String> index = new RetainedIndex<>();
    index.put(topic, "message");
    index.put("decoy/y/x", "decoy");
    List<String> matched = new ArrayList<>();
    index.forEachMatching(filter, matched::add);
    assertThat(matched).filteredOn("message"::equals).hasSizeLessThanOrEqualTo(1);
    return matched.contains("message");
  }
}
