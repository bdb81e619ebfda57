package org.trapline.mailets.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.log.SegmentFiles;

/**
 * The spool's records on their way to the disk: placed by {@link Spool#append} (under its append lock, in
 * the order of their offsets), written and forced by the flusher's sync, {@link #writeAndForce}.
 *
 * <p>Failure rules: when a write fails, its records are refused (their clients hear 451) and so is every
 * later one of that segment, which is cut back to where the failed write started and written to no more,
 * so the next append starts a new segment. When the fdatasync fails, every record it wrote is refused.
 * A record counts as durable only after an fdatasync that follows its write, and after its segment's
 * name was made durable.
 */
final class SpoolWrites {
    /**
     * What the spool does with a record that will not be durable: its client hears 451, it must not be
     * replayed, and the next append starts a new segment.
     */
    @FunctionalInterface
    interface Refusals {
        void refuse(String key, IOException why);
    }

    /** A record with its place in a segment, waiting to be written. */
    record Unwritten(String key, SpoolSegment segment, long offset, ByteBuffer[] record, CompletableFuture<Void> durable) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpoolWrites.class);

    private final SegmentFiles journals;
    private final Spool.JournalIo io;
    private final Refusals refusals;
    /** Guarded by this: records placed and not yet written, in the order of their offsets. */
    private List<Unwritten> unwritten = new ArrayList<>();

    SpoolWrites(SegmentFiles journals, Spool.JournalIo io, Refusals refusals) {
        this.journals = journals;
        this.io = io;
        this.refusals = refusals;
    }

    /** Called under the spool's append lock, so records queue in the order of their offsets. */
    synchronized void add(Unwritten record) {
        unwritten.add(record);
    }

    private synchronized List<Unwritten> take() {
        List<Unwritten> batch = unwritten;
        unwritten = new ArrayList<>();
        return batch;
    }

    /**
     * The flusher's sync: writes the records placed so far, each segment's with one gathering write, and
     * makes them durable with the name of a segment written to for the first time.
     */
    void writeAndForce() throws IOException {
        List<Unwritten> batch = take();
        List<SpoolSegment> touched = new ArrayList<>(2);
        List<Unwritten> written = new ArrayList<>(batch.size());
        for (int from = 0; from < batch.size(); ) {
            SpoolSegment segment = batch.get(from).segment();
            int to = from;
            while (to < batch.size() && batch.get(to).segment() == segment) {
                to++;
            }
            List<Unwritten> run = batch.subList(from, to);
            from = to;
            if (run.stream().allMatch(u -> u.durable().isDone())) {
                // All refused while they waited (a sync failed before this one), their segment maybe gone.
                continue;
            }
            if (segment.broken) {
                fail(run, new IOException("an earlier write to spool journal " + segment.name() + " failed"));
                continue;
            }
            try {
                // Refused ones are written too: the release log says they are not replayed, and a hole reads as damage.
                segment.write(run.stream().map(Unwritten::record).toList(), run.get(0).offset(), io);
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot write to spool journal {}; {} messages are answered 451: {}", segment.name(), run.size(), e.toString());
                segment.broken = true;
                segment.truncateQuietly(run.get(0).offset());
                fail(run, e instanceof IOException io ? io : new IOException(e));
                continue;
            }
            touched.add(segment);
            written.addAll(run);
        }
        try {
            for (SpoolSegment segment : touched) {
                if (!segment.named) {
                    // The new file's name must survive a crash before any record in it is acknowledged.
                    journals.syncDirectory();
                    segment.named = true;
                }
                io.force(segment.channel);
            }
        } catch (IOException | RuntimeException e) {
            // What this sync wrote may be lost with it, also records appended after it started, which the
            // flusher would count as covered by the next sync (that one does not write them again).
            fail(written, e instanceof IOException io ? io : new IOException(e));
            throw e;
        }
    }

    private void fail(List<Unwritten> run, IOException why) {
        for (Unwritten u : run) {
            if (!u.durable().isDone()) {
                refusals.refuse(u.key(), why);
                u.durable().completeExceptionally(why);
            }
        }
    }
}
