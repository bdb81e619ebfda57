package org.trapline.mailets.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

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

    private final Sync sync;
    private final String threadName;
    /** Guarded by this; oldest change first. */
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.change, b.change));
    /** Guarded by this: the highest change number registered. */
    private long appended;
    /** Guarded by this: every change up to this one is durable. */
    private long durable;
    private boolean closed;
    private Thread thread;

    SpoolFlusher(Sync sync, String threadName) {
        this.sync = sync;
        this.threadName = threadName;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Registers change number {@code change}, whose bytes are already written to the file; the future
     * completes once a sync covers it. Numbers must be registered after their write, in any order.
     */
    CompletableFuture<Void> appended(long change) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
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
            if (waiting.size() == 1) {
                // The flusher sleeps only while nothing waits; wake it for the first record.
                notifyAll();
            }
        }
        return done;
    }

    /** Every change registered so far: for a writer that needs the current end of the file durable. */
    synchronized long lastAppended() {
        return appended;
    }

    private void run() {
        while (true) {
            long covers;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only close() stops us, so that no registered record is left waiting
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                covers = appended;
            }
            IOException failure = null;
            try {
                sync.run();
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
                LOG.error("spool fdatasync failed; the messages it covered are answered 451: {}", e.toString());
            }
            complete(covers, failure);
        }
    }

    /** Completes every waiting record up to {@code covers}, outside the lock (callbacks run here). */
    private void complete(long covers, IOException failure) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            if (failure == null) {
                durable = Math.max(durable, covers);
            }
            while (!waiting.isEmpty() && waiting.peek().change <= covers) {
                done.add(waiting.poll().done);
            }
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
        synchronized (this) {
            closed = true;
            notifyAll();
            t = thread;
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
