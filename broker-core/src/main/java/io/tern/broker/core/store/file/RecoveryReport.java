package io.tern.broker.core.store.file;

import java.util.List;
import java.util.Map;

/**
 * What opening the log found.
 *
 * @param records how many records were replayed
 * @param counts how many of each type
 * @param segments how many segment files were read (a snapshot not counted)
 * @param snapshot the sequence of the snapshot that was read first, or 0 when there was none
 * @param truncatedBytes bytes cut from a torn or corrupt tail
 * @param warnings one line per problem found and repaired or skipped, as logged at WARN
 * @param millis how long recovery took
 */
public record RecoveryReport(long records, Map<RecordType, Long> counts, int segments, long snapshot,
    long truncatedBytes, List<String> warnings, long millis) {
  public RecoveryReport {
    counts = Map.copyOf(counts);
    warnings = List.copyOf(warnings);
  }
}
