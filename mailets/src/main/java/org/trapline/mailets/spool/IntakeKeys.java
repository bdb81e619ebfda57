package org.trapline.mailets.spool;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import org.apache.mailet.Mail;
import org.trapline.mailets.MailAttributes;

/** Reads the intake key and acceptance time that {@link SpoolHook} (or the replay at start) put on a mail. */
public final class IntakeKeys {
    /** Nanoseconds per unit of a fraction of 0 to 9 digits. */
    private static final int[] NANO_SCALE = {1, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private IntakeKeys() {
    }

    public static Optional<String> of(Mail mail) {
        return MailAttributes.string(mail, SpoolHook.INTAKE_KEY);
    }

    /** The hit id reserved for the mail at intake; 0 when its spool record predates reserved ids. */
    public static long reservedHitId(Mail mail) {
        return MailAttributes.string(mail, SpoolHook.RESERVED_HIT_ID).map(Long::parseLong).orElse(0L);
    }

    /** When our MX accepted the mail (the 250), as recorded in the spool. */
    public static Optional<Instant> receivedAt(Mail mail) {
        return MailAttributes.string(mail, SpoolHook.RECEIVED_AT).map(IntakeKeys::parseInstant);
    }

    /**
     * {@link Instant#parse}, with a fast path for the one form {@link Instant#toString} writes
     * ({@code 2026-11-25T10:15:30.123456789Z}, UTC, 0 to 9 fraction digits): the time of every hit is read once
     * when its trap case is opened and again for every record a replay lists, and the general formatter was
     * a visible share of the pipeline's CPU. Anything else takes the general parser, with its errors.
     */
    static Instant parseInstant(String s) {
        int n = s.length();
        if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z' && (n == 20 || (n > 21 && s.charAt(19) == '.'))) {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 7);
            int day = digits(s, 8, 10);
            int hour = digits(s, 11, 13);
            int minute = digits(s, 14, 16);
            int second = digits(s, 17, 19);
            int fraction = n == 20 ? 0 : digits(s, 20, n - 1);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
                    && fraction >= 0) {
                // Days past 28 and leap seconds are left to the general parser's calendar checks.
                long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
                // "…:05.1Z" is 100,000,000 ns: scale the fraction up to nine digits.
                int nanos = fraction * NANO_SCALE[n == 20 ? 0 : n - 21];
                return Instant.ofEpochSecond(epochSecond, nanos);
            }
        }
        return Instant.parse(s);
    }

    /** The decimal number in {@code s[from, to)}, or -1 when it is not all ASCII digits. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
