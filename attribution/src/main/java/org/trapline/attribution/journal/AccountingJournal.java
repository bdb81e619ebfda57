package org.trapline.attribution.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.SessionFreshness;
import org.trapline.attribution.session.SessionStore;

/**
 * The accounting journal: where a RADIUS accounting record is committed before it is acknowledged
 * (FreeRADIUS's "decoupled accounting", with the session store in place of the SQL module). A commit
 * is one append of a batch of CRC-checked records to a file under {@code <data>/sessions/journal};
 * an applier thread folds them into the session store in large batches, recording in the same
 * transaction how far it got, so that after a crash the records after that point, and only those,
 * are applied again.
 *
 * <p>Durability of an acknowledged record, the same promise the session store makes for its own
 * commits: it survives the process being killed (kill -9, a JVM crash) because it was written to the
 * file before the answer went out. It survives a power cut or kernel crash only with
 * {@code attribution.radius.journal.fsync=true}, which forces each group commit to the disk
 * (fdatasync) before answering.
 *
 * <p>Readers that must not miss a record acknowledged before they started use {@link #await()} (this
 * is the {@link SessionFreshness} the lookup is given). A crash that cut a write in half leaves a torn
 * record at the end, which {@link #open} cuts off with a logged count (it was never acknowledged). A
 * record the store refuses is written to {@code quarantine.log} beside the journal and logged, never
 * retried forever. Journal files are deleted once the store has them (after forcing the store to disk).
 */
