package org.trapline.mailets.spool;

import java.time.Instant;
import java.util.Optional;

import org.apache.mailet.Mail;
import org.trapline.mailets.MailAttributes;

/** Reads the intake key and acceptance time that {@link SpoolHook} (or the replay at start) put on a mail. */
public final class IntakeKeys {

    private IntakeKeys() {
    }

    public static Optional<String> of(Mail mail) {
        return MailAttributes.string(mail, SpoolHook.INTAKE_KEY);
    }

    /** When our MX accepted the mail (the 250), as recorded in the spool. */
    public static Optional<Instant> receivedAt(Mail mail) {
        return MailAttributes.string(mail, SpoolHook.RECEIVED_AT).map(Instant::parse);
    }
}
