package org.trapline.mailets.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.evidence.raw.PositionalIo;

/**
 * The durable intake spool: every message is appended here and fdatasynced <em>before</em> the MX
 * answers 250, and released only once the pipeline is done with it. After a crash the records not
 * released are exactly the messages that were acknowledged but not yet finished, so replaying them loses
 * nothing; the intake key makes a replay of an already finished message harmless downstream.
 *
 * <p>Why a journal and not a file per message: on this kind of disk, creating, renaming and deleting
 * one file per message costs more CPU in the file system than the whole SMTP exchange (ext4 searches its
 * inode bitmap past every recently deleted inode), and each message needed its own fsync. Appending to
 * one segment lets concurrent sessions share one fdatasync ({@link SpoolFlusher}) and creates no file at all
 * per message; and since the writes and that fdatasync run on a thread of its own, an SMTP thread never
 * waits for the disk: {@link #append} places the record and returns at once, and the 250 waits for the
 * returned future instead.
 *
 * <p>Layout under the spool directory:
 * <ul>
 *   <li>{@code <seq>.journal}: segments of records {@code [magic, length, CRC32C, key, payload]}, where
 *       the payload is the envelope as {@code name value} lines (values URL-encoded, UTF-8), an empty
 *       line, then the raw message bytes untouched. A new segment is started at each open and when the
 *       current one passes {@link #SEGMENT_BYTES}.</li>
 *   <li>{@code <seq>.released}: intake keys released from that segment, one per line. Not fsynced: if a
 *       crash loses a line, that message is replayed and the idempotent pipeline ignores it.</li>
 *   <li>{@code quarantine/<key>.spool} (envelope and bytes, same layout as a payload) plus
 *       {@code quarantine/<key>.reason}: messages the pipeline could not handle, kept for staff; damaged
 *       journal bytes go to {@code quarantine/<seq>-at-<offset>.damaged} with a reason file too.</li>
 * </ul>
 * A segment is deleted when it is no longer written to and every record in it is released.
 */
public final class Spool implements AutoCloseable {
    /** Size after which a new segment is started, so drained segments can be deleted. */
    static final long SEGMENT_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final String PAYLOAD_MAGIC = "trapline-spool 1";
    private static final int RECORD_MAGIC = 0x54525031; // "TRP1"
    private static final int RECORD_HEAD = 4 + 4 + 4 + 32;
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - RECORD_HEAD;
    private static final String JOURNAL = ".journal";
    private static final String RELEASED = ".released";
    private static final int MAX_REFUSED = 100_000;

