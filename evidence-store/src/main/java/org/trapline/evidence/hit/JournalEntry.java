package org.trapline.evidence.hit;

import java.time.Instant;

/**
 * One line of the evidence journal: a purge (or any other removal of evidence) with who asked and how much
 * it touched, so that deleting evidence is itself on record.
 */
public record JournalEntry(long id, Instant at, String action, String target, String actor, long hits, String detail) {
}
