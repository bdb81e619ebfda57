package org.trapline.server.james;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;

import org.apache.james.lifecycle.api.Startable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.PurgeReport;

/**
 * Applies {@code evidence.retention.raw-days} while the server runs: raw bodies older than that are
 * purged (journaled) shortly after start and then every {@code interval}; hit rows stay.
 */
public class RetentionService implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    private final EvidenceStore store;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public RetentionService(EvidenceStore store, Duration interval) {
        this.store = store;
        this.interval = interval;
    }

    public synchronized void start() {
        if (store.settings().rawRetention().isZero()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raw-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::purge, 60_000, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void purge() {
        try {
            PurgeReport r = store.purgeExpiredRaw("retention");
            if (r.hits() > 0) {
                LOG.info("retention: raw bodies of {} trap hits purged ({} files), journal #{}", r.hits(), r.rawFilesDeleted(), r.journalId());
            }
        } catch (RuntimeException e) {
            LOG.error("retention purge failed (retried in {}): {}", interval, e.toString());
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
