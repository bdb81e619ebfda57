package org.trapline.mailets.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.log.FileIo;
import org.trapline.common.log.Framing;
import org.trapline.common.log.SegmentFiles;

/**
 * One segment of the spool: {@code <seq>.journal}, its records, and {@code <seq>.released}, the intake keys
 * released from it, one per line. The release log is not fsynced: if a crash loses a line, that message is
 * replayed and the idempotent pipeline ignores it. Counts of live records decide when the segment goes.
 */
final class SpoolSegment {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolSegment.class);

    final long seq;
    private final SegmentFiles journals;
    private final Path released;
    final FileChannel channel;
    private FileChannel releaseLog;
    /** Guarded by the spool's append lock: the end of the records placed in it, written or not. */
    long size;
    long live;
    boolean sealed;
    /** Flusher thread only: the end of the records written to it. */
    long written;
    /** Flusher thread only: its name is durable in the directory. */
    boolean named;
    /** Flusher thread only: a write to it failed, so nothing more is written to it. */
    boolean broken;
    /** Set under the append lock: every record in it is released and its files are (being) deleted. */
    volatile boolean deleted;

    private SpoolSegment(long seq, SegmentFiles journals, Path released, FileChannel channel) {
        this.seq = seq;
        this.journals = journals;
        this.released = released;
        this.channel = channel;
    }

    /** A new segment; its name is made durable by the flusher before the first record in it is acknowledged. */
    static SpoolSegment create(SegmentFiles journals, SegmentFiles releases, long seq) throws IOException {
        return new SpoolSegment(seq, journals, releases.path(seq), journals.create(seq, false));
    }

    /** A segment an earlier run left: never written to again, only read, cut back and deleted. */
    static SpoolSegment existing(SegmentFiles journals, SegmentFiles releases, long seq) throws IOException {
        SpoolSegment s = new SpoolSegment(seq, journals, releases.path(seq),
                journals.open(seq, StandardOpenOption.READ, StandardOpenOption.WRITE));
        s.sealed = true;
        s.named = true;
        s.size = s.channel.size();
        s.written = s.size;
        return s;
    }

    String name() {
        return journals.path(seq).getFileName().toString();
    }

    /**
     * Writes records that follow each other, and follow what was written to it before, at its written end.
     * Flusher thread only.
     */
    void write(List<ByteBuffer[]> records, long offset, Spool.JournalIo io) throws IOException {
        if (offset != written) {
            throw new IOException("spool record at " + offset + " does not follow the written end " + written);
        }
        int parts = records.isEmpty() ? 0 : records.get(0).length;
        ByteBuffer[] buffers = new ByteBuffer[records.size() * parts];
        long end = written;
        for (int i = 0; i < records.size(); i++) {
            for (int j = 0; j < parts; j++) {
                // A duplicate per write: a failed write leaves the record's own buffers as they were.
                buffers[i * parts + j] = records.get(i)[j].duplicate();
                end += buffers[i * parts + j].remaining();
            }
        }
        // Only the flusher writes, and only here, so the channel's own position is where it is put.
        channel.position(written);
        long length = end - written;
        for (long n = 0; n < length; ) {
            n += io.write(channel, buffers);
        }
        written = end;
    }

    void truncateQuietly(long to) {
        try {
            channel.truncate(to);
        } catch (IOException e) {
            LOG.error("cannot cut a partial record from {}: {}", name(), e.toString());
        }
    }

    /** The keys released from it; a torn last line (crash mid-append) is no valid key and does not count. */
    Set<String> releasedKeys() throws IOException {
        return releasedKeys(released);
    }

    static Set<String> releasedKeys(Path releaseLog) throws IOException {
        if (!Files.exists(releaseLog)) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(releaseLog, StandardCharsets.US_ASCII)) {
            if (line.length() == 64 && line.matches("[0-9a-f]{64}")) {
                keys.add(line);
            }
        }
        return keys;
    }

    /** Guarded by the spool's release lock. */
    void appendReleased(CharSequence keys) throws IOException {
        if (releaseLog == null) {
            releaseLog = FileChannel.open(released, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        ByteBuffer buf = StandardCharsets.US_ASCII.encode(keys.toString());
        while (buf.hasRemaining()) {
            releaseLog.write(buf);
        }
    }

    /** Guarded by the spool's release lock. */
    void deleteFiles() throws IOException {
        close();
        journals.delete(seq);
        Files.deleteIfExists(released);
    }

    void close() {
        for (FileChannel ch : new FileChannel[] {channel, releaseLog}) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    LOG.warn("cannot close {}: {}", name(), e.toString());
                }
            }
        }
    }

    /** The bytes from {@code from} to its end (as far as one record can be long), read in full. */
    byte[] tail(long from) throws IOException {
        ByteBuffer rest = ByteBuffer.allocate((int) Math.min(size - from, SpoolRecord.FRAMING.maxPayload()));
        int n = FileIo.readFully(channel, rest, from);
        return java.util.Arrays.copyOf(rest.array(), n);
    }

    /** The payload of the record of {@code key} at {@code offset}, checked against its CRC. */
    byte[] payloadAt(long offset, String key) throws IOException {
        Framing.Read read = SpoolRecord.FRAMING.readAt(channel, offset);
        if (read instanceof Framing.Found found && HexFormat.of().formatHex(found.frame().keyBytes()).equals(key)) {
            return found.frame().payloadBytes();
        }
        throw new IOException("spool record " + key + " in " + name() + " at " + offset + " does not read back: "
                + (read instanceof Framing.Damaged d ? d.problem() : "the journal is shorter than its index"));
    }

    /** Counts the records acknowledged and not released in a spool directory, reading the files only. */
    static long pendingOnDisk(Path dir) throws IOException {
        SegmentFiles journals = new SegmentFiles(dir, ".journal", 16);
        SegmentFiles releases = new SegmentFiles(dir, ".released", 16);
        long[] n = {0};
        for (long seq : journals.numbers()) {
            Set<String> released = releasedKeys(releases.path(seq));
            try (FileChannel ch = journals.open(seq, StandardOpenOption.READ)) {
                SpoolRecord.FRAMING.scan(ch, 0, ch.size(), ByteBuffer.allocate(1 << 20), f -> {
                    if (!released.contains(HexFormat.of().formatHex(f.keyBytes()))) {
                        n[0]++;
                    }
                    return true;
                });
            } catch (NoSuchFileException drainedMeanwhile) {
                // deleted by the owner while we looked: nothing pending in it
            }
        }
        return n[0];
    }
}
