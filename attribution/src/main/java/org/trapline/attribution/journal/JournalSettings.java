package org.trapline.attribution.journal;

import java.time.Duration;
import java.util.Properties;

import org.trapline.common.Settings;

/**
 * Settings of the accounting journal (see {@link AccountingJournal}).
 *
 * @param fsync             force each group commit to the disk (fdatasync) before its answers go out; off,
 *                          a commit survives the process being killed but not a power cut
 * @param segmentBytes      a journal file is closed and a new one begun past this size; applied files are deleted
 * @param applyBatch        most records folded into the session store in one transaction
 * @param maxUnappliedBytes journal not yet in the session store beyond which new commits wait for the applier,
 *                          so that a store that cannot keep up slows the NASes down instead of filling the disk
 * @param freshnessTimeout  how long a lookup waits for records acknowledged before it to reach the store;
 *                          past it the lookup answers from what is there and a warning is logged
 * @param applySharePercent while accounting keeps arriving, the share of its time the applier works (it pauses
 *                          the rest, leaving the processors to the answering path, as FreeRADIUS's detail
 *                          reader does with its load_factor); 100 never pauses
 */
public record JournalSettings(boolean fsync, long segmentBytes, int applyBatch, long maxUnappliedBytes, Duration freshnessTimeout,
                              int applySharePercent) {
    public static final String FSYNC = "attribution.radius.journal.fsync";
    public static final String SEGMENT_MB = "attribution.radius.journal.segment-mb";
    public static final String APPLY_BATCH = "attribution.radius.journal.apply-batch";
    public static final String MAX_UNAPPLIED_MB = "attribution.radius.journal.max-unapplied-mb";
    public static final String FRESHNESS_TIMEOUT = "attribution.radius.journal.freshness-timeout-ms";
    public static final String APPLY_SHARE = "attribution.radius.journal.apply-share-percent";

    public JournalSettings {
        if (segmentBytes < 4096 || applyBatch < 1 || maxUnappliedBytes < 1 || freshnessTimeout.isNegative()
                || applySharePercent < 1 || applySharePercent > 100) {
            throw new IllegalArgumentException("journal settings out of range");
        }
    }

    public static JournalSettings from(Properties p) {
        String fsync = Settings.string(p, FSYNC, "false");
        if (!fsync.equals("true") && !fsync.equals("false")) {
            throw new IllegalArgumentException(FSYNC + "=" + fsync + ": must be true or false");
        }
        return new JournalSettings(Boolean.parseBoolean(fsync), Settings.number(p, SEGMENT_MB, 64, 1, 4096) << 20,
                (int) Settings.number(p, APPLY_BATCH, 20_000, 1, 1_000_000), Settings.number(p, MAX_UNAPPLIED_MB, 256, 1, 1 << 20) << 20,
                Duration.ofMillis(Settings.number(p, FRESHNESS_TIMEOUT, 5000, 0, 600_000)),
                (int) Settings.number(p, APPLY_SHARE, 25, 1, 100));
    }

    /** The defaults (no fsync, 64 MB files, batches of 20,000, 256 MB unapplied at most, 5 s freshness wait, 25 % share). */
    public static JournalSettings defaults() {
        return from(new Properties());
    }
}
