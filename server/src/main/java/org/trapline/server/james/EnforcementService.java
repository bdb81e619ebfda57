package org.trapline.server.james;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;

import org.apache.james.lifecycle.api.Startable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.evidence.policy.Enforcer;

/**
 * Runs with James: at start it resumes actions a crash left queued; then it lets blocks expire on
 * their own (restoring CoA, review timeouts) by sweeping every {@code interval}.
 */
public class EnforcementService implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(EnforcementService.class);

    private final Enforcer enforcer;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public EnforcementService(Enforcer enforcer, Duration interval) {
        this.enforcer = enforcer;
        this.interval = interval;
    }

    public synchronized void start() {
        enforcer.resumeQueued();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "block-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            enforcer.expireDue();
        } catch (RuntimeException e) {
            LOG.error("block expiry sweep failed (retried in {}): {}", interval, e.toString());
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
