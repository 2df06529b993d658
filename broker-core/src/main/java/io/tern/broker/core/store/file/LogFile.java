package io.tern.broker.core.store.file;

import java.nio.file.Path;

/**
 * A closed file of the log: a segment, or a snapshot standing for every segment up to its
 * sequence.
 */
record LogFile(long sequence, Path path, long size) {}