public final class AccountingJournal implements SessionFreshness, AutoCloseable {
    /** Directory under the session store's directory. */
    public static final String DIRECTORY = "journal";
    /** The journal's name in the store's position table. */
    static final String NAME = "radius";
    private static final Logger log = LoggerFactory.getLogger(AccountingJournal.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** No commit for this long: the traffic paused, the applier may work without pausing. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Past this backlog the applier never pauses: at H2's 10,000 to 40,000 records/s it bounds what a
     * lookup arriving during a burst waits for to about a second or two.
     */
    private static final long PAUSE_BELOW_BYTES = 8L << 20;

    /** What {@link #bringUpToDate} found and did. */
    public enum CatchUp {
        /** There was nothing unapplied (or no journal at all). */
        UP_TO_DATE,
        /** Unapplied records were applied now. */
        REPLAYED
    }

    private final JournalSettings settings;
    private final SessionStore store;
    private final JournalFiles files;
    private final Path quarantine;
    private final JournalCodec.Frames frames = new JournalCodec.Frames();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final AtomicLong quarantined = new AtomicLong(), freshnessTimeouts = new AtomicLong(),
            appliedRecords = new AtomicLong(), committedRecords = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final ByteBuffer readBuffer = JournalFiles.readBuffer();
    private final AtomicInteger readersWaiting = new AtomicInteger();
    private volatile long lastCommitNanos;
    private volatile long applied;
    private volatile boolean closing;
    private Thread applier;

    private AccountingJournal(JournalSettings settings, SessionStore store, JournalFiles files, Path dir, long applied) {
        this.settings = settings;
        this.store = store;
        this.files = files;
        this.quarantine = dir.resolve("quarantine.log");
        this.applied = applied;
    }

    /**
     * Opens (creating if needed) the journal of the store in {@code dataDir} and starts applying what it
     * holds beyond the store's position. Only one process may hold it.
     *
     * @throws UncheckedIOException if it cannot be opened, or another process holds it
     */
    public static AccountingJournal open(Path dataDir, JournalSettings settings, SessionStore store) {
        AccountingJournal j;
        try {
            j = openWithoutApplier(dataDir, settings, store);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        j.logTail();
        j.applier = new Thread(j::applyLoop, "radius-acct-applier");
        j.applier.setDaemon(true);
        j.applier.start();
        return j;
    }

    /**
     * The journal with its applier not started: commits only; what is committed is applied at the next
     * {@link #open} or by {@link #bringUpToDate}. For replaying by hand, benchmarks of the applier alone,
     * and tests, where it is what a process that crashed before applying leaves behind.
     */
    public static AccountingJournal openWithoutApplier(Path dataDir, JournalSettings settings, SessionStore store) throws IOException {
        Path dir = directory(dataDir);
        long applied = store.journalPosition(NAME);
        JournalFiles files = JournalFiles.open(dir, settings.segmentBytes(), settings.fsync(), applied);
        if (applied > files.end()) {
            // The store holds records the journal lost (a power cut without fsync): never reuse their positions.
            log.warn("accounting journal ends at {} but the session store applied it up to {}; continuing after that", files.end(), applied);
            files.startAt(applied);
        }
        return new AccountingJournal(settings, store, files, dir, applied);
    }

    private void logTail() {
        if (applied < files.end()) {
            log.info("accounting journal: {} bytes acknowledged before the last stop are not yet in the session store; applying them",
                    files.end() - applied);
        }
    }

    static Path directory(Path dataDir) {
        return dataDir.resolve(SessionStore.DIRECTORY).resolve(DIRECTORY);
    }

    /**
     * Commits records: one append (forced to disk if so configured). On return they are durable and may
     * be acknowledged. Waits first while more than the configured unapplied bytes lie ahead of the
     * applier. Meant for one writer thread (calls are serialised).
     *
     * @return the journal position after them
     * @throws IOException if the append failed (nothing may be acknowledged)
     */
    public synchronized long commit(List<AccountingEvent> events) throws IOException {
        throttle();
        frames.clear();
        for (AccountingEvent e : events) {
            frames.add(e);
        }
        long end = files.append(frames);
        lastCommitNanos = System.nanoTime();
        committedRecords.addAndGet(events.size());
        LockSupport.unpark(applier);
        return end;
    }

    private void throttle() {
        if (files.end() - applied <= settings.maxUnappliedBytes()) {
            return;
        }
        lock.lock();
        try {
            while (!closing && files.end() - applied > settings.maxUnappliedBytes()) {
                advanced.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** The journal position after the last commit. */
    public long position() {
        return files.end();
    }

    /** The position up to which the session store holds the journal's records. */
    public long appliedPosition() {
        return applied;
    }

    /**
     * Waits until the store holds every record committed before the call, at most the configured
     * freshness timeout; past it, logs (at most every 10 s) and returns so the caller answers from what
     * is there.
     */
    @Override
    public void await() {
        long target = files.end();
        if (applied >= target) {
            return;
        }
        if (!awaitApplied(target, settings.freshnessTimeout())) {
            freshnessTimeouts.incrementAndGet();
            warn("a lookup waited {} ms for the session store to apply the accounting journal and went ahead {} bytes "
                    + "behind (the store is slower than the accounting arriving)", settings.freshnessTimeout().toMillis(), target - applied);
        }
    }

    /** Waits until the store holds the journal up to {@code position}; false if {@code timeout} passed first. */
    public boolean awaitApplied(long position, Duration timeout) {
        if (applied >= position) {
            return true;
        }
        long left = timeout.toNanos();
        readersWaiting.incrementAndGet();
        lock.lock();
        try {
            while (applied < position) {
                if (left <= 0 || closing) {
                    return false;
                }
                LockSupport.unpark(applier);
                left = advanced.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return applied >= position;
        } finally {
            lock.unlock();
            readersWaiting.decrementAndGet();
        }
    }

    /** Records committed, applied and quarantined since open; lookups that gave up waiting. */
    public long committedRecords() {
        return committedRecords.get();
    }

    public long appliedRecords() {
        return appliedRecords.get();
    }

    public long quarantinedRecords() {
        return quarantined.get();
    }

    public long freshnessTimeouts() {
        return freshnessTimeouts.get();
    }

    /**
     * Stops the applier after its current batch and closes the files. Records not yet applied stay in
     * the journal and are applied at the next {@link #open} (or by {@link #bringUpToDate}). Stop the
     * accounting server first: nothing may be committed after this.
     */
    @Override
    public void close() {
        closing = true;
        if (applier != null) {
            LockSupport.unpark(applier);
            try {
                applier.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
        files.close();
    }

    /**
     * For a process that opens the store of {@code dataDir} while no server runs (e.g. {@code who}): makes
     * sure the store holds every acknowledged accounting record by applying the journal's unapplied ones now.
     * (Beside a running server, commands run inside it and its lookups wait for its own applier.)
     *
     * @throws UncheckedIOException if the journal cannot be read, another process holds it, or the store
     *                              refuses its records
     */
    public static CatchUp bringUpToDate(Path dataDir, JournalSettings settings, SessionStore store) {
        try {
            return catchUp(dataDir, settings, store);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static CatchUp catchUp(Path dataDir, JournalSettings settings, SessionStore store) throws IOException {
        Path dir = directory(dataDir);
        if (!Files.isDirectory(dir)) {
            return CatchUp.UP_TO_DATE;
        }
        AccountingJournal j = openWithoutApplier(dataDir, settings, store);
        try {
            if (j.applied >= j.files.end()) {
                return CatchUp.UP_TO_DATE;
            }
            j.logTail();
            while (j.applied < j.files.end()) {
                if (!j.applyAvailable()) {
                    throw new IOException("the session store refuses the accounting journal's records; see the log");
                }
            }
            return CatchUp.REPLAYED;
        } finally {
            j.close();
        }
    }

    private void applyLoop() {
        while (!closing) {
            try {
                if (applied >= files.end()) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                    continue;
                }
                long started = System.nanoTime();
                if (!applyAvailable()) {
                    // The store itself fails (not one record): wait and try the same records again.
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                    continue;
                }
                pauseForTraffic(System.nanoTime() - started);
            } catch (IOException | RuntimeException e) {
                warn("applying the accounting journal failed, retrying: {}", e.toString(), "");
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    /**
     * While accounting keeps arriving, leaves the processors to the answering path for a while after a
     * batch that took {@code worked} nanoseconds, so that the applier gets about its configured share.
     * Stops pausing as soon as a reader waits for freshness, the traffic pauses, or the backlog grows past
     * {@link #PAUSE_BELOW_BYTES}.
     */
    private void pauseForTraffic(long worked) {
        int share = settings.applySharePercent();
        if (share >= 100) {
            return;
        }
        long until = System.nanoTime() + worked * (100 - share) / share;
        while (!closing && readersWaiting.get() == 0 && files.end() - applied < PAUSE_BELOW_BYTES) {
            long now = System.nanoTime();
            if (now >= until || now - lastCommitNanos > QUIET_NANOS) {
                return;
            }
            LockSupport.parkNanos(this, Math.min(until - now, QUIET_NANOS));
        }
    }

    /**
     * Applies the next batch of records in one transaction (one by one if the store refuses the batch).
     *
     * @return false if the store cannot take even an empty transaction right now
     */
    private boolean applyAvailable() throws IOException {
        long from = applied;
        List<JournalFiles.Entry> entries = files.read(from, files.end(), settings.applyBatch(), readBuffer);
        if (entries.isEmpty()) {
            return true;
        }
        List<AccountingEvent> events = new ArrayList<>(entries.size());
        for (JournalFiles.Entry e : entries) {
            if (e.event() != null) {
                events.add(e.event());
            } else {
                quarantine(e, e.problem());
            }
        }
        long to = entries.get(entries.size() - 1).end();
        try {
            store.applyJournal(events, NAME, to);
            advance(to, events.size());
        } catch (RuntimeException batchFailed) {
            for (JournalFiles.Entry e : entries) {
                if (e.event() == null) {
                    continue;
                }
                try {
                    store.applyJournal(List.of(e.event()), NAME, e.end());
                    advance(e.end(), 1);
                } catch (RuntimeException refused) {
                    // The record is the problem only if the store takes a transaction without it.
                    quarantine(e, refused.toString());
                    try {
                        store.applyJournal(List.of(), NAME, e.end());
                    } catch (RuntimeException storeDown) {
                        warn("the session store fails ({}); accounting records wait in the journal", storeDown.toString(), "");
                        return false;
                    }
                    advance(e.end(), 0);
                }
            }
            store.applyJournal(List.of(), NAME, to);
            advance(to, 0);
        }
        if (files.files() > 1 && files.hasWhollyBelow(applied)) {
            store.syncToDisk();
            files.deleteBelow(applied);
        }
        return true;
    }

    private void advance(long to, int records) {
        appliedRecords.addAndGet(records);
        applied = to;
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void quarantine(JournalFiles.Entry e, String problem) throws IOException {
        quarantined.incrementAndGet();
        String line = Instant.now() + " position=" + e.end() + " problem=" + problem.replace('\n', ' ')
                + (e.event() == null ? "" : " record=" + e.event().toString().replace('\n', ' ')) + "\n";
        try (Writer w = Files.newBufferedWriter(quarantine, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(line);
        }
        warn("an accounting record from the journal cannot be stored ({}); it is kept in {}", problem, quarantine);
    }

    private void warn(String format, Object a, Object b) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= LOG_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn(format, a, b);
        }
    }

    @Override
    public String toString() {
        return "AccountingJournal[position=" + files.end() + ", applied=" + applied + ", files=" + files.files() + "]";
    }
}
