package org.trapline.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hit acknowledged by record() survives the process being killed with SIGKILL, and replaying
 * every intake afterwards creates nothing twice.
 */
class KillDashNineTest {
    @TempDir
    Path data;

    /** The child process: records hits as fast as it can and says which ones record() returned for. */
    public static final class RecordLoop {
        public static void main(String[] args) {
            try (EvidenceStore store = EvidenceStore.open(Path.of(args[0]), Clock.systemUTC())) {
                for (int i = 0; ; i++) {
                    store.record(hit(i), message(i));
                    System.out.println("ACK " + i);
                    System.out.flush();
                }
            }
        }
    }

    static TrapHit hit(int i) {
        return TrapHit.of("kill-" + i, Instant.parse("2026-11-20T00:00:00Z").plusSeconds(i), "s@spam.example",
                List.of("t@trap.example.net")).withAttribution("MATCHED", "victim", "S", "10.0.0.1");
    }

    static byte[] message(int i) {
        return ("Subject: kill test " + i + "\r\n\r\nbody number " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void acknowledgedHitsSurviveSigkillAndReplayIsExactlyOnce() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RecordLoop.class.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Integer> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (acked.size() < 150 && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(Integer.parseInt(line.substring(4)));
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).hasSize(150);

        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            for (int i : acked) {
                StoredHit s = store.findByIntakeKey("kill-" + i).orElseThrow(() -> new AssertionError("acknowledged hit lost"));
                assertThat(store.raw(s.id())).hasValue(message(i));
            }
            long before = store.count();
            assertThat(before).isGreaterThanOrEqualTo(acked.size());
            // The spool replays everything it still holds, acknowledged or not: only unacknowledged ones may be new.
            int replayed = 0;
            for (int i = 0; i < before + 5; i++) {
                RecordResult r = store.record(hit(i), message(i));
                if (acked.contains(i)) {
                    assertThat(r.isNew()).isFalse();
                }
                replayed++;
            }
            assertThat(store.count()).isEqualTo(before + 5);
            store.refreshIndex();
            assertThat(store.search("subscriber:victim", 1, 0).total()).isEqualTo(replayed);
        }
    }
}
