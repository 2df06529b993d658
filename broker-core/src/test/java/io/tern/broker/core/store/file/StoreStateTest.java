package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.message.QoS;
import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.StoredSession;
import io.tern.broker.spi.store.StoredSubscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StoreStateTest {
  private static final byte[] PROPS = {0x01, 0x01}; // Payload Format Indicator 1

  private static StoreState replayOf(Iterator<LogRecord> records) {
    StoreState state = new StoreState();
    records.forEachRemaining(state::apply);
    return state;
  }

  private static List<StoredSession> sessions(StoreState state) {
    List<StoredSession> all = new ArrayList<>();
    for (StoredSession s : state.storedSessions()) {
      List<StoredSubscription> subs = new ArrayList<>(s.subscriptions());
      subs.sort(Comparator.comparing(StoredSubscription::topicFilter));
      all.add(new StoredSession(s.clientId(), subs, s.expiryInterval(), s.disconnectedAt()));
    }
    all.sort(Comparator.comparing(StoredSession::clientId));
    return all;
  }

  private static List<RetainedMessage> retained(StoreState state) {
    List<RetainedMessage> all = new ArrayList<>(state.storedRetained());
    all.sort(Comparator.comparing(RetainedMessage::topic));
    return all;
  }

  private static StoreState sample() {
    StoreState state = new StoreState();
    state.apply(new LogRecord.Session("a", 3600, 1_700_000_000_000L));
    state.apply(StoreState.toRecord("a", new StoredSubscription("x/#", QoS.AT_LEAST_ONCE, true, true, 42)));
    state.apply(StoreState.toRecord("a", new StoredSubscription("y", QoS.EXACTLY_ONCE)));
    state.apply(new LogRecord.Session("b", StoredSession.NEVER_EXPIRES, 0));
    state.apply(StoreState.toRecord("b", new StoredSubscription("z", QoS.AT_MOST_ONCE)));
    state.apply(StoreState.toRecord(new RetainedMessage("t/1", "one".getBytes(StandardCharsets.UTF_8),
        QoS.AT_LEAST_ONCE, PROPS, 1_700_000_000_123L)));
    state.apply(StoreState.toRecord(new RetainedMessage("t/2", "two".getBytes(StandardCharsets.UTF_8),
        QoS.AT_MOST_ONCE)));
    return state;
  }

  @Test
  void sessionsKeepExpiryAndEverySubscriptionOption() {
    List<StoredSession> sessions = sessions(sample());

    assertThat(sessions).containsExactly(
        new StoredSession("a", List.of(new StoredSubscription("x/#", QoS.AT_LEAST_ONCE, true, true, 42),
            new StoredSubscription("y", QoS.EXACTLY_ONCE)), 3600, 1_700_000_000_000L),
        new StoredSession("b", List.of(new StoredSubscription("z", QoS.AT_MOST_ONCE))));
  }

  @Test
  void aSnapshotReplaysToTheSameState() {
    StoreState state = sample();

    StoreState replayed = replayOf(state.snapshot());

    assertThat(sessions(replayed)).isEqualTo(sessions(state));
    assertThat(retained(replayed)).isEqualTo(retained(state));
    assertThat(retained(replayed).get(0).properties()).isEqualTo(PROPS);
    assertThat(replayed.liveBytes()).isEqualTo(state.liveBytes());
  }

  @Test
  void replayingRecordsTheSnapshotAlreadyReflectsChangesNothing() {
    StoreState state = sample();
    List<LogRecord> later = List.of(
        new LogRecord.SubscriptionRemoved("a", "y"),
        new LogRecord.SessionRemoved("b"),
        new LogRecord.RetainedCleared("t/2"),
        new LogRecord.Session("c", 10, 0));
    later.forEach(state::apply); // changed before the snapshot is read, as a compaction may see them

    StoreState replayed = replayOf(state.snapshot());
    later.forEach(replayed::apply); // and replayed again from the segment after the roll

    assertThat(sessions(replayed)).isEqualTo(sessions(state));
    assertThat(sessions(replayed)).extracting(StoredSession::clientId).containsExactly("a", "c");
    assertThat(retained(replayed)).extracting(RetainedMessage::topic).containsExactly("t/1");
  }

  @Test
  void removingASessionRemovesItsSubscriptionsAndItsBytes() {
    StoreState state = new StoreState();
    state.apply(new LogRecord.Session("a", 60, 0));
    state.apply(new LogRecord.Subscription("a", "f", 1));

    state.apply(new LogRecord.SessionRemoved("a"));
    state.apply(new LogRecord.Session("a", 60, 0));

    assertThat(sessions(state)).containsExactly(new StoredSession("a", List.of(), 60, 0));
    state.apply(new LogRecord.SessionRemoved("a"));
    assertThat(state.liveBytes()).isZero();
    assertThat(state.snapshot()).isExhausted();
  }

  @Test
  void removingASubscriptionOfAnUnknownSessionCreatesNoSession() {
    StoreState state = new StoreState();

    state.apply(new LogRecord.SubscriptionRemoved("ghost", "f"));

    assertThat(state.sessionCount()).isZero();
  }

  @Test
  void aSubscriptionWithoutASessionRecordRestoresAsANeverExpiringSession() {
    StoreState state = new StoreState();

    state.apply(new LogRecord.Subscription("a", "f", 2));

    assertThat(sessions(state)).containsExactly(
        new StoredSession("a", List.of(new StoredSubscription("f", QoS.EXACTLY_ONCE))));
  }

  @Test
  void liveBytesFollowRetainedPayloadsAsTheyAreReplacedAndCleared() {
    StoreState state = new StoreState();
    state.apply(new LogRecord.Retained("t", 0, 1, LogRecord.NO_BYTES, new byte[1000]));
    long big = state.liveBytes();
    state.apply(new LogRecord.Retained("t", 0, 2, LogRecord.NO_BYTES, new byte[10]));

    assertThat(big).isGreaterThanOrEqualTo(1000);
    assertThat(state.liveBytes()).isEqualTo(big - 990);
    state.apply(new LogRecord.RetainedCleared("t"));
    assertThat(state.liveBytes()).isZero();
  }

  @Test
  void messageRecordsOfALaterVersionAreCountedNotKept() {
    StoreState state = new StoreState();

    state.apply(new LogRecord.Ack("a", 1));
    state.apply(new LogRecord.InboundQos2("a", 7));

    assertThat(state.ignoredRecords()).isEqualTo(2);
    assertThat(state.snapshot()).isExhausted();
  }
}
