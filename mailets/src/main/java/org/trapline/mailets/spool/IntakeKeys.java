package org.trapline.mailets.spool;

import java.util.Optional;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;

/** Reads the intake key that {@link SpoolHook} (or the replay at start) put on a mail. */
public final class IntakeKeys {
    private static final AttributeName NAME = AttributeName.of(SpoolHook.INTAKE_KEY);

    private IntakeKeys() {
    }

    public static Optional<String> of(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, NAME, String.class);
    }
}
