package org.trapline.evidence;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Two trap hits of subscriber alice, in two sessions on two days, as the command tests of this and
 * other modules (the desk's) record them: the first with an origin hop, a trace, a hostile subject and
 * mbox-hostile "From " lines; the second from the null sender.
 */
public final class TwoHitsOfAlice {
    public static final byte[] FIRST = ("From someone Sat Jan  1 00:00:00 2000\r\nFrom: Spammer <s@spam.example>\r\n"
            + "Subject: Cheap \u001b[31mred\u001b[0m pills\r\n\r\n"
            + "Buy pills at http://pills.example/\r\nFrom here on it is body text\r\n>From quoted already\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    public static final byte[] SECOND = "Subject: Second\r\n\r\nanother message".getBytes(StandardCharsets.US_ASCII);

    private TwoHitsOfAlice() {
    }

    /** Records both into the evidence store under {@code data}; returns their hit ids, first and second. */
    public static long[] record(Path data) {
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            long first = store.record(TrapHit.of("i1", Instant.parse("2026-11-20T03:12:00Z"), "s@spam.example", List.of("a@trap.example.net"))
                    .withOrigin("198.51.100.7", null, null).withAttribution("MATCHED", "alice", "S-1", "10.0.0.1")
                    .withTrace("{\"origin\":{\"ip\":\"198.51.100.7\"}}"), FIRST).hitId();
            long second = store.record(TrapHit.of("i2", Instant.parse("2026-11-21T04:00:00Z"), "", List.of("b@trap.example.net"))
                    .withAttribution("MATCHED", "alice", "S-2", "10.0.0.1"), SECOND).hitId();
            return new long[] {first, second};
        }
    }
}
