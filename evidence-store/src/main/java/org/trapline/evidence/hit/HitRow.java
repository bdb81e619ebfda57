package org.trapline.evidence.hit;

import org.trapline.evidence.TrapHit;

/**
 * A hit ready to be inserted: the intake data plus what the store derived from the raw bytes.
 */
public record HitRow(TrapHit hit, String sha256, long size, String subject, String messageId) {
}
