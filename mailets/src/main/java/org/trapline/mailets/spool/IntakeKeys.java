package org.trapline.mailets.spool;

import java.time.Instant;
import java.util.Optional;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;

/** Reads the intake key and acceptance time that {@link SpoolHook} (or the replay at start) put on a mail. */
public final class IntakeKeys {
    private static final AttributeName NAME = AttributeName.of(SpoolHook.INTAKE_KEY);
    private static final AttributeName RECEIVED_AT = AttributeName.of(SpoolHook.RECEIVED_AT);

    private IntakeKeys() {
    }

    public static Optional<String> of(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, NAME, String.class);
    }

    /** When our MX accepted the mail (the 250), as recorded in the spool. */
    public static Optional<Instant> receivedAt(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RECEIVED_AT, String.class).map(Instant::parse);
    }
}
