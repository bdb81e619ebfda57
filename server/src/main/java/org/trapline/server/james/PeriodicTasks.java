package org.trapline.server.james;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;

import org.apache.james.lifecycle.api.Startable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's housekeeping that runs with James: block expiry (restoring CoA, review timeouts) and
 * raw-body retention. A task that fails is logged and tried again at its next turn; it never stops the
 * others.
 */
public class PeriodicTasks implements Startable {
    /** A unit of housekeeping; may throw, which is logged. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private record Entry(String name, Duration firstAfter, Duration every, Task task) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTasks.class);

    private final List<Entry> entries = new ArrayList<>();
    private ScheduledExecutorService timer;

    /** Adds a task before {@link #start()}: first run after {@code firstAfter}, then every {@code every}. */
    public PeriodicTasks add(String name, Duration firstAfter, Duration every, Task task) {
        entries.add(new Entry(name, firstAfter, every, task));
        return this;
    }

    public synchronized void start() {
        timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "trapline-housekeeping");
            t.setDaemon(true);
            return t;
        });
        for (Entry e : entries) {
            timer.scheduleWithFixedDelay(() -> runQuietly(e), e.firstAfter().toMillis(), e.every().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void runQuietly(Entry e) {
        try {
            e.task().run();
        } catch (Exception | Error failure) {
            LOG.error("{} failed (tried again in {}): {}", e.name(), e.every(), failure.toString());
        }
    }

    @PreDestroy
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
