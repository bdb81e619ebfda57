package org.trapline.evidence;

/**
 * Outcome of {@link EvidenceStore#record}: the hit's id, and whether this call created it
 * ({@code false} when the same intake key had been recorded before, i.e. a replay).
 */
public record RecordResult(long hitId, boolean isNew, String sha256) {
}
