package org.trapline.reports.mime;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Dates as reports write them: RFC 5322 ({@code Thu, 8 Mar 2005 14:00:00 EDT}, with the obsolete
 * US zone names and 2-digit years RFC 5322 section 4.3 allows), SpamCop's and X-ARF's variants of it,
 * and ISO 8601 with an offset (XARF v4). A date without a zone we know gives null: the instant would
 * be a guess, and a guess names the wrong subscriber.
 */
public final class MailDate {
    private static final Map<String, Integer> ZONES = Map.of("UT", 0, "UTC", 0, "GMT", 0, "Z", 0,
            "EST", -5, "EDT", -4, "CST", -6, "CDT", -5, "MST", -7, "MDT", -6);
    private static final Map<String, Integer> MORE_ZONES = Map.of("PST", -8, "PDT", -7);
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final int MAX_LENGTH = 200;

    private MailDate() {
    }

    /** The instant with the offset the text gives, or null when the text is no date with a zone. */
    public static OffsetDateTime parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.isEmpty() || t.length() > MAX_LENGTH) {
            return null;
        }
        if (Character.isDigit(t.charAt(0)) && t.length() > 10 && t.charAt(4) == '-') {
            try {
                return OffsetDateTime.parse(t);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return rfc5322(t);
    }

    private static OffsetDateTime rfc5322(String t) {
        // "Thu, 8 Mar 2005 14:00:00 -0400 (EDT)": drop the comment and the day name
        int paren = t.indexOf('(');
        String s = (paren >= 0 ? t.substring(0, paren) : t).replace(',', ' ').trim();
        String[] w = s.split("\\s+");
        int i = 0;
        if (w.length > 0 && !w[0].isEmpty() && Character.isLetter(w[0].charAt(0)) && month(w[0]) < 0) {
            i = 1;
        }
        // day month year time zone, or month day time year zone (ctime order, seen in SpamCop's lines)
        if (w.length - i < 4) {
            return null;
        }
        Integer day;
        int month;
        Integer year;
        int yearDigits;
        String time;
        String zone;
        if (month(w[i]) >= 0) {
            month = month(w[i]);
            day = number(w[i + 1]);
            if (w.length - i >= 5 && w[i + 2].contains(":")) {
                time = w[i + 2];
                year = number(w[i + 3]);
                yearDigits = w[i + 3].length();
                zone = w[i + 4];
            } else if (w.length - i >= 5) {
                year = number(w[i + 2]);
                yearDigits = w[i + 2].length();
                time = w[i + 3];
                zone = w[i + 4];
            } else {
                return null;
            }
        } else {
            day = number(w[i]);
            month = month(w[i + 1]);
            year = number(w[i + 2]);
            yearDigits = w[i + 2].length();
            time = w[i + 3];
            zone = w.length - i >= 5 ? w[i + 4] : null;
        }
        if (day == null || month < 0 || year == null || zone == null) {
            return null;
        }
        if (yearDigits <= 2 && year < 50) {
            year += 2000; // RFC 5322 4.3: two digits below 50 are 20xx
        } else if (year < 1000) {
            year += 1900;
        }
        ZoneOffset offset = offset(zone);
        String[] hms = time.split(":");
        if (offset == null || hms.length < 2 || hms.length > 3) {
            return null;
        }
        Integer h = number(hms[0]);
        Integer m = number(hms[1]);
        Integer sec = hms.length == 3 ? number(hms[2]) : Integer.valueOf(0);
        if (h == null || m == null || sec == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(LocalDateTime.of(year, month + 1, day, h, m, Math.min(sec, 59)), offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String zone) {
        String z = zone.toUpperCase(Locale.ROOT);
        if ((z.startsWith("+") || z.startsWith("-")) && z.length() == 5) {
            Integer hh = number(z.substring(1, 3));
            Integer mm = number(z.substring(3, 5));
            if (hh == null || mm == null || hh > 18 || mm > 59) {
                return null;
            }
            int seconds = (hh * 3600 + mm * 60) * (z.charAt(0) == '-' ? -1 : 1);
            return ZoneOffset.ofTotalSeconds(seconds);
        }
        Integer hours = ZONES.containsKey(z) ? ZONES.get(z) : MORE_ZONES.get(z);
        return hours == null ? null : ZoneOffset.ofHours(hours);
    }

    private static int month(String w) {
        if (w.length() < 3) {
            return -1;
        }
        String m = w.substring(0, 3).toLowerCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(m)) {
                return i;
            }
        }
        return -1;
    }

    private static Integer number(String w) {
        if (w.isEmpty() || w.length() > 4) {
            return null;
        }
        for (int i = 0; i < w.length(); i++) {
            if (!Character.isDigit(w.charAt(i)) || w.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.parseInt(w);
    }
}
