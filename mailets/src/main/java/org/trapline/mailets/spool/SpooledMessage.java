package org.trapline.mailets.spool;

import java.util.Objects;

/**
 * A message that was made durable before our MX answered 250.
 *
 * @param intakeKey hex SHA-256 over envelope and raw bytes: the identity that makes a replay harmless
 * @param envelope  the SMTP envelope and connection
 * @param raw       the message bytes exactly as received, our own Received header included
 */
public record SpooledMessage(String intakeKey, Envelope envelope, byte[] raw) {
    public SpooledMessage {
        Objects.requireNonNull(intakeKey, "intakeKey");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(raw, "raw");
    }
}
