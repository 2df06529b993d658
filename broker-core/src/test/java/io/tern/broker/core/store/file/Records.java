package io.tern.broker.core.store.file;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Sample records for the log's tests. */
final class Records {
  private Records() {}

  static LogRecord.Message message(String clientId, long id, int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    new Random(id).nextBytes(payload);
    return new LogRecord.Message(clientId, id, "sensors/" + clientId + "/t", 1, false, 1_700_000_000_000L + id,
        LogRecord.NO_BYTES, payload);
  }

  static LogRecord.Message message(String clientId, long id) {
    return new LogRecord.Message(clientId, id, "t/" + id, 1, false, 1_700_000_000_000L,
        LogRecord.NO_BYTES, ("payload " + id).getBytes(StandardCharsets.UTF_8));
  }

  /** One record of every kind the owner writes, with awkward values. */
  static List<LogRecord> everyKind() {
    byte[] properties = {0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x3C};
    List<LogRecord> records = new ArrayList<>();
    records.add(new LogRecord.Session("client-ä-😀", 0xFFFF_FFFFL, 0));
    records.add(new LogRecord.Session("c2", 3600, 1_700_000_123_456L));
    records.add(new LogRecord.Subscription("client-ä-😀", "sport/+/score/#", 0x1234_5672));
    records.add(new LogRecord.SubscriptionRemoved("client-ä-😀", "sport/+/score/#"));
    records.add(new LogRecord.Message("c2", Long.MAX_VALUE, "a/b", 2, true, 1_700_000_000_000L, properties,
        new byte[] {0, 1, 2, (byte) 0xFF}));
    records.add(new LogRecord.Message("c2", 0, "", 0, false, 0, LogRecord.NO_BYTES, LogRecord.NO_BYTES));
    records.add(new LogRecord.MessageSent("c2", Long.MAX_VALUE, 65535));
    records.add(new LogRecord.Ack("c2", Long.MAX_VALUE));
    records.add(new LogRecord.Retained("status/€", 1, 42, properties, "online".getBytes(StandardCharsets.UTF_8)));
    records.add(new LogRecord.RetainedCleared("status/€"));
    records.add(new LogRecord.InboundQos2("c2", 65535));
    records.add(new LogRecord.InboundQos2Released("c2", 1));
    records.add(new LogRecord.SessionRemoved("c2"));
    return records;
  }
}
