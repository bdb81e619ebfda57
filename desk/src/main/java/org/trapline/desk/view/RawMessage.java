package org.trapline.desk.view;

import java.time.Instant;

/**
 * A hit's message byte for byte, as our MX accepted it: what an .eml download or an export writes.
 * Not a JSON view: the bytes are the evidence, and the SHA-256 names them.
 *
 * @param bytes    the raw message, or null once retention purged it
 * @param purgedAt when retention purged it, or null while it is kept
 */
public record RawMessage(long hitId, String sha256, byte[] bytes, Instant purgedAt) {
    public boolean purged() {
        return bytes == null;
    }
}
