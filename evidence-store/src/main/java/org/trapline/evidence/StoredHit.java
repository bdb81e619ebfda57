package org.trapline.evidence;

import java.time.Instant;

/**
 * A trap hit as kept in the store: what the MX reported plus what the store derived from the bytes.
 *
 * @param id          hit id
 * @param hit         the intake data as recorded
 * @param sha256      SHA-256 of the raw message (hex), the name of its raw file
 * @param size        raw message size in bytes
 * @param subject     decoded Subject header (truncated), or null
 * @param messageId   Message-ID header (truncated), or null
 * @param recordedAt  when the store wrote this hit
 * @param rawPurgedAt when retention removed the raw body, or null while it is kept
 */
public record StoredHit(
        long id,
        TrapHit hit,
        String sha256,
        long size,
        String subject,
        String messageId,
        Instant recordedAt,
        Instant rawPurgedAt) {

    /** Whether the raw message is still kept (retention has not purged it). */
    public boolean hasRaw() {
        return rawPurgedAt == null;
    }
}
