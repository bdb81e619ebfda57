package org.trapline.attribution.detail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** How FreeRADIUS 3 writes values in detail files, read back. */
final class DetailValues {
    private DetailValues() {
    }

    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter EVENT_TIME_ZONE_NAME = DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss z", Locale.ENGLISH);
    private static final DateTimeFormatter HEADER = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);

    /**
     * Abbreviations strftime's %Z writes, as fixed offsets: an abbreviation names the offset in force,
     * so "CET" is +01:00 even for a date in summer. Others fall back to Java's zone-name parser.
     */
    private static final Map<String, ZoneOffset> ABBREVIATIONS = Map.ofEntries(
            Map.entry("UTC", ZoneOffset.UTC), Map.entry("GMT", ZoneOffset.UTC), Map.entry("UT", ZoneOffset.UTC),
            Map.entry("Z", ZoneOffset.UTC), Map.entry("WET", ZoneOffset.ofHours(0)), Map.entry("WEST", ZoneOffset.ofHours(1)),
            Map.entry("BST", ZoneOffset.ofHours(1)), Map.entry("CET", ZoneOffset.ofHours(1)), Map.entry("CEST", ZoneOffset.ofHours(2)),
            Map.entry("MET", ZoneOffset.ofHours(1)), Map.entry("MEST", ZoneOffset.ofHours(2)),
            Map.entry("EET", ZoneOffset.ofHours(2)), Map.entry("EEST", ZoneOffset.ofHours(3)), Map.entry("MSK", ZoneOffset.ofHours(3)),
            Map.entry("EST", ZoneOffset.ofHours(-5)), Map.entry("EDT", ZoneOffset.ofHours(-4)),
            Map.entry("CST", ZoneOffset.ofHours(-6)), Map.entry("CDT", ZoneOffset.ofHours(-5)),
            Map.entry("MST", ZoneOffset.ofHours(-7)), Map.entry("MDT", ZoneOffset.ofHours(-6)),
            Map.entry("PST", ZoneOffset.ofHours(-8)), Map.entry("PDT", ZoneOffset.ofHours(-7)),
            Map.entry("AKST", ZoneOffset.ofHours(-9)), Map.entry("AKDT", ZoneOffset.ofHours(-8)),
            Map.entry("HST", ZoneOffset.ofHours(-10)), Map.entry("JST", ZoneOffset.ofHours(9)),
            Map.entry("KST", ZoneOffset.ofHours(9)), Map.entry("HKT", ZoneOffset.ofHours(8)),
            Map.entry("SGT", ZoneOffset.ofHours(8)), Map.entry("AWST", ZoneOffset.ofHours(8)),
            Map.entry("AEST", ZoneOffset.ofHours(10)), Map.entry("AEDT", ZoneOffset.ofHours(11)),
            Map.entry("ACST", ZoneOffset.ofHoursMinutes(9, 30)), Map.entry("ACDT", ZoneOffset.ofHoursMinutes(10, 30)),
            Map.entry("NZST", ZoneOffset.ofHours(12)), Map.entry("NZDT", ZoneOffset.ofHours(13)),
            Map.entry("SAST", ZoneOffset.ofHours(2)), Map.entry("WIB", ZoneOffset.ofHours(7)));

    /**
     * A value as written: a quoted string with FreeRADIUS escapes ({@code \"}, {@code \\}, {@code \n},
     * {@code \r}, {@code \t}, {@code \NNN} octal bytes), or the bare text.
     *
     * @throws IllegalArgumentException for an unterminated quoted string
     */
    static String unquote(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '"') {
            return raw;
        }
        if (raw.length() < 2 || raw.charAt(raw.length() - 1) != '"' || isEscaped(raw, raw.length() - 1)) {
            throw new IllegalArgumentException("unterminated string " + raw);
        }
        String body = raw.substring(1, raw.length() - 1);
        if (body.indexOf('\\') < 0) {
            return body;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != '\\' || i + 1 >= bytes.length) {
                out.write(b);
                continue;
            }
            byte n = bytes[++i];
            switch (n) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                default -> {
                    if (n >= '0' && n <= '7' && i + 2 < bytes.length && isOctal(bytes[i + 1]) && isOctal(bytes[i + 2])) {
                        out.write(((n - '0') << 6) | ((bytes[i + 1] - '0') << 3) | (bytes[i + 2] - '0'));
                        i += 2;
                    } else {
                        out.write(n);
                    }
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isEscaped(String s, int index) {
        int backslashes = 0;
        for (int i = index - 1; i > 0 && s.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    /**
     * Event-Timestamp as FreeRADIUS writes it ({@code "Nov 23 2025 12:13:20 CET"}: the server's local
     * time with its zone abbreviation) or as a number of seconds since the epoch.
     */
    static Instant eventTimestamp(String value) {
        Instant fast = eventTimestampFast(value);
        if (fast != null) {
            return fast;
        }
        String v = value.trim().replaceAll("\\s+", " ");
        if (v.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(v));
        }
        int space = v.lastIndexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("Event-Timestamp '" + value + "' is not a date");
        }
        String zone = v.substring(space + 1);
        String local = v.substring(0, space);
        try {
            ZoneOffset offset = ABBREVIATIONS.get(zone.toUpperCase(Locale.ROOT));
            if (offset != null) {
                return LocalDateTime.parse(local, EVENT_TIME).toInstant(offset);
            }
            if (zone.matches("[+-]\\d{4}")) {
                return LocalDateTime.parse(local, EVENT_TIME).toInstant(ZoneOffset.of(zone));
            }
            return ZonedDateTime.parse(v, EVENT_TIME_ZONE_NAME).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Event-Timestamp '" + value + "': unknown date or zone (" + e.getMessage() + ")");
        }
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * The common shape {@code "Nov 23 2025 12:13:20 UTC"} read without the formatter machinery (an import
     * reads millions of them); null for anything else, which the general path then reads or rejects.
     */
    private static Instant eventTimestampFast(String v) {
        String[] f = new String[5];
        int n = 0, i = 0, len = v.length();
        while (i < len) {
            while (i < len && v.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < len && v.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                if (n == 5) {
                    return null;
                }
                f[n++] = v.substring(start, i);
            }
        }
        if (n != 5 || f[0].length() != 3 || f[3].length() != 8 || f[3].charAt(2) != ':' || f[3].charAt(5) != ':') {
            return null;
        }
        int month = MONTHS.indexOf(f[0]);
        ZoneOffset offset = ABBREVIATIONS.get(f[4]);
        if (month < 0 || month % 3 != 0 || offset == null) {
            return null;
        }
        try {
            int day = Integer.parseInt(f[1]);
            int year = Integer.parseInt(f[2]);
            int h = Integer.parseInt(f[3], 0, 2, 10);
            int m = Integer.parseInt(f[3], 3, 5, 10);
            int s = Integer.parseInt(f[3], 6, 8, 10);
            return LocalDateTime.of(year, month / 3 + 1, day, h, m, s).toInstant(offset);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    /**
     * The common Event-Timestamp shape ({@code "Nov 23 2025 12:13:20 UTC"}, quoted or bare) read from the
     * bytes of a detail line, remembering the last zone and day seen (a file has one zone, and many
     * records a day). One per reader: not thread-safe.
     */
    static final class EventTimes {
        private byte[] zone = new byte[0];
        private ZoneOffset offset;
        private int year, month, day;
        private long epochDay;

        /**
         * The instant, or null when the value is not in exactly that shape (month name, day, four-digit
         * year, time, a zone abbreviation of {@link #ABBREVIATIONS}, single or repeated spaces, no
         * escapes); {@link #eventTimestamp(String)} then reads or refuses it as usual, with the same
         * result for every value read here.
         */
        Instant parse(byte[] b, int from, int to) {
            if (to - from >= 2 && b[from] == '"' && b[to - 1] == '"') {
                from++;
                to--;
            }
            int i = skipSpaces(b, from, to);
            if (to - i < 3) {
                return null;
            }
            int m = month(b[i], b[i + 1], b[i + 2]);
            i += 3;
            if (m == 0 || i >= to || b[i] != ' ') {
                return null;
            }
            i = skipSpaces(b, i, to);
            int d = 0, digits = 0;
            for (; i < to && b[i] != ' '; i++, digits++) {
                if (b[i] < '0' || b[i] > '9') {
                    return null;
                }
                d = d * 10 + b[i] - '0';
            }
            if (digits < 1 || digits > 2) {
                return null;
            }
            i = skipSpaces(b, i, to);
            if (to - i < 4 + 1 + 8 + 1) {
                return null;
            }
            int y = digits(b, i, 4);
            i += 4;
            if (y < 0 || b[i] != ' ') {
                return null;
            }
            i = skipSpaces(b, i, to);
            if (to - i < 8 + 2 || b[i + 2] != ':' || b[i + 5] != ':') {
                return null;
            }
            int h = digits(b, i, 2), min = digits(b, i + 3, 2), s = digits(b, i + 6, 2);
            i += 8;
            if (h < 0 || h > 23 || min < 0 || min > 59 || s < 0 || s > 59 || b[i] != ' ') {
                return null;
            }
            int zs = skipSpaces(b, i, to);
            int ze = zs;
            while (ze < to && b[ze] != ' ') {
                ze++;
            }
            if (zs == ze || skipSpaces(b, ze, to) != to) {
                return null;
            }
            if (!Arrays.equals(zone, 0, zone.length, b, zs, ze)) {
                ZoneOffset o = ABBREVIATIONS.get(new String(b, zs, ze - zs, StandardCharsets.ISO_8859_1));
                if (o == null) {
                    return null;
                }
                zone = Arrays.copyOfRange(b, zs, ze);
                offset = o;
            }
            if (y != year || m != month || d != day) {
                try {
                    epochDay = LocalDate.of(y, m, d).toEpochDay();
                } catch (DateTimeException e) {
                    return null;
                }
                year = y;
                month = m;
                day = d;
            }
            return Instant.ofEpochSecond(epochDay * 86_400 + h * 3600 + min * 60 + s - offset.getTotalSeconds());
        }

        private static int skipSpaces(byte[] b, int i, int to) {
            while (i < to && b[i] == ' ') {
                i++;
            }
            return i;
        }

        /** {@code n} decimal digits at {@code b[i]} as a number, or -1. */
        private static int digits(byte[] b, int i, int n) {
            int v = 0;
            for (int k = i; k < i + n; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    return -1;
                }
                v = v * 10 + b[k] - '0';
            }
            return v;
        }

        /** 1 to 12 for an English month abbreviation as strftime writes it ("Nov"), else 0. */
        private static int month(byte a, byte b, byte c) {
            for (int k = 0; k < MONTHS.length(); k += 3) {
                if (MONTHS.charAt(k) == a && MONTHS.charAt(k + 1) == b && MONTHS.charAt(k + 2) == c) {
                    return k / 3 + 1;
                }
            }
            return 0;
        }
    }

    /** The ctime line heading a record, in the FreeRADIUS server's local zone. */
    static Instant header(String line, ZoneId zone) {
        try {
            return LocalDateTime.parse(line.trim().replaceAll("\\s+", " "), HEADER).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("record header '" + line + "' is not a date");
        }
    }
}
