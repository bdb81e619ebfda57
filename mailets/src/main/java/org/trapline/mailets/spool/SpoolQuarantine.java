package org.trapline.mailets.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.trapline.common.log.FileIo;

/**
 * Where the spool keeps what it must not replay and must not lose, for staff: under {@code quarantine/},
 * {@code <key>.spool} (a record's payload: envelope and bytes) for a message the pipeline could not handle,
 * {@code <seq>-at-<offset>.damaged} for journal bytes that do not read as records, each with a
 * {@code .reason} file beside it. Everything here is forced to disk, names included, before the spool lets
 * go of what it copies.
 */
final class SpoolQuarantine {
    private final Path dir;
    private final Clock clock;

    SpoolQuarantine(Path spoolDir, Clock clock) {
        this.dir = spoolDir.resolve("quarantine");
        this.clock = clock;
    }

    void create() throws IOException {
        Files.createDirectories(dir);
    }

    /** Keeps a pending message's payload with the reason it left the replay path. */
    void keepMessage(String intakeKey, byte[] payload, String reason) throws IOException {
        keep(SpoolRecord.checkKey(intakeKey), ".spool", payload, reason);
    }

    /** Keeps the damaged bytes at the end of a journal segment, from {@code offset} on. */
    String keepDamaged(long segment, long offset, byte[] bytes, String reason) throws IOException {
        String name = String.format("%016d-at-%d", segment, offset);
        keep(name, ".damaged", bytes, reason);
        return name;
    }

    private void keep(String name, String suffix, byte[] bytes, String reason) throws IOException {
        FileIo.writeDurably(dir.resolve(name + suffix), ByteBuffer.wrap(bytes));
        FileIo.appendDurably(dir.resolve(name + ".reason"),
                StandardCharsets.UTF_8.encode(clock.instant() + " " + reason + System.lineSeparator()));
        FileIo.syncDirectory(dir);
    }

    /** Counts the quarantined messages in a spool directory. */
    static long count(Path spoolDir) throws IOException {
        Path q = spoolDir.resolve("quarantine");
        if (!Files.isDirectory(q)) {
            return 0;
        }
        long n = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(q, "*.spool")) {
            for (Path ignored : stream) {
                n++;
            }
        }
        return n;
    }
}
