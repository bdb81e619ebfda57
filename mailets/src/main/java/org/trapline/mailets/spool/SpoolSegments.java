package org.trapline.mailets.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.log.Scan;
import org.trapline.common.log.SegmentFiles;

/**
 * The spool's segments: the one appended to and the sealed ones still holding pending records. Every
 * method runs under the spool's append lock; files are deleted under its release lock, taken after it.
 */
final class SpoolSegments {
    /** Takes a pending record found at open into the spool's index; false when the key is already there. */
    @FunctionalInterface
    interface Index {
        boolean pending(String key, SpoolSegment segment, long offset);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpoolSegments.class);

    final SegmentFiles journals;
    private final SegmentFiles releases;
    private final Object releaseLock;
    private final Map<Long, SpoolSegment> all = new HashMap<>();
    private SpoolSegment current;

    SpoolSegments(Path dir, Object releaseLock) {
        this.journals = new SegmentFiles(dir, ".journal", 16);
        this.releases = new SegmentFiles(dir, ".released", 16);
        this.releaseLock = releaseLock;
    }

    SpoolSegment current() {
        return current;
    }

    /**
     * Reads what earlier runs left and starts a new segment. This is the server's start, so it alone moves
     * what it cannot replay to quarantine, never dropping it: damaged bytes at a segment's end (then cut
     * off), and records whose CRC holds but whose layout this version cannot read (then released).
     */
    void open(SpoolQuarantine quarantine, Index index) throws IOException {
        long lastSeq = 0;
        for (long seq : journals.numbers()) {
            lastSeq = Math.max(lastSeq, seq);
            SpoolSegment segment = SpoolSegment.existing(journals, releases, seq);
            all.put(seq, segment);
            Set<String> released = segment.releasedKeys();
            StringBuilder unreadable = new StringBuilder();
            Scan scan = SpoolRecord.FRAMING.scan(segment.channel, 0, segment.size, ByteBuffer.allocate(1 << 20), f -> {
                String key = HexFormat.of().formatHex(f.keyBytes());
                if (released.contains(key)) {
                    return true;
                }
                byte[] payload = f.payloadBytes();
                String problem = SpoolRecord.unreadable(key, payload);
                if (problem != null) {
                    quarantine.keepMessage(key, payload, "unreadable spool record: " + problem);
                    unreadable.append(key).append('\n');
                } else if (index.pending(key, segment, f.offset())) {
                    segment.live++;
                }
                return true;
            });
            if (!unreadable.isEmpty()) {
                segment.appendReleased(unreadable);
            }
            if (scan.damaged()) {
                keepDamaged(segment, scan, quarantine);
            }
            if (segment.live == 0) {
                delete(segment);
            }
        }
        current = create(lastSeq + 1);
    }

    private static void keepDamaged(SpoolSegment segment, Scan scan, SpoolQuarantine quarantine) throws IOException {
        long from = scan.end();
        String name = quarantine.keepDamaged(segment.seq, from, segment.tail(from), "damaged spool journal " + segment.name()
                + " from byte " + from + ": " + scan.problem());
        LOG.error("spool journal {} is damaged from byte {} ({}); {} bytes kept in quarantine as {}.damaged",
                segment.name(), from, scan.problem(), segment.size - from, name);
        // Kept durably first; cut so that the next start does not find (and keep) the same bytes again.
        segment.channel.truncate(from);
        segment.channel.force(true);
        segment.size = from;
        segment.written = from;
    }

    /** Seals the current segment and starts the next; the old one goes at once when nothing in it is pending. */
    SpoolSegment roll() throws IOException {
        SpoolSegment old = current;
        // Records of the old segment still waiting are written and forced by the flusher like any other.
        old.sealed = true;
        current = create(old.seq + 1);
        if (old.live == 0) {
            delete(old);
        }
        return current;
    }

    private SpoolSegment create(long seq) throws IOException {
        SpoolSegment segment = SpoolSegment.create(journals, releases, seq);
        all.put(seq, segment);
        return segment;
    }

    private void delete(SpoolSegment segment) throws IOException {
        drain(segment);
        synchronized (releaseLock) {
            segment.deleteFiles();
        }
    }

    /** The segment is done with; its files go next, under the release lock. */
    void drain(SpoolSegment segment) {
        segment.deleted = true;
        all.remove(segment.seq);
    }

    /** Under the release lock as well. */
    void close() {
        all.values().forEach(SpoolSegment::close);
        all.clear();
    }
}
