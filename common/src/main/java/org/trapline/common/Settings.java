package org.trapline.common;

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
        String expected = key + " must be a whole number" + (min == Long.MIN_VALUE && max == Long.MAX_VALUE ? ""
                : max == Long.MAX_VALUE ? " >= " + min : " from " + min + " to " + max) + ", not '" + v + "'";
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected, e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(expected);
        }
        return n;
    }

    /** A whole number that fits an int; its range is checked by whoever uses it. */
    public static int integer(Properties p, String key, int fallback) {
        long n = number(p, key, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
        if (n != (int) n) {
            throw new IllegalArgumentException(key + " is too large: " + n);
        }
        return (int) n;
    }

    /** A whole number that fits an int, within [min, max]. */
    public static int integer(Properties p, String key, int fallback, int min, int max) {
        return (int) number(p, key, fallback, min, max);
    }

    public static double decimal(Properties p, String key, double fallback) {
        String v = string(p, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v, e);
        }
    }

    /** An ISO-8601 duration such as PT30M. */
    public static Duration duration(Properties p, String key, Duration fallback) {
        String v = string(p, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " is not an ISO-8601 duration (e.g. PT30M): " + v, e);
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
