package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IntakeKeysTest {
    @Test
    void readsEveryInstantItsOwnToStringWroteExactlyAsInstantParseDoes() {
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 1 to 9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertThat(IntakeKeys.parseInstant(t.toString())).as(t.toString()).isEqualTo(t);
        }
    }

    @Test
    void anyOtherTextIsReadOrRefusedExactlyAsInstantParseDoes() {
        for (String text : new String[] {"2024-02-29T23:59:59.5Z", "2026-11-25T10:15:30+01:00", "2026-02-30T10:15:30Z",
                "2026-13-01T10:15:30Z", "2026-11-25T24:00:00Z", "2026-11-25T1a:00:00Z", "2026-11-25T10:00:00.Z",
                "2026-11-25T10:00:60Z", "2026-11-31T10:00:00Z", "+12026-11-25T10:00:00Z", "2026-11-25T10:00:00.1234567890Z",
                "2026-11-25 10:00:00Z", "", "Z"}) {
            Object expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                expected = DateTimeParseException.class;
            }
            Object actual;
            try {
                actual = IntakeKeys.parseInstant(text);
            } catch (DateTimeParseException e) {
                actual = DateTimeParseException.class;
            }
            assertThat(actual).as(text).isEqualTo(expected);
        }
    }
}
