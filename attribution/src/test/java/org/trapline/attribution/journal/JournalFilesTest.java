package org.trapline.attribution.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.AccountingStatus;

class JournalFilesTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:15:30.123456Z");
    private static final String FILE = "00000000000000000000.acct";

    @TempDir
    Path dir;

    /** The records the fixture's writer (main before the segment log, 754f9bf) journaled, in two appends. */
    private static final List<AccountingEvent> WRITTEN = List.of(
            new AccountingEvent(AccountingStatus.START, AT, AT, "192.0.2.1", "sess-1", "alice", "100.64.0.1", null, null,
                    null, "00-11-22", null, "port 1", null, null, null, null, null, null),
            new AccountingEvent(AccountingStatus.INTERIM_UPDATE, AT.plusSeconds(60), AT.plusSeconds(60), "192.0.2.1", "sess-1",
                    "alice", "100.64.0.1", null, "2001:db8:1::/64", null, null, null, null, null, 60L, 1000L, 2000L, null, null),
            new AccountingEvent(AccountingStatus.STOP, AT.plusSeconds(120), AT.plusSeconds(121), "192.0.2.1", "sess-1", "alice",
                    "100.64.0.1", null, null, null, null, null, null, null, 120L, 5000L, 7000L, "User-Request", null));

    @Test
    void aJournalWrittenByTheVersionBeforeReadsAfterTheUpgradeAndGrowsOn() throws Exception {
        try (InputStream in = JournalFilesTest.class.getResourceAsStream("/legacy-journal/" + FILE)) {
            Files.copy(in, dir.resolve(FILE));
        }
        long size = Files.size(dir.resolve(FILE));
        try (JournalFiles files = JournalFiles.open(dir, 1 << 20, true, 0)) {
            assertThat(files.end()).as("nothing cut off").isEqualTo(size);
            List<JournalFiles.Entry> entries = files.read(0, files.end(), 100, JournalFiles.readBuffer());
            assertThat(entries).extracting(JournalFiles.Entry::problem).containsOnlyNulls();
            assertThat(entries).extracting(JournalFiles.Entry::event).containsExactlyElementsOf(WRITTEN);
            assertThat(entries.get(2).end()).isEqualTo(size);

            JournalCodec.Frames frames = new JournalCodec.Frames();
            frames.add(WRITTEN.get(0));
            files.append(frames);
        }
        try (JournalFiles files = JournalFiles.open(dir, 1 << 20, true, 0)) {
            List<JournalFiles.Entry> entries = files.read(0, files.end(), 100, JournalFiles.readBuffer());
            assertThat(entries).hasSize(4).last().extracting(JournalFiles.Entry::event).isEqualTo(WRITTEN.get(0));
            assertThat(files.read(entries.get(0).end(), files.end(), 1, JournalFiles.readBuffer()))
                    .as("a read from a record's end, one at a time").extracting(JournalFiles.Entry::event).containsExactly(WRITTEN.get(1));
        }
    }
}
