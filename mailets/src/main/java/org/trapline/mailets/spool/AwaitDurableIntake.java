package org.trapline.mailets.spool;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.mailets.MailAttributes;

/**
 * First in the trap pipeline: waits until the hit's spool record is on disk, which is normally long done
 * when the pipeline gets to it, and ghosts the mail when that failed. The SMTP session already told such
 * a client 451 (see {@link DurableReplies}), so the client sends the message again; recording this copy
 * too would count one spam twice against a subscriber. Step 5 of the {@link DurableIntake} protocol.
 *
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.spool.AwaitDurableIntake"/>
 * }</pre>
 */
public class AwaitDurableIntake extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(AwaitDurableIntake.class);

    private final DurableIntake spool;

    @Inject
    public AwaitDurableIntake(Spool spool) {
        this.spool = spool;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String key = IntakeKeys.of(mail).orElse(null);
        if (key == null) {
            return;
        }
        try {
            if (!spool.acknowledged(key)) {
                LOG.warn("trap hit {} dropped: its spool fdatasync failed and its client was answered 451", key.substring(0, 12));
                mail.setState(Mail.GHOST);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Shutting down: the record stays in the spool and the next start replays it.
            MailAttributes.set(mail, QuarantineSpool.KEEP_SPOOLED, "interrupted while waiting for the spool fdatasync");
            throw new MessagingException("interrupted while waiting for the spool of " + key, e);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: wait until the trap hit is on disk; drop it if its client was answered 451";
    }
}
