package org.trapline.mailets;

import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The String mail attributes of the intake (the SMTP hooks, the spool replay) and of the spool's own
 * mailets, read and written one way. The trap mailets pass a {@code TrapCase} instead.
 */
public final class MailAttributes {
    private MailAttributes() {
    }

    public static Optional<String> string(Mail mail, String name) {
        return AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(name), String.class);
    }

    public static void set(Mail mail, String name, String value) {
        mail.setAttribute(new Attribute(AttributeName.of(name), AttributeValue.of(value)));
    }
}
