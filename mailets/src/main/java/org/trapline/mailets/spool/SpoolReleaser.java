package org.trapline.mailets.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of spooled messages in batches, each batch only after a durability barrier (the evidence
 * store's disk flush) has covered everything the pipeline wrote for them. Until then the fsynced spool
 * copy is what protects an acknowledged message; afterwards the evidence does. One flush thus serves
 * every hit finished in the interval instead of each hit paying its own fsyncs.
 *
 * <p>Call order: {@link #start()}, then {@link #releaseAfterBarrier} from any thread, then {@link #stop()},
 * which runs one last barrier and release.
 */
public final class SpoolReleaser {
    /** Makes everything written so far durable; throws when it cannot (nothing is released then). */
    @FunctionalInterface
    public interface Barrier {
        void run() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpoolReleaser.class);

    private final DurableIntake spool;
    private final Barrier barrier;
    private final Duration interval;
    private final Queue<String> waiting = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService timer;

    public SpoolReleaser(DurableIntake spool, Barrier barrier, Duration interval) {
        this.spool = spool;
        this.barrier = barrier;
        this.interval = interval;
    }

    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spool-release");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The pipeline is done with this intake; release its spool file after the next barrier. */
    public void releaseAfterBarrier(String intakeKey) {
        waiting.add(intakeKey);
    }

    /** Runs a barrier and releases what was waiting before it. Public for tests. */
    public synchronized void flush() {
        List<String> batch = new ArrayList<>();
        for (String key; (key = waiting.poll()) != null; ) {
            batch.add(key);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            barrier.run();
        } catch (Exception e) {
            // Keep the spool files: a later flush or the next start's replay covers them.
            waiting.addAll(batch);
            LOG.error("evidence flush failed, {} spooled messages kept: {}", batch.size(), e.toString());
            return;
        }
        try {
            spool.release(batch);
        } catch (IOException e) {
            LOG.warn("cannot release {} spooled messages (replayed harmlessly at next start): {}", batch.size(), e.toString());
        }
    }

    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        flush();
    }
}
