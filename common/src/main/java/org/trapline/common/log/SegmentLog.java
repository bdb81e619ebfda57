package org.trapline.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An append-only log for one writer over {@link SegmentFiles}: appends go to the newest segment, a new one
 * is started once it passes {@code segmentBytes}, and readers read any segment at any position up to
 * where the writer has got. A segment is numbered by the log position of its first byte, so a position is
 * one number across all segments.
 *
 * <p>Order of calls: {@link #open}, then {@link #append} and {@link #force} from the writer thread,
 * {@link #scan} from any thread, {@link #deleteBelow} from any thread, {@link #close} once.
 *
 * <p>On open, the newest segment is scanned and whatever does not read as whole, intact records at its end
 * (a write a crash cut short, never acknowledged) is cut off before anything is appended after it.
 */
public final class SegmentLog implements AutoCloseable {
    /** What was cut off a segment on open. */
    public record Cut(long segment, long from, long bytes, String problem) {
    }

    /** Told of a tail cut off on open, before it is cut. */
    @FunctionalInterface
    public interface TailListener {
        void cutting(Cut cut) throws IOException;
    }

    /** One segment: its number (= the position of its first byte), its channel, the end of its records. */
    public static final class Segment {
        private final long base;
        private final FileChannel channel;
        private volatile long length;

        Segment(long base, FileChannel channel, long length) {
            this.base = base;
            this.channel = channel;
            this.length = length;
        }

        public long base() {
            return base;
        }

        public long end() {
            return base + length;
        }

        public FileChannel channel() {
            return channel;
        }
    }

    private final SegmentFiles files;
    private final Framing framing;
    private final long segmentBytes;
    private final boolean fsync;
    private final NavigableMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private volatile Segment current;

    private SegmentLog(SegmentFiles files, Framing framing, long segmentBytes, boolean fsync) {
        this.files = files;
        this.framing = framing;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
    }

    /**
     * Opens the log, cutting a torn or damaged tail off its newest segment. An empty log starts at
     * {@code startIfEmpty}, so positions never repeat after the segments were deleted.
     *
     * @param fsync whether appends and new segments' names are forced to disk; without, an appended record
     *              survives a killed process (it is in the page cache) but not a power cut
     */
    public static SegmentLog open(SegmentFiles files, Framing framing, long segmentBytes, boolean fsync, long startIfEmpty,
                                  TailListener tails) throws IOException {
        SegmentLog log = new SegmentLog(files, framing, segmentBytes, fsync);
        try {
            for (long n : files.numbers()) {
                FileChannel ch = files.open(n, StandardOpenOption.READ, StandardOpenOption.WRITE);
                log.segments.put(n, new Segment(n, ch, ch.size()));
            }
            if (log.segments.isEmpty()) {
                log.current = log.create(startIfEmpty);
            } else {
                log.current = log.segments.lastEntry().getValue();
                log.cutTail(log.current, tails);
            }
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    private void cutTail(Segment s, TailListener tails) throws IOException {
        long size = s.channel.size();
        Scan scan = framing.scan(s.channel, 0, size, ByteBuffer.allocate(1 << 16), f -> true);
        if (scan.end() < size) {
            tails.cutting(new Cut(s.base, scan.end(), size - scan.end(), scan.problem()));
            s.channel.truncate(scan.end());
            s.channel.force(true);
        }
        s.length = scan.end();
    }

    private Segment create(long base) throws IOException {
        Segment s = new Segment(base, files.create(base, fsync), 0);
        segments.put(base, s);
        return s;
    }

    public Framing framing() {
        return framing;
    }

    /** The position after the last record appended. */
    public long end() {
        return current.end();
    }

    /**
     * Appends framed records (whole frames only) in one write, forced to disk when the log syncs, starting
     * a new segment first when the newest is full. Returns the new end.
     */
    public long append(ByteBuffer... frames) throws IOException {
        if (current.length >= segmentBytes) {
            if (fsync) {
                current.channel.force(false);
            }
            current = create(current.end());
        }
        long at = current.length;
        for (ByteBuffer b : frames) {
            int n = b.remaining();
            FileIo.writeFully(current.channel, b, at);
            at += n;
        }
        if (fsync) {
            // fdatasync: the data and the size needed to read it back, without the mtime.
            current.channel.force(false);
        }
        current.length = at;
        return current.end();
    }

    /** Continues the log at {@code position} (beyond the end) in a new segment. */
    public void startAt(long position) throws IOException {
        if (position > end()) {
            current = create(position);
        }
    }

    /** The segment holding {@code position}, or the first one after it; null when there is none. */
    public Segment segmentAt(long position) {
        Map.Entry<Long, Segment> floor = segments.floorEntry(position);
        if (floor != null && position < floor.getValue().end()) {
            return floor.getValue();
        }
        Map.Entry<Long, Segment> next = segments.higherEntry(position);
        return next == null ? null : next.getValue();
    }

    /** The segment after this one, or null. */
    public Segment next(Segment s) {
        Map.Entry<Long, Segment> next = segments.higherEntry(s.base);
        return next == null ? null : next.getValue();
    }

    /**
     * Reads the frames of one segment from {@code position} up to {@code limit} (capped at its end); the
     * frames' offsets are log positions.
     */
    public Scan scan(Segment s, long position, long limit, ByteBuffer buf, Framing.Visitor visitor) throws IOException {
        long base = s.base;
        Scan in = framing.scan(s.channel, position - base, Math.min(limit, s.end()) - base, buf, visitor, base);
        return new Scan(base + in.end(), in.problem());
    }

    /** Whether some segment other than the one being written lies wholly below {@code position}. */
    public boolean hasWhollyBelow(long position) {
        Segment first = segments.firstEntry().getValue();
        return first != current && first.end() <= position;
    }

    /**
     * Deletes the segments wholly below {@code position} (everything in them is released), never the one
     * being written. Returns the ones that could not be deleted, as messages.
     */
    public java.util.List<String> deleteBelow(long position) {
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (Segment s : segments.values()) {
            if (s == current || s.end() > position) {
                continue;
            }
            segments.remove(s.base);
            try {
                s.channel.close();
                files.delete(s.base);
            } catch (IOException e) {
                failures.add(files.path(s.base) + ": " + e.getMessage());
            }
        }
        return failures;
    }

    /** Number of segments kept. */
    public int segments() {
        return segments.size();
    }

    @Override
    public void close() {
        for (Segment s : segments.values()) {
            try {
                s.channel.close();
            } catch (IOException e) {
                // closing: the data is already forced when the log syncs
            }
        }
    }
}
