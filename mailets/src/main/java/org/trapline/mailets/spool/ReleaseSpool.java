package org.trapline.mailets.spool;

import java.io.IOException;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Lets go of the spooled copy once every mailet before it has made its results durable. Put it last in
 * the trap processor, right before the mail is ghosted.
 *
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.spool.ReleaseSpool"/>
 * }</pre>
 */
public class ReleaseSpool extends GenericMailet {
    private final Spool spool;

    @Inject
    public ReleaseSpool(Spool spool) {
        this.spool = spool;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> key = IntakeKeys.of(mail);
        if (key.isEmpty()) {
            return;
        }
        try {
            spool.release(key.get());
        } catch (IOException e) {
            // Still spooled: a restart replays it and the evidence store ignores the duplicate.
            throw new MessagingException("cannot release spooled message " + key.get(), e);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: release the durable spool copy of a finished trap hit";
    }
}
