package org.trapline.origin;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the date in a Received header's text: RFC 5322 dates ({@code Tue, 3 Feb 2004 11:14:06 -0500
 * (EST)}), two-digit years, zone names and asctime-style dates ({@code Sun Nov 13 14:50:12 2005
 * -0800}). A date without a zone names no instant, so it gives null, as does garbage: the caller must
 * never see "now" in place of a missing date.
 */
final class ReceivedDate {

    private static final int MAX_TOKENS = 400;

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul",
            "aug", "sep", "oct", "nov", "dec");

    /** Zone names with one meaning; ambiguous ones (IST, BST, CST-as-China) are absent on purpose. */
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("UT", 0), Map.entry("UTC", 0), Map.entry("GMT", 0), Map.entry("Z", 0),
            Map.entry("WET", 0), Map.entry("WEST", 60), Map.entry("CET", 60), Map.entry("MET", 60),
            Map.entry("CEST", 120), Map.entry("MEST", 120), Map.entry("MESZ", 120), Map.entry("MEZ", 60),
            Map.entry("EET", 120), Map.entry("EEST", 180), Map.entry("MSK", 180),
            Map.entry("EST", -300), Map.entry("EDT", -240), Map.entry("CST", -360), Map.entry("CDT", -300),
            Map.entry("MST", -420), Map.entry("MDT", -360), Map.entry("PST", -480), Map.entry("PDT", -420),
            Map.entry("AKST", -540), Map.entry("AKDT", -480), Map.entry("HST", -600),
            Map.entry("JST", 540), Map.entry("KST", 540), Map.entry("HKT", 480), Map.entry("SGT", 480),
            Map.entry("AEST", 600), Map.entry("AEDT", 660), Map.entry("NZST", 720), Map.entry("NZDT", 780));

    private ReceivedDate() {
    }

    /** The first date found in the text, or null. */
    static OffsetDateTime find(String text) {
        List<String> t = tokens(text);
        for (int i = 0; i < t.size(); i++) {
            int month = month(t.get(i));
            if (month < 0) {
                continue;
            }
            OffsetDateTime d = i > 0 ? rfc5322(t, i - 1, month) : null;
            if (d == null) {
                d = asctime(t, i, month);
            }
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n && out.size() < MAX_TOKENS) {
            char c = text.charAt(i);
            if (c == ' ' || c == ',' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && " ,\t".indexOf(text.charAt(i)) < 0) {
                i++;
            }
            out.add(text.substring(start, i));
        }
        return out;
    }

    private static int month(String token) {
        if (token.length() < 3 || token.length() > 9) {
            return -1;
        }
        int m = MONTHS.indexOf(token.substring(0, 3).toLowerCase(Locale.ROOT));
        return m < 0 ? -1 : m + 1;
    }

    /** day month year time [zone] */
    private static OffsetDateTime rfc5322(List<String> t, int dayAt, int month) {
        int day = number(t.get(dayAt), 1, 2);
        if (day < 0 || dayAt + 3 > t.size()) {
            return null;
        }
        String yearText = t.get(dayAt + 2);
        int year = year(yearText);
        if (year < 0 || dayAt + 3 >= t.size()) {
            return null;
        }
        String time = t.get(dayAt + 3);
        String zone = dayAt + 4 < t.size() ? t.get(dayAt + 4) : "";
        return assemble(year, month, day, time, zone);
    }

    /** [weekday] month day time year [zone] */
    private static OffsetDateTime asctime(List<String> t, int monthAt, int month) {
        if (monthAt + 3 >= t.size()) {
            return null;
        }
        int day = number(t.get(monthAt + 1), 1, 2);
        int year = year(t.get(monthAt + 3));
        if (day < 0 || year < 0 || t.get(monthAt + 3).length() != 4) {
            return null;
        }
        String zone = monthAt + 4 < t.size() ? t.get(monthAt + 4) : "";
        return assemble(year, month, day, t.get(monthAt + 2), zone);
    }

    private static OffsetDateTime assemble(int year, int month, int day, String time, String zone) {
        // "17:40:44-0500": zone glued to the time
        int glued = Math.max(time.indexOf('+'), time.indexOf('-'));
        if (glued > 0) {
            zone = time.substring(glued);
            time = time.substring(0, glued);
        }
        String[] hms = time.split(":", -1);
        if (hms.length < 2 || hms.length > 3) {
            return null;
        }
        int hour = number(hms[0], 1, 2);
        int minute = number(hms[1], 2, 2);
        int second = 0;
        if (hms.length == 3) {
            String s = hms[2];
            int dot = s.indexOf('.');
            if (dot >= 0) {
                s = s.substring(0, dot); // fractional seconds carry nothing we need
            }
            second = number(s, 2, 2);
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return null;
        }
        ZoneOffset offset = offset(zone);
        if (offset == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, Math.min(second, 59), 0, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String zone) {
        String z = zone;
        if (z.startsWith("(") && z.endsWith(")")) {
            z = z.substring(1, z.length() - 1);
        }
        if (z.isEmpty()) {
            return null;
        }
        char sign = z.charAt(0);
        if (sign == '+' || sign == '-') {
            String digits = z.substring(1).replace(":", "");
            if (digits.length() != 4 || !digits.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int h = Integer.parseInt(digits.substring(0, 2));
            int m = Integer.parseInt(digits.substring(2));
            if (h > 18 || m > 59 || h * 60 + m > 18 * 60) {
                return null;
            }
            int total = (h * 3600 + m * 60) * (sign == '-' ? -1 : 1);
            return ZoneOffset.ofTotalSeconds(total);
        }
        Integer minutes = ZONES.get(z.toUpperCase(Locale.ROOT));
        return minutes == null ? null : ZoneOffset.ofTotalSeconds(minutes * 60);
    }

    private static int year(String text) {
        int y = number(text, 2, 4);
        if (y < 0) {
            return -1;
        }
        if (text.length() == 2) {
            return y < 50 ? 2000 + y : 1900 + y; // RFC 5322 section 4.3
        }
        if (text.length() == 3) {
            return 1900 + y;
        }
        return y >= 1970 && y <= 2200 ? y : -1;
    }

    private static int number(String text, int minDigits, int maxDigits) {
        if (text.length() < minDigits || text.length() > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
