package org.trapline.mailets.trapcase;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * The mail attribute a mailet finds the {@link TrapCase} under: named by the mailet's
 * {@value #PARAMETER} init parameter, {@value #DEFAULT} when the XML gives none, as James's own mailets
 * take their attribute names from their configuration.
 *
 * <p>The case is stored unserialisable on purpose: it is opened after James's spool queue and dropped at
 * the end of the trap processor, so it never crosses a queue or a repository. What survives a crash is
 * the spool record, from which a replay opens the case again.
 */
public record CaseAttribute(AttributeName name) {
    /** The init parameter naming the attribute, e.g. {@code <caseAttribute>trapline.case</caseAttribute>}. */
    public static final String PARAMETER = "caseAttribute";
    /** The attribute name when the mailet's XML gives none. */
    public static final String DEFAULT = "trapline.case";

    /** The attribute the mailet's XML names, or the default. */
    public static CaseAttribute configured(GenericMailet mailet) {
        String name = mailet.getInitParameter(PARAMETER, DEFAULT).trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(mailet.getMailetName() + ": <" + PARAMETER + "> is empty");
        }
        return new CaseAttribute(AttributeName.of(name));
    }

    /**
     * The case on the mail.
     *
     * @throws MissingTrapCase when the attribute is absent or holds something else: the pipeline is
     *                         misconfigured (no {@code OpenTrapCase} before, or another name), not the message
     */
    public TrapCase read(Mail mail) throws MissingTrapCase {
        Attribute attribute = mail.getAttribute(name).orElseThrow(() -> new MissingTrapCase("mail " + mail.getName()
                + " has no trap case in attribute " + name.asString() + " (is OpenTrapCase before this mailet, with the same <"
                + PARAMETER + ">?)"));
        Object value = attribute.getValue().value();
        if (value instanceof TrapCase c) {
            return c;
        }
        throw new MissingTrapCase("mail " + mail.getName() + ": attribute " + name.asString() + " holds a "
                + value.getClass().getName() + ", not a trap case (another mailet uses the same name?)");
    }

    public void write(Mail mail, TrapCase c) {
        mail.setAttribute(new Attribute(name, AttributeValue.ofUnserializable(c)));
    }

    /** The mail carries no readable trap case: a configuration fault, told in one line. */
    public static final class MissingTrapCase extends MessagingException {
        private static final long serialVersionUID = 1L;

        MissingTrapCase(String message) {
            super(message);
        }

        /** The message says all there is; James logs a mailet's exception with its stack, which here is noise. */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