    private final Path dir;
    private final Path quarantine;
    private final JournalIo journalIo;
    private final long maxPending;
    private final long segmentBytes;
    private final Map<String, Location> pendingByKey = new ConcurrentHashMap<>();
    /** Guarded by appendLock: change number of the last record appended. */
    private long appended;
    private final SpoolFlusher flusher;
    /** Intakes whose fdatasync failed, so their clients heard 451: the pipeline must drop them. Bounded. */
    private final Map<String, String> refused = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REFUSED;
        }
    });
    private final Object appendLock = new Object();
    /**
     * Guards the release logs and the deletion of segments' files. Taken after appendLock when both are
     * held, never the other way round.
     */
    private final Object releaseLock = new Object();
    /** Guarded by appendLock. */
    private final Map<Long, Segment> segments = new HashMap<>();
    /** Guarded by appendLock. */
    private Segment current;
    /** Guarded by appendLock: a sync failed, so the next append starts a new segment. */
    private boolean rollAfterFailure;
    /** Guarded by appendLock: records appended and not yet written, in the order of their offsets. */
    private List<Unwritten> unwritten = new ArrayList<>();
    private volatile boolean opened;

    /** A spool without a backlog limit whose flusher syncs as soon as anything waits. */
    public Spool(Path dir) {
        this(dir, Long.MAX_VALUE, Duration.ZERO);
    }

    /**
     * @param maxPending    most messages accepted but not yet finished; beyond it {@link #write} refuses
     *                      with {@link SpoolFullException} so the MX answers 451 instead of piling up
     *                      messages faster than the pipeline stores them
     * @param syncBatchWait how long an fdatasync may wait for more messages to cover while sessions append
     *                      concurrently (see {@link SpoolFlusher})
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
        this.journalIo = journalIo;
        this.dir = dir;
        this.quarantine = dir.resolve("quarantine");
        this.maxPending = maxPending;
        this.segmentBytes = segmentBytes;
        this.flusher = new SpoolFlusher(syncs.apply(this::writeAndForce), "spool-flush", syncBatchWait);
    }

    /** Thrown by {@link #write} when the backlog limit is reached; the client should retry later. */
    public static final class SpoolFullException extends IOException {
        private static final long serialVersionUID = 1L;

        SpoolFullException(long pending) {
            super(pending + " messages are waiting for the pipeline");
        }
    }

    /** Where one pending record lives, and when it is (or was) on disk. */
    private record Location(Segment segment, long offset, int length, CompletableFuture<Void> durable) {
    }

    private static final CompletableFuture<Void> ON_DISK = CompletableFuture.completedFuture(null);

    /** A record with its place in a segment, waiting for the flusher to write it. */
    private record Unwritten(String key, Segment segment, long offset, ByteBuffer[] record, CompletableFuture<Void> durable) {
    }

    /** One journal file with its release log; counts of live records decide when it can go. */
    private static final class Segment {
        final long seq;
        final Path journal;
        final Path released;
        FileChannel channel;
        FileChannel releaseLog;
        /** Guarded by appendLock: the end of the records placed in it, written or not. */
        long size;
        long live;
        boolean sealed;
        /** Flusher thread only: the end of the records written to it. */
        long written;
        /** Flusher thread only: its name is durable in the directory. */
        boolean named;
        /** Flusher thread only: a write to it failed, so nothing more is written to it. */
        boolean broken;
        /** Set under appendLock: every record in it is released and its files are (being) deleted. */
        volatile boolean deleted;

        Segment(Path dir, long seq) {
            this.seq = seq;
            this.journal = dir.resolve(String.format("%016d", seq) + JOURNAL);
            this.released = dir.resolve(String.format("%016d", seq) + RELEASED);
        }
    }

    /**
     * Creates the directories, reads what earlier runs left (acknowledged, not released) and starts a
     * new segment. Damaged journal bytes are moved to quarantine with a reason, never dropped.
     */
    public void open() throws IOException {
        Files.createDirectories(quarantine);
        if (!Files.isWritable(dir)) {
            throw new IOException("spool directory is not writable: " + dir);
        }
        long lastSeq = 0;
        synchronized (appendLock) {
            for (Path file : journalFiles(dir)) {
                Segment segment = new Segment(dir, seqOf(file));
                lastSeq = Math.max(lastSeq, segment.seq);
                segment.sealed = true;
                segment.channel = FileChannel.open(segment.journal, StandardOpenOption.READ);
                segment.size = segment.channel.size();
                Set<String> released = releasedKeys(segment.released);
                Scan scan = scan(segment.channel, segment.size);
                for (Map.Entry<String, long[]> r : scan.records().entrySet()) {
                    if (!released.contains(r.getKey())
                            && pendingByKey.putIfAbsent(r.getKey(), new Location(segment, r.getValue()[0], (int) r.getValue()[1], ON_DISK)) == null) {
                        segment.live++;
                    }
                }
                if (scan.damagedFrom() >= 0) {
                    keepDamaged(segment, scan.damagedFrom(), scan.problem());
                }
                segments.put(segment.seq, segment);
                if (segment.live == 0) {
                    delete(segment);
                }
            }
            current = newSegment(lastSeq + 1);
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
        MessageDigest sha = sha256();
        sha.update(sender.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        for (String rcpt : recipients) {
            sha.update(rcpt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update((byte) 0);
        sha.update(raw);
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * An accepted intake: the message with its key, and when it is durable. The future completes once
     * the record survives kill -9 and power loss (as far as fdatasync promises), or exceptionally when
     * the sync failed: then the client must hear 451, and the spool has already let go of the record.
     */
    public record Intake(SpooledMessage message, CompletableFuture<Void> durable) {
    }

    /**
     * Makes the message durable and returns it with its intake key. When this returns, the message
     * survives kill -9 and power loss (as far as fdatasync promises); when it throws, nothing was accepted.
     */
    public SpooledMessage write(Envelope envelope, byte[] raw) throws IOException {
        Intake intake = append(envelope, raw);
        try {
            intake.durable().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the spool fdatasync");
        }
        return intake.message();
    }

    /**
     * Appends the message and returns at once, without waiting for the disk: the flusher writes the
     * record and syncs it, and the returned future says when the client may hear 250 (it fails when the
     * write or the sync did: answer 451). Throws when the record cannot be taken at all (answer 451).
     */
    public Intake append(Envelope envelope, byte[] raw) throws IOException {
        checkOpen();
        String key = intakeKey(envelope.sender(), envelope.recipients(), raw);
        SpooledMessage message = new SpooledMessage(key, envelope, raw);
        Location waiting = pendingByKey.get(key);
        if (waiting != null) {
            // The same intake is already waiting (a client retry of a message we accepted before); it may
            // still be on its way to the disk in another session, and this 250 must not come first.
            return new Intake(message, waiting.durable());
        }
        if (pendingByKey.size() >= maxPending) {
            throw new SpoolFullException(pendingByKey.size());
        }
        ByteBuffer[] record = record(key, header(envelope), raw);
        int length = 0;
        for (ByteBuffer b : record) {
            length += b.remaining();
        }
        CompletableFuture<Void> durable;
        synchronized (appendLock) {
            Location raced = pendingByKey.get(key);
            durable = raced != null ? raced.durable() : append(key, record, length);
        }
        return new Intake(message, durable);
    }

    /**
     * The sync that should have made this intake durable failed, so its client hears 451 and will send it
     * again: let go of the record (a later replay would store it twice) and tell the pipeline to drop it.
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

    /**
     * Waits until this intake's record is on disk (normally long done when the pipeline asks) and says
     * whether it got there: false when its fdatasync failed, so its client heard 451 and will send it
     * again, and the pipeline must drop it. An intake the spool does not hold (released, or never
     * spooled) counts as acknowledged: better kept twice than lost.
     */
    public boolean acknowledged(String intakeKey) throws InterruptedException {
        Location at = pendingByKey.get(checkKey(intakeKey));
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
     * Places one record in the current segment for the flusher to write; returns when it will be on
     * disk. Guarded by appendLock. The caller (an SMTP thread) touches no file: under load a write that
     * extends the journal can wait for the file system's journal commit of the running fdatasync, and
     * every session behind this lock would wait with it.
     */
    private CompletableFuture<Void> append(String key, ByteBuffer[] record, int length) throws IOException {
        Segment segment = current;
        if (rollAfterFailure || segment.size > 0 && segment.size + length > segmentBytes) {
            segment = roll();
            rollAfterFailure = false;
        }
        long offset = segment.size;
        segment.size = offset + length;
        segment.live++;
        // Completed only once a refusal is done, so whoever sees the failure also sees the record let go.
        CompletableFuture<Void> durable = new CompletableFuture<>();
        pendingByKey.put(key, new Location(segment, offset, length, durable));
        unwritten.add(new Unwritten(key, segment, offset, record, durable));
        flusher.appended(++appended).whenComplete((ok, failure) -> {
            if (failure == null) {
                durable.complete(null);
            } else {
                refuse(key, failure);
                durable.completeExceptionally(failure);
            }
        });
        return durable;
    }

    /**
     * Forgets a finished message. Releasing a key twice, or one never spooled, is harmless. The release
     * is not fsynced: if a crash undoes it, the message is replayed and the idempotent pipeline ignores it.
     */
    public void release(String intakeKey) throws IOException {
        release(List.of(checkKey(intakeKey)));
    }

    /** Releases a batch of finished messages with one append per segment. */
    public void release(Collection<String> intakeKeys) throws IOException {
        Map<Segment, StringBuilder> lines = new LinkedHashMap<>();
        Map<Segment, Integer> counts = new HashMap<>();
        for (String key : intakeKeys) {
            Location at = pendingByKey.remove(checkKey(key));
            if (at != null) {
                lines.computeIfAbsent(at.segment(), s -> new StringBuilder()).append(key).append('\n');
                counts.merge(at.segment(), 1, Integer::sum);
            }
        }
        // The counts under appendLock, the files under releaseLock: the pipeline's thread that releases runs
        // behind the SMTP threads and must not hold them up while it writes.
        List<Segment> drained = new ArrayList<>();
        synchronized (appendLock) {
            for (Map.Entry<Segment, Integer> e : counts.entrySet()) {
                Segment segment = e.getKey();
                segment.live -= e.getValue();
                if (segment.sealed && segment.live == 0 && !segment.deleted) {
                    drain(segment);
                    drained.add(segment);
                }
            }
        }
        IOException failure = null;
        synchronized (releaseLock) {
            for (Map.Entry<Segment, StringBuilder> e : lines.entrySet()) {
                Segment segment = e.getKey();
                try {
                    if (drained.contains(segment)) {
                        deleteFiles(segment);
                    } else if (!segment.deleted) {
                        appendReleased(segment, e.getValue());
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

    /**
     * Moves a message the pipeline could not handle out of the replay path, keeping its bytes and the
     * reason for staff. The copy and reason are fsynced before the journal record is released, so a crash
     * in between leaves it pending, not lost.
     */
    public void quarantine(String intakeKey, String reason) throws IOException {
        Optional<byte[]> payload = payloadOf(checkKey(intakeKey));
        if (payload.isEmpty()) {
            return;
        }
        writeDurably(quarantine.resolve(intakeKey + ".spool"), payload.get());
        appendReason(quarantine.resolve(intakeKey + ".reason"), reason);
        syncDirectory(quarantine);
        release(List.of(intakeKey));
    }

    /** Messages acknowledged but not released, oldest first. */
    public List<SpooledMessage> pending() throws IOException {
        List<Map.Entry<String, Location>> waiting = new ArrayList<>(pendingByKey.entrySet());
        waiting.sort((a, b) -> a.getValue().segment().seq != b.getValue().segment().seq
                ? Long.compare(a.getValue().segment().seq, b.getValue().segment().seq)
                : Long.compare(a.getValue().offset(), b.getValue().offset()));
        List<SpooledMessage> result = new ArrayList<>();
        for (Map.Entry<String, Location> e : waiting) {
            Optional<SpooledMessage> m = find(e.getKey());
            m.ifPresent(result::add);
        }
        return result;
    }

    /** Number of messages in quarantine. */
    public long quarantined() throws IOException {
        return countQuarantined(dir);
    }

    /** The pending message with this key, if it is still waiting. */
    public Optional<SpooledMessage> find(String intakeKey) throws IOException {
        Optional<byte[]> payload = payloadOf(checkKey(intakeKey));
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(intakeKey, payload.get()));
        } catch (IllegalArgumentException e) {
            // The CRC matched, so these are the bytes we wrote: only a newer, unknown layout gets here.
            quarantine(intakeKey, "unreadable spool record: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Counts the messages acknowledged and not released in a spool directory, reading the files only:
     * for tools and tests looking at a spool another process owns.
     */
    public static long pendingOnDisk(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long n = 0;
        for (Path file : journalFiles(dir)) {
            Segment segment = new Segment(dir, seqOf(file));
            Set<String> released = releasedKeys(segment.released);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                for (String key : scan(ch, ch.size()).records().keySet()) {
                    if (!released.contains(key)) {
                        n++;
                    }
                }
            } catch (java.nio.file.NoSuchFileException drainedMeanwhile) {
                // deleted by the owner while we looked: nothing pending in it
            }
        }
        return n;
    }

    /** Counts the quarantined messages in a spool directory. */
    public static long countQuarantined(Path dir) throws IOException {
        Path q = dir.resolve("quarantine");
        if (!Files.isDirectory(q)) {
            return 0;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(q, "*.spool")) {
            long n = 0;
            for (Path ignored : stream) {
                n++;
            }
            return n;
        }
    }

    @Override
    public void close() throws IOException {
        // Whatever still waits for the disk gets its last sync (and its answer) before the files close.
        flusher.close();
        synchronized (appendLock) {
            synchronized (releaseLock) {
                opened = false;
                for (Segment s : segments.values()) {
                    closeChannels(s);
                }
                segments.clear();
            }
        }
    }

    private void checkOpen() throws IOException {
        if (!opened) {
            throw new IOException("the spool is not open");
        }
    }

    private Optional<byte[]> payloadOf(String key) throws IOException {
        Location at = pendingByKey.get(key);
        if (at == null) {
            return Optional.empty();
        }
        // Its bytes are in the file once it is durable (they are written by the flusher).
        try {
            at.durable().get();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a spool record to be written");
        }
        ByteBuffer buf = ByteBuffer.allocate(at.length());
        try {
            while (buf.hasRemaining()) {
                if (at.segment().channel.read(buf, at.offset() + buf.position()) < 0) {
                    throw new IOException("spool journal " + at.segment().journal + " is shorter than its index");
                }
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            // released meanwhile and its segment deleted
            return Optional.empty();
        }
        buf.flip();
        byte[] payload = new byte[at.length() - RECORD_HEAD];
        buf.position(RECORD_HEAD);
        buf.get(payload);
        return Optional.of(payload);
    }

    /**
     * The flusher's sync: writes the records appended so far, each segment's in one gathering write, and
     * makes them durable, with the name of a segment written to for the first time; when that fails, every
     * record it wrote is refused. When a write fails,
     * its records are refused (their clients hear 451) and so is every later one of that segment, which
     * is cut back to where the failed write started and written to no more: the next append starts a
     * new segment.
     */
    private void writeAndForce() throws IOException {
        List<Unwritten> batch;
        synchronized (appendLock) {
            batch = unwritten;
            unwritten = new ArrayList<>();
        }
        List<Segment> touched = new ArrayList<>(2);
        List<Unwritten> written = new ArrayList<>(batch.size());
        for (int from = 0; from < batch.size(); ) {
            Segment segment = batch.get(from).segment();
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
                fail(run, new IOException("an earlier write to spool journal " + segment.journal.getFileName() + " failed"));
                continue;
            }
            try {
                write(segment, run);
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot write to spool journal {}; {} messages are answered 451: {}", segment.journal.getFileName(),
                        run.size(), e.toString());
                segment.broken = true;
                truncateQuietly(segment, run.get(0).offset());
                synchronized (appendLock) {
                    rollAfterFailure = true;
                }
                fail(run, e instanceof IOException io ? io : new IOException(e));
                continue;
            }
            touched.add(segment);
            written.addAll(run);
        }
        try {
            for (Segment segment : touched) {
                if (!segment.named) {
                    // The new file's name must survive a crash before any record in it is acknowledged.
                    syncDirectory(dir);
                    segment.named = true;
                }
                journalIo.force(segment.channel);
            }
        } catch (IOException | RuntimeException e) {
            // What this sync wrote may be lost with it, also records appended after it started, which the
            // flusher would count as covered by the next sync (that one does not write them again).
            fail(written, e instanceof IOException io ? io : new IOException(e));
            throw e;
        }
    }

    /**
     * Writes records that follow each other in a segment, and follow what was written to it before, with
     * one gathering write. Refused ones are written too: the release log says they are not to be replayed,
     * and a hole would read as damage.
     */
    private void write(Segment segment, List<Unwritten> run) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[run.size() * 3];
        long end = segment.written;
        for (int i = 0; i < run.size(); i++) {
            Unwritten u = run.get(i);
            if (u.offset() != end) {
                throw new IOException("spool record at " + u.offset() + " does not follow the written end " + end);
            }
            for (int j = 0; j < 3; j++) {
                buffers[i * 3 + j] = u.record()[j];
                end += u.record()[j].remaining();
            }
        }
        // Only the flusher writes, and only here, so the channel's own position is where it is put.
        segment.channel.position(segment.written);
        long length = end - segment.written;
        long written = 0;
        while (written < length) {
            written += journalIo.write(segment.channel, buffers);
        }
        segment.written = end;
    }

    /** Refuses records that were not written: their clients hear 451. */
    private void fail(List<Unwritten> run, IOException why) {
        for (Unwritten u : run) {
            if (u.durable().isDone()) {
                continue;
            }
            refuse(u.key(), why);
            u.durable().completeExceptionally(why);
        }
    }

    /** Guarded by appendLock. */
    private Segment roll() throws IOException {
        Segment old = current;
        // Records of the old segment still waiting are written and forced by the flusher like any other.
        old.sealed = true;
        current = newSegment(old.seq + 1);
        if (old.live == 0) {
            delete(old);
        }
        return current;
    }

    /** Guarded by appendLock. */
    private Segment newSegment(long seq) throws IOException {
        Segment segment = new Segment(dir, seq);
        segment.channel = FileChannel.open(segment.journal, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        // Its name is made durable by the flusher, before the first record in it is acknowledged.
        segments.put(seq, segment);
        return segment;
    }

    /** Guarded by appendLock. */
    private void delete(Segment segment) throws IOException {
        drain(segment);
        synchronized (releaseLock) {
            deleteFiles(segment);
        }
    }

    /** Guarded by appendLock: the segment is done with; its files go next, under releaseLock. */
    private void drain(Segment segment) {
        segment.deleted = true;
        segments.remove(segment.seq);
    }

    /** Guarded by releaseLock. */
    private static void deleteFiles(Segment segment) throws IOException {
        closeChannels(segment);
        Files.deleteIfExists(segment.journal);
        Files.deleteIfExists(segment.released);
    }

    /** Guarded by releaseLock. */
    private static void appendReleased(Segment segment, CharSequence keys) throws IOException {
        if (segment.releaseLog == null) {
            segment.releaseLog = FileChannel.open(segment.released, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        ByteBuffer buf = StandardCharsets.US_ASCII.encode(keys.toString());
        while (buf.hasRemaining()) {
            segment.releaseLog.write(buf);
        }
    }

    private static void closeChannels(Segment segment) {
        for (FileChannel ch : new FileChannel[] {segment.channel, segment.releaseLog}) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    LOG.warn("cannot close {}: {}", segment.journal, e.toString());
                }
            }
        }
    }

    private static void truncateQuietly(Segment segment, long size) {
        try {
            segment.channel.truncate(size);
        } catch (IOException e) {
            LOG.error("cannot cut a partial record from {}: {}", segment.journal, e.toString());
        }
    }

    /** Copies damaged bytes from the end of a segment to quarantine, with the reason, then cuts them off. */
    private void keepDamaged(Segment segment, long from, String problem) throws IOException {
        String name = String.format("%016d-at-%d", segment.seq, from);
        ByteBuffer rest = ByteBuffer.allocate((int) Math.min(segment.size - from, MAX_PAYLOAD));
        segment.channel.read(rest, from);
        writeDurably(quarantine.resolve(name + ".damaged"), java.util.Arrays.copyOf(rest.array(), rest.position()));
        appendReason(quarantine.resolve(name + ".reason"), "damaged spool journal " + segment.journal.getFileName()
                + " from byte " + from + ": " + problem);
        syncDirectory(quarantine);
        LOG.error("spool journal {} is damaged from byte {} ({}); {} bytes kept in quarantine as {}.damaged",
                segment.journal.getFileName(), from, problem, segment.size - from, name);
    }

    /** What a segment holds: record offsets and lengths by key, and where damage starts (-1: none). */
    private record Scan(Map<String, long[]> records, long damagedFrom, String problem) {
    }

    private static Scan scan(FileChannel ch, long size) throws IOException {
        Map<String, long[]> records = new LinkedHashMap<>();
        ByteBuffer head = ByteBuffer.allocate(RECORD_HEAD);
        long offset = 0;
        while (offset < size) {
            head.clear();
            if (PositionalIo.readFully(ch, head, offset) < RECORD_HEAD) {
                return new Scan(records, offset, "a record header cut short");
            }
            head.flip();
            int magic = head.getInt();
            int length = head.getInt();
            int crc = head.getInt();
            if (magic != RECORD_MAGIC || length < 0 || length > MAX_PAYLOAD || offset + RECORD_HEAD + length > size) {
                return new Scan(records, offset, magic != RECORD_MAGIC ? "no record starts here" : "a record cut short");
            }
            byte[] keyBytes = new byte[32];
            head.get(keyBytes);
            ByteBuffer payload = ByteBuffer.allocate(length);
            PositionalIo.readFully(ch, payload, offset + RECORD_HEAD);
            CRC32C check = new CRC32C();
            check.update(keyBytes);
            check.update(payload.array());
            if ((int) check.getValue() != crc) {
                return new Scan(records, offset, "checksum mismatch");
            }
            records.put(HexFormat.of().formatHex(keyBytes), new long[] {offset, RECORD_HEAD + length});
            offset += RECORD_HEAD + length;
        }
        return new Scan(records, -1, null);
    }

    /** A journal record as buffers for one gathering write: head, envelope, raw bytes. */
    private static ByteBuffer[] record(String key, byte[] header, byte[] raw) throws IOException {
        if ((long) header.length + raw.length > MAX_PAYLOAD) {
            throw new IOException("message too large for the spool: " + raw.length + " bytes");
        }
        byte[] keyBytes = HexFormat.of().parseHex(key);
        CRC32C crc = new CRC32C();
        crc.update(keyBytes);
        crc.update(header);
        crc.update(raw);
        ByteBuffer head = ByteBuffer.allocate(RECORD_HEAD)
                .putInt(RECORD_MAGIC).putInt(header.length + raw.length).putInt((int) crc.getValue()).put(keyBytes).flip();
        return new ByteBuffer[] {head, ByteBuffer.wrap(header), ByteBuffer.wrap(raw)};
    }

    private static List<Path> journalFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + JOURNAL)) {
            for (Path p : stream) {
                if (p.getFileName().toString().matches("\\d{16}\\" + JOURNAL)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    private static long seqOf(Path journal) {
        String name = journal.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - JOURNAL.length()));
    }

    private static Set<String> releasedKeys(Path releaseLog) throws IOException {
        if (!Files.exists(releaseLog)) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(releaseLog, StandardCharsets.US_ASCII)) {
            // A torn last line (crash mid-append) is no valid key and simply does not count.
            if (line.length() == 64 && line.matches("[0-9a-f]{64}")) {
                keys.add(line);
            }
        }
        return keys;
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void appendReason(Path file, String reason) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = StandardCharsets.UTF_8.encode(Instant.now() + " " + reason + System.lineSeparator());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static String checkKey(String key) {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not an intake key: " + key);
        }
        return key;
    }

    private static byte[] header(Envelope e) {
        StringBuilder b = new StringBuilder(PAYLOAD_MAGIC).append('\n');
        line(b, "sender", e.sender());
        for (String rcpt : e.recipients()) {
            line(b, "rcpt", rcpt);
        }
        line(b, "client-ip", e.clientIp());
        line(b, "client-helo", e.clientHelo());
        line(b, "received-at", e.receivedAt().toString());
        if (e.hitId() != 0) {
            line(b, "hit-id", Long.toString(e.hitId()));
        }
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(name).append(' ').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('\n');
    }

    private static SpooledMessage read(String key, byte[] payload) {
        int end = indexOf(payload, new byte[] {'\n', '\n'});
        if (end < 0) {
            throw new IllegalArgumentException("no end of spool header");
        }
        String[] lines = new String(payload, 0, end, StandardCharsets.UTF_8).split("\n");
        if (!PAYLOAD_MAGIC.equals(lines[0])) {
            throw new IllegalArgumentException("not a Trapline spool record");
        }
        String sender = null;
        String clientIp = null;
        String helo = "";
        Instant at = null;
        long hitId = 0;
        List<String> rcpts = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int sp = lines[i].indexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException("bad spool header line " + (i + 1));
            }
            String value = URLDecoder.decode(lines[i].substring(sp + 1), StandardCharsets.UTF_8);
            switch (lines[i].substring(0, sp)) {
                case "sender" -> sender = value;
                case "rcpt" -> rcpts.add(value);
                case "client-ip" -> clientIp = value;
                case "client-helo" -> helo = value;
                case "received-at" -> at = Instant.parse(value);
                case "hit-id" -> hitId = Long.parseLong(value);
                default -> { /* a later version's field: ignore */ }
            }
        }
        if (sender == null || clientIp == null || at == null || rcpts.isEmpty()) {
            throw new IllegalArgumentException("incomplete spool header");
        }
        byte[] raw = new byte[payload.length - end - 2];
        System.arraycopy(payload, end + 2, raw, 0, raw.length);
        return new SpooledMessage(key, new Envelope(sender, rcpts, clientIp, helo, at, hitId), raw);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
