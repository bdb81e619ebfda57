package org.trapline.evidence.hit;

import org.trapline.evidence.TrapHit;
import org.trapline.evidence.raw.RawLocation;

/**
 * A hit ready to be inserted: the intake data plus what the store derived from the raw bytes, and
 * where those bytes are kept.
 */
public record HitRow(TrapHit hit, String sha256, RawLocation raw, long size, String subject, String messageId) {
}
