package org.trapline.server.james;

import java.io.ByteArrayInputStream;
import java.util.Properties;

import javax.inject.Inject;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
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

/**
 * At start, puts every message that was acknowledged but never finished (the spool's leftovers after a
 * crash) back into James's spool queue, with the envelope and client view it arrived with. The pipeline
 * is idempotent by intake key, so a message finished just before the crash is not recorded twice.
 */
public class SpoolReplay implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolReplay.class);

    private final Spool spool;
    private final MailQueueFactory<?> queues;

    @Inject
    public SpoolReplay(Spool spool, MailQueueFactory<?> queues) {
        this.spool = spool;
        this.queues = queues;
    }

    public void replay() throws Exception {
        MailQueue queue = queues.createQueue(MailQueueFactory.SPOOL);
        int n = 0;
        for (SpooledMessage m : spool.pending()) {
            try {
                queue.enQueue(toMail(m));
                n++;
            } catch (Exception e) {
                spool.quarantine(m.intakeKey(), "cannot replay: " + e);
            }
        }
        if (n > 0) {
            LOG.info("Replayed {} acknowledged message(s) left in the spool by an earlier run", n);
        }
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
                .addAttribute(new Attribute(AttributeName.of(SpoolHook.RECEIVED_AT), AttributeValue.of(m.envelope().receivedAt().toString())));
        if (!m.envelope().clientHelo().isEmpty()) {
            b.addAttribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of(m.envelope().clientHelo())));
        }
        for (String rcpt : m.envelope().recipients()) {
            b.addRecipient(new MailAddress(rcpt));
        }
        return b.build();
    }
}
