package org.trapline.mailets.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes spool appends durable on a thread of its own: while records wait, it runs one sync after
 * another, each covering every record appended before it started, and then completes those records'
 * futures. Writers thus never wait for the disk on their own thread: an SMTP session appends, hands its
 * reply to the future and goes on serving other sessions, and under load one fdatasync covers every
 * record that arrived during the previous one (group commit). A future completes normally only after a
 * sync that started after its record was appended has finished; it completes exceptionally when that
 * sync failed, and then nothing about the record's durability is known.
 *
 * <p>Under concurrent load one sync would otherwise cover little more than one record: records arrive
 * about as fast as a sync takes. So when records arrived while the previous sync ran (more sessions are
 * waiting than one), the next sync first waits up to {@code batchWait} for more to join, or until
 * {@link #FULL_BATCH} are waiting. A lone session never waits: no record arrives during its own sync.
 *
 * <p>Call order: {@link #start()}, then {@link #appended(long)} from any thread, then {@link #close()},
 * which runs a last sync for whatever is still waiting.
 */
final class SpoolFlusher implements AutoCloseable {
    /** The sync itself: makes every record appended so far durable, or throws. */
    interface Sync {
        void run() throws IOException;
    }

    private record Waiting(long change, CompletableFuture<Void> done) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpoolFlusher.class);
    /** Records that make a sync worth starting at once. */
    static final int FULL_BATCH = 16;

    private final Sync sync;
    private final String threadName;
    private final long batchWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the first record waits, when a batch is full, and at close. */
    private final Condition work = lock.newCondition();
    /** Guarded by lock; oldest change first. */
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.change, b.change));
    /** Guarded by lock: the highest change number registered. */
    private long appended;
    /** Guarded by lock: every change up to this one is durable. */
    private long durable;
    /** Guarded by lock. */
    private boolean closed;
    /** Guarded by lock. */
    private Thread thread;

    /**
     * @param batchWait how long a sync may wait for more records when they arrive concurrently; zero
     *                  syncs as soon as anything waits
     */
    SpoolFlusher(Sync sync, String threadName, Duration batchWait) {
        this.sync = sync;
        this.threadName = threadName;
        this.batchWaitNanos = batchWait.toNanos();
    }

    void start() {
        lock.lock();
        try {
            if (thread == null) {
                thread = new Thread(this::run, threadName);
                thread.setDaemon(true);
                thread.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers change number {@code change}, whose bytes the next sync finds (written to the file, or
     * handed to the sync to write); the future completes once a sync covers it. Numbers must be
     * registered after that, in any order.
     */
    CompletableFuture<Void> appended(long change) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                done.completeExceptionally(new IOException("the spool is closed"));
                return done;
            }
            if (change <= durable) {
                done.complete(null);
                return done;
            }
            appended = Math.max(appended, change);
            waiting.add(new Waiting(change, done));
            if (waiting.size() == 1 || waiting.size() == FULL_BATCH) {
                // The flusher sleeps while nothing waits, or while a batch fills: wake it when that changes.
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return done;
    }

    private void run() {
        boolean concurrent = false;
        while (true) {
            long covers;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closed) {
                    work.awaitUninterruptibly();
                }
                if (waiting.isEmpty()) {
                    return;
                }
                for (long left = concurrent ? batchWaitNanos : 0; left > 0 && waiting.size() < FULL_BATCH && !closed; ) {
                    left = awaitQuietly(left);
                }
                covers = appended;
            } finally {
                lock.unlock();
            }
            IOException failure = null;
            try {
                sync.run();
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
                LOG.error("spool fdatasync failed; the messages it covered are answered 451: {}", e.toString());
            }
            lock.lock();
            try {
                concurrent = appended > covers;
            } finally {
                lock.unlock();
            }
            complete(covers, failure);
        }
    }

    /** Holding lock: waits up to {@code nanos} for a signal; returns the time left. */
    private long awaitQuietly(long nanos) {
        try {
            return work.awaitNanos(nanos);
        } catch (InterruptedException e) {
            // only close() stops us, so that no registered record is left waiting
            return nanos;
        }
    }

    /** Completes every waiting record up to {@code covers}, outside the lock (callbacks run here). */
    private void complete(long covers, IOException failure) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        lock.lock();
        try {
            if (failure == null) {
                durable = Math.max(durable, covers);
            }
            while (!waiting.isEmpty() && waiting.peek().change <= covers) {
                done.add(waiting.poll().done);
            }
        } finally {
            lock.unlock();
        }
        for (CompletableFuture<Void> f : done) {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        }
    }

    /** Runs a last sync for what still waits and stops the thread. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            work.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
