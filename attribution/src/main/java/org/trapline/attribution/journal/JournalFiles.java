package org.trapline.attribution.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.common.log.Scan;
import org.trapline.common.log.SegmentFiles;
import org.trapline.common.log.SegmentLog;

/**
 * The journal's files: a {@link SegmentLog} of {@code <position>.acct} segments named by the journal
 * position of their first byte (so a position is one number across all of them), one writer appending to
 * the newest, readers at any position below {@link #end()}. Holds an OS lock on the directory so that only
 * one process writes or replays it.
 */
final class JournalFiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalFiles.class);
    static final String LOCK = "lock";

    /** A record read back: its event, or why it cannot be applied; {@code end} is the position after it. */
    record Entry(long end, AccountingEvent event, String problem) {
    }

    private final SegmentLog segments;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private JournalFiles(SegmentLog segments, FileChannel lockChannel, FileLock lock) {
        this.segments = segments;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Thrown when another process (a running server, or a command replaying the journal) holds it. */
    static final class InUse extends IOException {
        private static final long serialVersionUID = 1L;

        InUse(Path dir) {
            super("the accounting journal " + dir + " is in use by another process (a running server or a command replaying it)");
        }
    }

    /**
     * Opens the journal in {@code dir}, cutting a torn record off the end of the newest file. An empty
     * journal starts at {@code startIfEmpty} (the store's applied position), so positions never repeat.
     */
    static JournalFiles open(Path dir, long segmentBytes, boolean fsync, long startIfEmpty) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new InUse(dir);
        }
        try {
            SegmentLog segments = SegmentLog.open(new SegmentFiles(dir, ".acct", 20), JournalCodec.FRAMING, segmentBytes, fsync,
                    startIfEmpty, cut -> log.warn("accounting journal {}: cut {} bytes that are not whole, intact records off the end "
                            + "({}): a write cut short by a crash, never acknowledged, or damage",
                            String.format("%020d.acct", cut.segment()), cut.bytes(), cut.problem()));
            return new JournalFiles(segments, lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** The position after the last complete record (what readers may read up to). */
    long end() {
        return segments.end();
    }

    /**
     * Appends the records framed in {@code frames} in one write (forced to the disk when so configured)
     * and returns the new end. Only one thread may append.
     */
    long append(JournalCodec.Frames frames) throws IOException {
        return segments.append(frames.view());
    }

    /** A read buffer large enough for any record. */
    static ByteBuffer readBuffer() {
        return ByteBuffer.allocate(4 << 20);
    }

    /**
     * Reads whole records from {@code from} up to at most {@code limit} (a position at or below
     * {@link #end()}), at most {@code maxRecords} of them, through {@code b} (from {@link #readBuffer()}).
     * A record that fails its checksum below the end (the disk, not a crash, damaged it) is reported
     * as one problem entry covering the rest of its file, and reading goes on in the next file.
     */
    List<Entry> read(long from, long limit, int maxRecords, ByteBuffer b) throws IOException {
        List<Entry> out = new ArrayList<>(Math.min(maxRecords, 4096));
        long pos = from;
        while (pos < limit && out.size() < maxRecords) {
            SegmentLog.Segment s = segments.segmentAt(pos);
            if (s == null) {
                break;
            }
            if (pos < s.base()) {
                out.add(new Entry(s.base(), null, "journal positions " + pos + " to " + s.base() + " are missing"));
                pos = s.base();
                continue;
            }
            Scan scan = segments.scan(s, pos, limit, b, frame -> {
                try {
                    out.add(new Entry(frame.end(), JournalCodec.decode(frame.payload()), null));
                } catch (IllegalArgumentException e) {
                    out.add(new Entry(frame.end(), null, e.getMessage()));
                }
                return out.size() < maxRecords;
            });
            if (scan.damaged()) {
                long skipTo = s.end();
                out.add(new Entry(skipTo, null, "journal file " + String.format("%020d.acct", s.base()) + " is damaged at position "
                        + scan.end() + " (" + scan.problem() + "); the rest of it (" + (skipTo - scan.end()) + " bytes) is skipped"));
                pos = skipTo;
                continue;
            }
            if (scan.end() == pos && out.size() < maxRecords) {
                break;
            }
            pos = scan.end();
        }
        return out;
    }

    /** Continues the journal at {@code position} (beyond the end) in a new file. */
    void startAt(long position) throws IOException {
        segments.startAt(position);
    }

    /** Whether some file other than the one being written lies wholly below {@code applied}. */
    boolean hasWhollyBelow(long applied) {
        return segments.hasWhollyBelow(applied);
    }

    /** Deletes the files wholly below {@code applied} (never the one being written). */
    void deleteBelow(long applied) {
        for (String failure : segments.deleteBelow(applied)) {
            log.warn("cannot delete applied journal file {}", failure);
        }
    }

    /** Number of journal files kept. */
    int files() {
        return segments.segments();
    }

    @Override
    public void close() {
        segments.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
