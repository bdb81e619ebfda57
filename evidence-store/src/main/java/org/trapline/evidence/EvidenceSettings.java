package org.trapline.evidence;

import java.time.Duration;
import java.util.Properties;

import org.trapline.common.Settings;

import org.trapline.evidence.mime.MessageReader;

/**
 * The evidence store's settings (the "Evidence" section of conf/trapline.properties).
 *
 * @param rawRetention      age after which raw bodies are purged (hit rows stay); {@link Duration#ZERO} keeps them forever
 * @param refreshInterval   how often new hits become searchable
 * @param commitInterval    how often the index is committed to disk (it is rebuilt from the database after a crash anyway)
 * @param indexRamBufferMb  Lucene's in-memory buffer before it writes a segment
 * @param mimeLimits        caps on decoding one message
 */
public record EvidenceSettings(Duration rawRetention, Duration refreshInterval, Duration commitInterval,
        double indexRamBufferMb, MessageReader.Limits mimeLimits) {

    public static EvidenceSettings defaults() {
        return from(new Properties());
    }

    /**
     * Reads the {@code evidence.*} keys; absent keys take their defaults.
     *
     * @throws IllegalArgumentException naming the key when a value is not a valid number
     */
    public static EvidenceSettings from(Properties p) {
        MessageReader.Limits d = MessageReader.Limits.defaults();
        return new EvidenceSettings(
                Duration.ofDays(number(p, "evidence.retention.raw-days", 0)),
                Duration.ofMillis(number(p, "evidence.index.refresh-ms", 250)),
                Duration.ofSeconds(number(p, "evidence.index.commit-seconds", 5)),
                number(p, "evidence.index.ram-buffer-mb", 64),
                new MessageReader.Limits(
                        (int) number(p, "evidence.mime.max-text-per-part-kb", d.textPerPart() / 1024) * 1024,
                        (int) number(p, "evidence.mime.max-text-per-message-kb", d.textPerMessage() / 1024) * 1024,
                        d.maxDepth(), d.maxParts(), d.maxUrls()));
    }

    private static long number(Properties p, String key, long dflt) {
        return Settings.number(p, key, dflt, 0, Long.MAX_VALUE);
    }
}
