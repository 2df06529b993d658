package io.tern.broker.core.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.message.QoS;
import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.StoredMessage;
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
  void inboundQos2RecordsAreCountedNotKept() {
    StoreState state = new StoreState();

    state.apply(new LogRecord.InboundQos2("a", 7));
    state.apply(new LogRecord.InboundQos2Released("a", 7));

    assertThat(state.ignoredRecords()).isEqualTo(2);
    assertThat(state.snapshot()).isExhausted();
  }

  private static LogRecord.Message message(String clientId, long id, String payload) {
    return new LogRecord.Message(clientId, id, "t/" + id, 1 + (int) (id % 2), id % 3 == 0, 1_700_000_000_000L + id,
        PROPS, payload.getBytes(StandardCharsets.UTF_8));
  }

  private static List<StoredMessage> messagesOf(StoreState state, String clientId) {
    return state.storedSessions().stream().filter(s -> s.clientId().equals(clientId)).findFirst()
        .orElseThrow().messages();
  }

  @Test
  void messagesAreKeptInTheirOrderWithThePacketIdTheyWereSentWith() {
    StoreState state = new StoreState();
    state.apply(new LogRecord.Session("a", 60, 0));
    state.apply(message("a", 3, "three"));
    state.apply(message("a", 1, "one"));
    state.apply(message("a", 2, "two"));
    state.apply(new LogRecord.MessageSent("a", 1, 17));

    List<StoredMessage> messages = messagesOf(state, "a");

    assertThat(messages).extracting(StoredMessage::messageId).containsExactly(1L, 2L, 3L);
    assertThat(messages).extracting(StoredMessage::packetId).containsExactly(17, 0, 0);
    StoredMessage first = messages.get(0);
    assertThat(first.topic()).isEqualTo("t/1");
    assertThat(first.qos()).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(first.retain()).isFalse();
    assertThat(messages.get(2).retain()).isTrue();
    assertThat(first.timestamp()).isEqualTo(1_700_000_000_001L);
    assertThat(first.properties()).isEqualTo(PROPS);
    assertThat(first.payload()).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAckRemovesAMessageAndItsBytes() {
    StoreState state = new StoreState();
    state.apply(new LogRecord.Session("a", 60, 0));
    long empty = state.liveBytes();
    state.apply(message("a", 1, "one"));
    state.apply(message("a", 2, "two"));
    state.apply(new LogRecord.MessageSent("a", 1, 5));

    state.apply(new LogRecord.Ack("a", 1));
    state.apply(new LogRecord.Ack("a", 2));

    assertThat(messagesOf(state, "a")).isEmpty();
    assertThat(state.messageCount()).isZero();
    assertThat(state.liveBytes()).isEqualTo(empty);
  }

  @Test
  void removingASessionRemovesItsMessagesAndTheirBytes() {
    StoreState state = new StoreState();
    state.apply(new LogRecord.Session("a", 60, 0));
    state.apply(message("a", 1, "one"));
    state.apply(new LogRecord.MessageSent("a", 1, 5));

    state.apply(new LogRecord.SessionRemoved("a"));

    assertThat(state.messageCount()).isZero();
    assertThat(state.liveBytes()).isZero();
    assertThat(state.snapshot()).isExhausted();
  }

  @Test
  void anAckOrSentMarkForAMessageNotKeptChangesNothing() {
    StoreState state = new StoreState();

    state.apply(new LogRecord.Ack("ghost", 1));
    state.apply(new LogRecord.MessageSent("ghost", 1, 2));

    assertThat(state.sessionCount()).isZero();
    assertThat(state.ignoredRecords()).isZero();
  }

  @Test
  void aSnapshotKeepsMessagesAndTheirPacketIdsAndReplaysToTheSameState() {
    StoreState state = sample();
    state.apply(message("a", 1, "one"));
    state.apply(message("a", 2, "two"));
    state.apply(new LogRecord.MessageSent("a", 1, 9));
    state.apply(message("b", 7, "seven"));

    StoreState replayed = replayOf(state.snapshot());
    assertThat(replayed.liveBytes()).isEqualTo(state.liveBytes());
    List<LogRecord> later = List.of(new LogRecord.Ack("a", 1), new LogRecord.MessageSent("a", 2, 10),
        message("b", 8, "eight"));
    later.forEach(state::apply);
    StoreState replayedAfter = replayOf(state.snapshot());
    later.forEach(replayedAfter::apply); // the suffix of the log replayed again over the snapshot

    assertThat(messagesOf(replayed, "a")).isEqualTo(List.of(
        StoreState.toStored(message("a", 1, "one"), 9), StoreState.toStored(message("a", 2, "two"), 0)));
    assertThat(messagesOf(replayedAfter, "a")).isEqualTo(messagesOf(state, "a"));
    assertThat(messagesOf(replayedAfter, "a")).extracting(StoredMessage::packetId).containsExactly(10);
    assertThat(messagesOf(replayedAfter, "b")).isEqualTo(messagesOf(state, "b"));
    assertThat(replayedAfter.liveBytes()).isEqualTo(state.liveBytes());
  }
}
