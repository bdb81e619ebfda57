package org.trapline.attribution.detail;

import java.util.Properties;

import org.trapline.common.Settings;
import org.trapline.attribution.session.SessionBulkLoad;

/**
 * How detail files are imported.
 *
 * @param bulkMinBytes   reading at least this many bytes at once goes through a bulk load (sessions folded
 *                       in memory, written in large transactions) instead of batches applied as they come
 * @param bulkLimits     what a bulk load keeps in memory
 */
public record DetailImportSettings(long bulkMinBytes, SessionBulkLoad.Limits bulkLimits) {
    public static final String BULK_MIN_BYTES = "attribution.detail.bulk-min-bytes";
    public static final String BULK_OPEN_SESSIONS = "attribution.detail.bulk-open-sessions";
    public static final String BULK_WRITE_ROWS = "attribution.detail.bulk-write-rows";

    /** The shipped defaults (see conf/trapline.properties for why). */
    public static DetailImportSettings defaults() {
        return from(new Properties());
    }

    public static DetailImportSettings from(Properties p) {
        return new DetailImportSettings(Settings.number(p, BULK_MIN_BYTES, 16L << 20, 0, Long.MAX_VALUE),
                new SessionBulkLoad.Limits((int) Settings.number(p, BULK_OPEN_SESSIONS, 200_000, 1, 50_000_000),
                        (int) Settings.number(p, BULK_WRITE_ROWS, 500, 1, 1_000_000)));
    }
}
