package org.trapline.mailets.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable intake spool, the {@link DurableIntake} of the MX: every message is appended here and
 * fdatasynced <em>before</em> the MX answers 250, and released only once the pipeline is done with it.
 * After a crash the records not released are exactly the messages that were acknowledged but not yet
 * finished, so replaying them loses nothing; the intake key makes a replay of a finished message harmless.
 *
 * <p>Why a journal and not a file per message: on this kind of disk, creating, renaming and deleting one
 * file per message costs more CPU in the file system than the whole SMTP exchange, and each message needed
 * its own fsync. Appending to one segment lets concurrent sessions share one fdatasync ({@link SpoolFlusher})
 * and creates no file per message; and since the writes and that fdatasync run on a thread of its own, an
 * SMTP thread never waits for the disk: {@link #append} places the record and returns at once.
 *
 * <p>Under the spool directory: segments ({@link SpoolSegment}, records as {@link SpoolRecord} frames them),
 * a new one at each open and when the current one passes {@link #SEGMENT_BYTES}, deleted when no longer
 * written to and every record in it is released; and {@link SpoolQuarantine}.
 */
public final class Spool implements DurableIntake, AutoCloseable {
    /** Size after which a new segment is started, so drained segments can be deleted. */
    static final long SEGMENT_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final int MAX_REFUSED = 100_000;
    private static final CompletableFuture<Void> ON_DISK = CompletableFuture.completedFuture(null);

    private final Path dir;
    private final SpoolSegments segments;
    private final SpoolQuarantine quarantine;
    private final SpoolWrites writes;
    private final long maxPending;
    private final long segmentBytes;
    private final Map<String, Location> pendingByKey = new ConcurrentHashMap<>();
    private final SpoolFlusher flusher;
    /** Intakes whose write or fdatasync failed, so their clients heard 451: the pipeline must drop them. Bounded. */
    private final Map<String, String> refused = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REFUSED;
        }
    });
    private final Object appendLock = new Object();
    /** Guards the release logs and the deletion of segments' files. Taken after appendLock, never before. */
    private final Object releaseLock = new Object();
    /** Guarded by appendLock: change number of the last record appended. */
    private long appended;
    /** Guarded by appendLock: a write or sync failed, so the next append starts a new segment. */
    private boolean rollAfterFailure;
    private volatile boolean opened;

    /** A spool without a backlog limit whose flusher syncs as soon as anything waits. */
    public Spool(Path dir) {
        this(dir, Long.MAX_VALUE, Duration.ZERO);
    }

    /**
     * @param maxPending    most messages accepted but not yet finished; beyond it {@link #append} refuses
     *                      with {@link SpoolFullException} so the MX answers 451 instead of piling them up
     * @param syncBatchWait how long an fdatasync may wait for more messages while sessions append concurrently
     */
    public Spool(Path dir, long maxPending, Duration syncBatchWait) {
        this(dir, maxPending, SEGMENT_BYTES, syncBatchWait, UnaryOperator.identity());
    }

    Spool(Path dir, long maxPending, long segmentBytes) {
        this(dir, maxPending, segmentBytes, Duration.ZERO, UnaryOperator.identity());
    }

    /** @param syncs wraps the fdatasync the flusher runs: tests make it slow or fail */
    Spool(Path dir, long maxPending, long segmentBytes, Duration syncBatchWait, UnaryOperator<SpoolFlusher.Sync> syncs) {
        this(dir, maxPending, segmentBytes, syncBatchWait, syncs, new JournalIo() {
        });
    }

    /** How the flusher writes records to a journal and syncs it: tests make that fail. */
    interface JournalIo {
        default long write(FileChannel journal, ByteBuffer[] buffers) throws IOException {
            return journal.write(buffers);
        }

        default void force(FileChannel journal) throws IOException {
            // fdatasync: the data and the size needed to read it back, without the mtime.
            journal.force(false);
        }
    }

    Spool(Path dir, long maxPending, long segmentBytes, Duration syncBatchWait, UnaryOperator<SpoolFlusher.Sync> syncs,
          JournalIo journalIo) {
        this.dir = dir;
        this.segments = new SpoolSegments(dir, releaseLock);
        this.quarantine = new SpoolQuarantine(dir, Clock.systemUTC());
        this.maxPending = maxPending;
        this.segmentBytes = segmentBytes;
        this.writes = new SpoolWrites(segments.journals, journalIo, this::refuse);
        this.flusher = new SpoolFlusher(syncs.apply(writes::writeAndForce), "spool-flush", syncBatchWait);
    }

    /** Where one pending record lives, and when it is (or was) on disk. */
    private record Location(SpoolSegment segment, long offset, CompletableFuture<Void> durable) {
    }

    /** Reads what earlier runs left and starts a new segment; see {@link SpoolSegments#open}. */
    public void open() throws IOException {
        quarantine.create();
        if (!Files.isWritable(dir)) {
            throw new IOException("spool directory is not writable: " + dir);
        }
        synchronized (appendLock) {
            segments.open(quarantine, (key, segment, offset) -> pendingByKey.putIfAbsent(key, new Location(segment, offset, ON_DISK)) == null);
        }
        flusher.start();
        opened = true;
    }

    /** Messages accepted and not yet released or quarantined. */
    public long pendingCount() {
        return pendingByKey.size();
    }

    /** Whether the message with this intake key is accepted and not yet released or quarantined. */
    public boolean isPending(String intakeKey) {
        return pendingByKey.containsKey(intakeKey);
    }

    public Path directory() {
        return dir;
    }

    /** The identity of an intake: SHA-256 over envelope sender, recipients and the raw bytes. */
    public static String intakeKey(String sender, List<String> recipients, byte[] raw) {
        return SpoolRecord.intakeKey(sender, recipients, raw);
    }

    /**
     * Places the record for the flusher and returns at once: the returned future says when the client may
     * hear 250 (it fails when the write or the sync did: answer 451). Throws when the record cannot be
     * taken at all (answer 451). The caller, an SMTP thread, touches no file: under load a write that
     * extends the journal can wait for the file system's commit of the running fdatasync, and every
     * session behind the append lock would wait with it.
     */
    @Override
    public Intake append(Envelope envelope, byte[] raw) throws IOException {
        if (!opened) {
            throw new IOException("the spool is not open");
        }
        String key = intakeKey(envelope.sender(), envelope.recipients(), raw);
        SpooledMessage message = new SpooledMessage(key, envelope, raw);
        Location waiting = pendingByKey.get(key);
        if (waiting != null) {
            // A client retry of a message we accepted before; it may still be on its way to the disk in
            // another session, and this 250 must not come first.
            return new Intake(message, waiting.durable());
        }
        if (pendingByKey.size() >= maxPending) {
            throw new SpoolFullException(pendingByKey.size());
        }
        ByteBuffer[] record = SpoolRecord.frame(key, envelope, raw);
        long length = 0;
        for (ByteBuffer b : record) {
            length += b.remaining();
        }
        synchronized (appendLock) {
            Location raced = pendingByKey.get(key);
            if (raced != null) {
                return new Intake(message, raced.durable());
            }
            SpoolSegment segment = segments.current();
            if (rollAfterFailure || segment.size > 0 && segment.size + length > segmentBytes) {
                segment = segments.roll();
                rollAfterFailure = false;
            }
            long offset = segment.size;
            segment.size = offset + length;
            segment.live++;
            // Completed only once a refusal is done, so whoever sees the failure also sees the record let go.
            CompletableFuture<Void> durable = new CompletableFuture<>();
            pendingByKey.put(key, new Location(segment, offset, durable));
            writes.add(new SpoolWrites.Unwritten(key, segment, offset, record, durable));
            flusher.appended(++appended).whenComplete((ok, failure) -> {
                if (failure == null) {
                    durable.complete(null);
                } else {
                    refuse(key, failure);
                    durable.completeExceptionally(failure);
                }
            });
            return new Intake(message, durable);
        }
    }

    /**
     * The write or sync that should have made this intake durable failed, so its client hears 451 and will
     * send it again: let go of the record (a later replay would store it twice) and tell the pipeline to drop it.
     */
    private void refuse(String key, Throwable why) {
        refused.put(key, why.toString());
        try {
            release(List.of(key));
        } catch (IOException e) {
            LOG.warn("cannot release refused intake {} (replayed at next start): {}", key, e.toString());
        }
        synchronized (appendLock) {
            // What fdatasync reported lost may be gone from the page cache: start a clean segment.
            rollAfterFailure = true;
        }
    }

    @Override
    public boolean acknowledged(String intakeKey) throws InterruptedException {
        Location at = pendingByKey.get(SpoolRecord.checkKey(intakeKey));
        if (at != null) {
            try {
                at.durable().get();
                return true;
            } catch (ExecutionException e) {
                return false;
            }
        }
        return !refused.containsKey(intakeKey);
    }

    /**
     * Forgets a finished message. Releasing a key twice, or one never spooled, is harmless. The release
     * is not fsynced: if a crash undoes it, the message is replayed and the idempotent pipeline ignores it.
     */
    public void release(String intakeKey) throws IOException {
        release(List.of(SpoolRecord.checkKey(intakeKey)));
    }

    /** Releases a batch of finished messages with one append per segment. */
    @Override
    public void release(Collection<String> intakeKeys) throws IOException {
        Map<SpoolSegment, StringBuilder> lines = new LinkedHashMap<>();
        Map<SpoolSegment, Integer> counts = new HashMap<>();
        for (String key : intakeKeys) {
            Location at = pendingByKey.remove(SpoolRecord.checkKey(key));
            if (at != null) {
                lines.computeIfAbsent(at.segment(), s -> new StringBuilder()).append(key).append('\n');
                counts.merge(at.segment(), 1, Integer::sum);
            }
        }
        // The counts under appendLock, the files under releaseLock: the pipeline's thread that releases runs
        // behind the SMTP threads and must not hold them up while it writes.
        List<SpoolSegment> drained = new ArrayList<>();
        synchronized (appendLock) {
            for (Map.Entry<SpoolSegment, Integer> e : counts.entrySet()) {
                SpoolSegment segment = e.getKey();
                segment.live -= e.getValue();
                if (segment.sealed && segment.live == 0 && !segment.deleted) {
                    segments.drain(segment);
                    drained.add(segment);
                }
            }
        }
        IOException failure = null;
        synchronized (releaseLock) {
            for (Map.Entry<SpoolSegment, StringBuilder> e : lines.entrySet()) {
                try {
                    if (drained.contains(e.getKey())) {
                        e.getKey().deleteFiles();
                    } else if (!e.getKey().deleted) {
                        e.getKey().appendReleased(e.getValue());
                    }
                } catch (IOException ex) {
                    failure = ex;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void quarantine(String intakeKey, String reason) throws IOException {
        Optional<byte[]> payload = payloadOf(SpoolRecord.checkKey(intakeKey));
        if (payload.isPresent()) {
            quarantine.keepMessage(intakeKey, payload.get(), reason);
            release(List.of(intakeKey));
        }
    }

    /**
     * Messages acknowledged but not released, oldest first. Only reads: a record that no longer reads back
     * is logged and left pending (the next start's {@link #open} quarantines it).
     */
    public List<SpooledMessage> pending() throws IOException {
        List<Map.Entry<String, Location>> waiting = new ArrayList<>(pendingByKey.entrySet());
        waiting.sort(Comparator.comparingLong((Map.Entry<String, Location> e) -> e.getValue().segment().seq)
                .thenComparingLong(e -> e.getValue().offset()));
        List<SpooledMessage> result = new ArrayList<>();
        for (Map.Entry<String, Location> e : waiting) {
            try {
                find(e.getKey()).ifPresent(result::add);
            } catch (InterruptedIOException stop) {
                throw stop;
            } catch (IOException damaged) {
                LOG.error("pending spool message {} is not replayed now: {}", e.getKey(), damaged.getMessage());
            }
        }
        return result;
    }

    /** Number of messages in quarantine. */
    public long quarantined() throws IOException {
        return SpoolQuarantine.count(dir);
    }

    /**
     * The pending message with this key, if it is still waiting and of a layout this version reads. Only
     * reads: damage is reported (thrown), never quarantined here.
     */
    public Optional<SpooledMessage> find(String intakeKey) throws IOException {
        Optional<byte[]> payload = payloadOf(SpoolRecord.checkKey(intakeKey));
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        String problem = SpoolRecord.unreadable(intakeKey, payload.get());
        if (problem != null) {
            LOG.error("pending spool record {} cannot be read ({}); it stays pending", intakeKey, problem);
            return Optional.empty();
        }
        return Optional.of(SpoolRecord.read(intakeKey, payload.get()));
    }

    /** Counts the messages acknowledged and not released in a spool directory, reading the files only. */
    public static long pendingOnDisk(Path dir) throws IOException {
        return SpoolSegment.pendingOnDisk(dir);
    }

    /** Counts the quarantined messages in a spool directory. */
    public static long countQuarantined(Path dir) throws IOException {
        return SpoolQuarantine.count(dir);
    }

    @Override
    public void close() throws IOException {
        // Whatever still waits for the disk gets its last sync (and its answer) before the files close.
        flusher.close();
        synchronized (appendLock) {
            synchronized (releaseLock) {
                opened = false;
                segments.close();
            }
        }
    }

    /** A pending record's payload once it is written (the flusher writes it), checked against its CRC. */
    private Optional<byte[]> payloadOf(String key) throws IOException {
        Location at = pendingByKey.get(key);
        if (at == null) {
            return Optional.empty();
        }
        try {
            at.durable().get();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a spool record to be written");
        }
        try {
            return Optional.of(at.segment().payloadAt(at.offset(), key));
        } catch (ClosedChannelException e) {
            // released meanwhile and its segment deleted
            return Optional.empty();
        }
    }
}
