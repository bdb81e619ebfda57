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
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.session.AccountingEvent;

/**
 * The journal's files: segments named by the journal position of their first byte (so a position is
 * one number across all of them), one writer appending to the newest, readers at any position below
 * {@link #end()}. Holds an OS lock on the directory so that only one process writes or replays it.
 */
final class JournalFiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalFiles.class);
    private static final String SUFFIX = ".acct";
    static final String LOCK = "lock";

    /** A record read back: its event, or why it cannot be applied; {@code end} is the position after it. */
    record Entry(long end, AccountingEvent event, String problem) {
    }

    private static final class Segment {
        final long base;
        final Path path;
        final FileChannel channel;
        volatile long length;

        Segment(long base, Path path, FileChannel channel, long length) {
            this.base = base;
            this.path = path;
            this.channel = channel;
            this.length = length;
        }

        long end() {
            return base + length;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final boolean fsync;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** The file being appended to; read by the applier when it deletes files. */
    private volatile Segment current;
    private volatile long end;

    private JournalFiles(Path dir, long segmentBytes, boolean fsync, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
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
        JournalFiles files = new JournalFiles(dir, segmentBytes, fsync, lockChannel, lock);
        try {
            files.load(startIfEmpty);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
        return files;
    }

    private static ConcurrentSkipListMap<Long, Path> list(Path dir) throws IOException {
        ConcurrentSkipListMap<Long, Path> found = new ConcurrentSkipListMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
                    try {
                        found.put(Long.parseLong(name.substring(0, 20)), p);
                    } catch (NumberFormatException e) {
                        // Not ours; left alone.
                    }
                }
            }
        }
        return found;
    }

    private void load(long startIfEmpty) throws IOException {
        for (Map.Entry<Long, Path> e : list(dir).entrySet()) {
            FileChannel ch = FileChannel.open(e.getValue(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            segments.put(e.getKey(), new Segment(e.getKey(), e.getValue(), ch, ch.size()));
        }
        if (segments.isEmpty()) {
            current = create(startIfEmpty);
        } else {
            current = segments.lastEntry().getValue();
            cutTornTail(current);
        }
        end = current.end();
    }

    /** A crash can leave the last write half done; it was never acknowledged, so it is cut off. */
    private void cutTornTail(Segment s) throws IOException {
        long valid = 0;
        int records = 0;
        ByteBuffer header = ByteBuffer.allocate(JournalCodec.FRAME_HEADER);
        ByteBuffer payload = ByteBuffer.allocate(4096);
        long size = s.channel.size();
        while (valid + JournalCodec.FRAME_HEADER <= size) {
            header.clear();
            readFully(s.channel, header, valid);
            int length = header.getInt(0), crc = header.getInt(4);
            if (length <= 0 || length > JournalCodec.MAX_PAYLOAD || valid + JournalCodec.FRAME_HEADER + length > size) {
                break;
            }
            if (payload.capacity() < length) {
                payload = ByteBuffer.allocate(length);
            }
            payload.clear().limit(length);
            readFully(s.channel, payload, valid + JournalCodec.FRAME_HEADER);
            payload.flip();
            if (!JournalCodec.intact(payload, crc)) {
                break;
            }
            valid += JournalCodec.FRAME_HEADER + length;
            records++;
        }
        if (valid < size) {
            log.warn("accounting journal {}: cut {} bytes that are not whole, intact records off the end (after {} intact records): "
                    + "a write cut short by a crash, never acknowledged, or damage", s.path.getFileName(), size - valid, records);
            s.channel.truncate(valid);
            s.channel.force(true);
        }
        s.length = valid;
    }

    private Segment create(long base) throws IOException {
        Path p = dir.resolve(String.format("%020d%s", base, SUFFIX));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ch.truncate(0);
        if (fsync) {
            // The new file's directory entry must survive a power cut as well as its contents.
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // Some file systems cannot sync a directory; the data itself is still forced per commit.
            }
        }
        Segment s = new Segment(base, p, ch, 0);
        segments.put(base, s);
        return s;
    }

    /** The position after the last complete record (what readers may read up to). */
    long end() {
        return end;
    }

    /**
     * Appends the records framed in {@code frames} in one write (forced to the disk when so configured)
     * and returns the new end. Only one thread may append.
     */
    long append(JournalCodec.Frames frames) throws IOException {
        if (current.length >= segmentBytes) {
            if (fsync) {
                current.channel.force(false);
            }
            current = create(current.end());
        }
        ByteBuffer b = frames.view();
        long at = current.length;
        while (b.hasRemaining()) {
            at += current.channel.write(b, at);
        }
        if (fsync) {
            current.channel.force(false);
        }
        current.length = at;
        end = current.end();
        return end;
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
            Map.Entry<Long, Segment> floor = segments.floorEntry(pos);
            Segment s = floor == null ? segments.firstEntry().getValue() : floor.getValue();
            if (pos < s.base) {
                out.add(new Entry(s.base, null, "journal positions " + pos + " to " + s.base + " are missing"));
                pos = s.base;
                continue;
            }
            long segEnd = Math.min(s.end(), limit);
            if (pos >= segEnd) {
                Map.Entry<Long, Segment> next = segments.higherEntry(s.base);
                if (next == null || pos < s.end()) {
                    break;
                }
                pos = next.getKey();
                continue;
            }
            b.clear();
            b.limit((int) Math.min(b.capacity(), segEnd - pos));
            readFully(s.channel, b, pos - s.base);
            b.flip();
            int consumed = 0;
            boolean damaged = false;
            while (out.size() < maxRecords && b.remaining() >= JournalCodec.FRAME_HEADER) {
                int at = b.position();
                int length = b.getInt(at), crc = b.getInt(at + 4);
                int frame = JournalCodec.FRAME_HEADER + length;
                if (length <= 0 || length > JournalCodec.MAX_PAYLOAD || pos + consumed + frame > segEnd) {
                    damaged = true;
                    break;
                }
                if (b.remaining() < frame) {
                    break;
                }
                ByteBuffer payload = b.duplicate();
                payload.position(at + JournalCodec.FRAME_HEADER).limit(at + frame);
                if (!JournalCodec.intact(payload, crc)) {
                    damaged = true;
                    break;
                }
                consumed += frame;
                try {
                    out.add(new Entry(pos + consumed, JournalCodec.decode(payload.slice()), null));
                } catch (IllegalArgumentException e) {
                    out.add(new Entry(pos + consumed, null, e.getMessage()));
                }
                b.position(at + frame);
            }
            if (damaged || consumed == 0 && b.remaining() > 0 && b.remaining() < JournalCodec.FRAME_HEADER) {
                long bad = pos + consumed;
                long skipTo = s.end();
                out.add(new Entry(skipTo, null, "journal file " + s.path.getFileName() + " is damaged at position " + bad
                        + "; the rest of it (" + (skipTo - bad) + " bytes) is skipped"));
                pos = skipTo;
                continue;
            }
            pos += consumed;
        }
        return out;
    }

    /** Continues the journal at {@code position} (beyond the end) in a new file. */
    void startAt(long position) throws IOException {
        if (position > end) {
            current = create(position);
            end = position;
        }
    }

    /** Whether some file other than the one being written lies wholly below {@code applied}. */
    boolean hasWhollyBelow(long applied) {
        Segment first = segments.firstEntry().getValue();
        return first != current && first.end() <= applied;
    }

    /** Deletes the files wholly below {@code applied} (never the one being written). */
    void deleteBelow(long applied) {
        for (Segment s : segments.values()) {
            if (s == current || s.end() > applied) {
                continue;
            }
            segments.remove(s.base);
            try {
                s.channel.close();
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                log.warn("cannot delete applied journal file {}: {}", s.path, e.getMessage());
            }
        }
    }

    /** Number of journal files kept. */
    int files() {
        return segments.size();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) {
                throw new IOException("journal file ended early");
            }
            at += n;
        }
    }

    @Override
    public void close() {
        for (Segment s : segments.values()) {
            try {
                s.channel.close();
            } catch (IOException e) {
                // closing
            }
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
