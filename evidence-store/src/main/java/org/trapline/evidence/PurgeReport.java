package org.trapline.evidence;

/**
 * What a purge removed: hits touched (rows deleted, or raw bodies dropped for retention) and raw
 * messages erased (fewer when another hit still needs the same message), with its journal entry.
 */
public record PurgeReport(long hits, long rawMessagesErased, long journalId) {
}
