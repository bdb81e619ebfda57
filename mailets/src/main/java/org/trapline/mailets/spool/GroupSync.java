package org.trapline.mailets.spool;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Group commit for one expensive sync (an fsync of the spool directory): a writer that needs changes up
 * to number {@code n} made durable either finds a sync that started after {@code n} already done, or
 * runs one itself that covers every change made so far. Concurrent SMTP sessions thus share one fsync
 * instead of queueing for one each, while no writer returns before its own change is durable.
 */
final class GroupSync {
    /** The sync itself. */
    interface Action {
        void run() throws IOException;
    }

    private final Action action;
    private final LongSupplier changesSoFar;
    private long durableUpTo;
    private boolean running;

    GroupSync(Action action, LongSupplier changesSoFar) {
        this.action = action;
        this.changesSoFar = changesSoFar;
    }

    /** Returns once change number {@code change} (and all before it) is covered by a completed sync. */
    void syncCovering(long change) throws IOException {
        synchronized (this) {
            while (true) {
                if (durableUpTo >= change) {
                    return;
                }
                if (!running) {
                    running = true;
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the spool fsync", e);
                }
            }
        }
        long covers = changesSoFar.getAsLong();
        boolean ok = false;
        try {
            action.run();
            ok = true;
        } finally {
            synchronized (this) {
                running = false;
                if (ok) {
                    durableUpTo = Math.max(durableUpTo, covers);
                }
                notifyAll();
            }
        }
    }
}
