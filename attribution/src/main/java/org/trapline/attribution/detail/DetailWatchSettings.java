package org.trapline.attribution.detail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.trapline.common.Settings;

/**
 * Which directory of FreeRADIUS detail files to follow.
 *
 * @param directory the directory (searched recursively for files named {@code detail*}), or null for none
 * @param poll      how often it is checked
 */
public record DetailWatchSettings(Path directory, Duration poll) {
    public static final String WATCH_DIR = "attribution.detail.watch-dir";
    public static final String POLL_MILLIS = "attribution.detail.poll-millis";

    public static DetailWatchSettings from(Properties p) {
        return new DetailWatchSettings(Settings.path(p, WATCH_DIR), Duration.ofMillis(Settings.number(p, POLL_MILLIS, 1000, 10, 3_600_000)));
    }

    public boolean enabled() {
        return directory != null;
    }
}
