package org.trapline.evidence;

/**
 * The evidence store could not do what was asked (disk full, read-only data directory, database
 * unavailable, ...). From {@link EvidenceStore#record} it means nothing was acknowledged as stored:
 * the SMTP side must answer with a temporary failure (451) so the sender retries.
 */
public class EvidenceException extends RuntimeException {
    public EvidenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public EvidenceException(String message) {
        super(message);
    }
}
