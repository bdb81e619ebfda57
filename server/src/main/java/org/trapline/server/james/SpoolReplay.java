package org.trapline.server.james;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.mailets.spool.Spool;
import org.trapline.mailets.spool.SpoolHook;
import org.trapline.mailets.spool.SpooledMessage;
import org.trapline.server.ServerStatus;

/**
 * At start, puts every message that was acknowledged but never finished (the spool's leftovers after a
 * crash) back into James's spool queue, with the envelope, client view and hit id it arrived with. The
 * pipeline is idempotent by intake key, so a message finished just before the crash is not recorded
 * twice. Until every replayed message has left the spool (stored, or quarantined), its progress is
 * logged every few seconds and shown by {@code bin/trapline status}; its end is logged once.
 */
public class SpoolReplay implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolReplay.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(250);
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final Spool spool;
    private final MailQueueFactory<?> queues;
    private final ServerStatus status;
    private final ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trapline-replay-progress");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public SpoolReplay(Spool spool, MailQueueFactory<?> queues, ServerStatus status) {
        this.spool = spool;
        this.queues = queues;
        this.status = status;
    }

    public void replay() throws Exception {
        MailQueue queue = queues.createQueue(MailQueueFactory.SPOOL);
        List<SpooledMessage> pending = spool.pending();
        status.replayBegan(pending.size());
        if (pending.isEmpty()) {
            return;
        }
        LOG.info("spool replay: {} message(s) acknowledged by an earlier run are not yet stored; replaying them", pending.size());
        List<String> keys = new ArrayList<>(pending.size());
        long began = System.nanoTime();
        for (SpooledMessage m : pending) {
            Mail mail = null;
            try {
                mail = toMail(m);
                queue.enQueue(mail);
                keys.add(m.intakeKey());
            } catch (Exception e) {
                spool.quarantine(m.intakeKey(), "cannot replay: " + e);
            } finally {
                // The queue keeps a copy of its own; this one's message source must be let go of here.
                LifecycleUtil.dispose(mail);
            }
        }
        watch(keys, began);
    }

    /** Follows the replayed messages until none is left in the spool. */
    private void watch(List<String> keys, long began) {
        long[] lastLog = {System.nanoTime()};
        // Those that could not even be queued are quarantined: done too.
        long quarantined = status.replay().total() - keys.size();
        progress.scheduleWithFixedDelay(() -> {
            long done = keys.stream().filter(k -> !spool.isPending(k)).count();
            status.replayProgress(done + quarantined);
            if (done == keys.size()) {
                LOG.info("spool replay finished: {} message(s) in {} s", status.replay().total(),
                        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9));
                progress.shutdown();
            } else if (System.nanoTime() - lastLog[0] > LOG_EVERY.toNanos()) {
                lastLog[0] = System.nanoTime();
                LOG.info("spool replay: {} of {} message(s) done", done, keys.size());
            }
        }, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    public void stop() {
        progress.shutdownNow();
    }

    private static Mail toMail(SpooledMessage m) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m.raw()));
        MailImpl.Builder b = MailImpl.builder()
                .name("replay-" + m.intakeKey().substring(0, 16))
                .sender(m.envelope().sender().isEmpty() ? MaybeSender.nullSender() : MaybeSender.getMailSender(m.envelope().sender()))
                .remoteAddr(m.envelope().clientIp())
                .remoteHost(m.envelope().clientIp())
                .mimeMessage(message)
                .addAttribute(new Attribute(AttributeName.of(SpoolHook.INTAKE_KEY), AttributeValue.of(m.intakeKey())))
                .addAttribute(new Attribute(AttributeName.of(SpoolHook.RECEIVED_AT), AttributeValue.of(m.envelope().receivedAt().toString())))
                .addAttribute(new Attribute(AttributeName.of(SpoolHook.RESERVED_HIT_ID), AttributeValue.of(Long.toString(m.envelope().hitId()))));
        if (!m.envelope().clientHelo().isEmpty()) {
            b.addAttribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of(m.envelope().clientHelo())));
        }
        for (String rcpt : m.envelope().recipients()) {
            b.addRecipient(new MailAddress(rcpt));
        }
        return b.build();
    }
}
