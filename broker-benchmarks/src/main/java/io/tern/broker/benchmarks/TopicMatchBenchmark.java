package io.tern.broker.benchmarks;

import io.tern.broker.core.routing.MatchConsumer;
import io.tern.broker.core.routing.TopicTrie;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Matching a published topic against the subscription trie, the first step of routing every
 * message.
 *
 * <p>Topics look like {@code fleet/<region>/<device>/<metric>}: 100 regions, {@code
 * subscriptions / 1000} devices per region and 10 metrics, so the trie's widest nodes have about
 * a thousand children at a million subscriptions. Of the subscriptions, 90% name one topic, 5%
 * are {@code fleet/<region>/+/<metric>}, 4% {@code fleet/<region>/<device>/#} and 1% {@code
 * fleet/+/<device>/<metric>}; each has its own subscriber. Each call matches the next of 4096
 * random topics from the same space and counts the matches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TopicMatchBenchmark {
  private static final int REGIONS = 100;
  private static final int METRICS = 10;
  private static final int TOPICS = 4096;

  @Param({"1000", "100000", "1000000"})
  public int subscriptions;

  private final TopicTrie<Integer> trie = new TopicTrie<>();
  private final String[] topics = new String[TOPICS];
  private final Counter counter = new Counter();
  private int next;

  /** Counts matches without allocating, so the figure is the trie's own. */
  static final class Counter implements MatchConsumer<Integer> {
    int matches;

    @Override
    public void accept(Integer subscriber, int options) {
      matches++;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    int devices = Math.max(1, subscriptions / 1000);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < subscriptions; i++) {
      int region = random.nextInt(REGIONS);
      int device = random.nextInt(devices);
      int metric = random.nextInt(METRICS);
      int kind = random.nextInt(100);
      String filter;
      if (kind < 90) {
        filter = "fleet/r" + region + "/d" + device + "/m" + metric;
      } else if (kind < 95) {
        filter = "fleet/r" + region + "/+/m" + metric;
      } else if (kind < 99) {
        filter = "fleet/r" + region + "/d" + device + "/#";
      } else {
        filter = "fleet/+/d" + device + "/m" + metric;
      }
      trie.subscribe(filter, i, 0);
    }
    if (trie.subscriptionCount() != subscriptions) {
      throw new IllegalStateException("expected " + subscriptions + " subscriptions, got " + trie.subscriptionCount());
    }
    for (int i = 0; i < TOPICS; i++) {
      topics[i] = "fleet/r" + random.nextInt(REGIONS) + "/d" + random.nextInt(devices) + "/m" + random.nextInt(METRICS);
    }
    long total = 0;
    for (String topic : topics) {
      counter.matches = 0;
      trie.match(topic, counter);
      total += counter.matches;
    }
    // Printed so that the figure can be read with the work it stands for.
    System.out.printf("%n%d subscriptions: %.1f matches per topic on average%n", subscriptions,
        (double) total / TOPICS);
  }

  @Benchmark
  public int match() {
    String topic = topics[next++ & (TOPICS - 1)];
    counter.matches = 0;
    trie.match(topic, counter);
    return counter.matches;
  }
}
