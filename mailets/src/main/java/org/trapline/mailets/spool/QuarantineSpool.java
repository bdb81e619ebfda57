package org.trapline.mailets.spool;

import java.io.IOException;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.mailets.MailAttributes;

/**
 * For the {@code error} processor: a trap hit the pipeline failed on is moved from the spool into its
 * quarantine with the error, so it is neither lost nor replayed forever. Staff find it under
 * {@code <data>/spool/quarantine/}. Step 6 of the {@link DurableIntake} protocol.
 *
 * <pre>{@code
 * <processor state="error">
 *   <mailet match="All" class="org.trapline.mailets.spool.QuarantineSpool"/>
 *   <mailet match="All" class="Null"/>
 * </processor>
 * }</pre>
 */
public class QuarantineSpool extends GenericMailet {
    /**
     * Mail attribute (String, the reason): set by a mailet whose failure was not the message's fault (the
     * evidence store could not write); such a mail stays in the spool and is replayed at the next start.
     */
    public static final String KEEP_SPOOLED = "trapline.keep-spooled";

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineSpool.class);

    private final DurableIntake spool;

    @Inject
    public QuarantineSpool(Spool spool) {
        this.spool = spool;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String reason = mail.getErrorMessage() == null ? "pipeline error" : mail.getErrorMessage();
        var key = IntakeKeys.of(mail);
        if (key.isEmpty()) {
            LOG.error("Mail {} failed without an intake key: {}", mail.getName(), reason);
            return;
        }
        var keep = MailAttributes.string(mail, KEEP_SPOOLED);
        if (keep.isPresent()) {
            LOG.error("Trap hit {} kept in the spool for replay at the next start: {}", key.get(), keep.get());
            return;
        }
        try {
            spool.quarantine(key.get(), reason);
            LOG.warn("Trap hit {} quarantined: {}", key.get(), reason);
        } catch (IOException e) {
            // Left in the spool: the next start replays it rather than losing it.
            throw new MessagingException("cannot quarantine " + key.get(), e);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: move a failed trap hit from the spool into quarantine";
    }
}
