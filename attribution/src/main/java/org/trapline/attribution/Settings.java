package org.trapline.attribution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Reads Trapline's properties with errors that name the key and what to fix. Relative paths resolve
 * against {@value #CONF_DIR_KEY} when the caller put the conf directory there, else the working directory.
 */
public final class Settings {
    /** Optional property holding the conf directory, for resolving relative paths. */
    public static final String CONF_DIR_KEY = "trapline.conf.dir";

    private Settings() {
    }

    public static String string(Properties p, String key, String fallback) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public static List<String> list(Properties p, String key) {
        String v = string(p, key, "");
        return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public static long number(Properties p, String key, long fallback, long min, long max) {
        String v = string(p, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + "=" + v + ": must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": not a whole number");
        }
    }

    public static Duration seconds(Properties p, String key, long fallback) {
        return Duration.ofSeconds(number(p, key, fallback, 0, 365L * 24 * 3600));
    }

    /** A path setting, or null when empty. */
    public static Path path(Properties p, String key) {
        String v = string(p, key, null);
        if (v == null) {
            return null;
        }
        Path path = Path.of(v);
        String conf = p.getProperty(CONF_DIR_KEY);
        return path.isAbsolute() || conf == null ? path : Path.of(conf).resolve(path);
    }
}
