package org.trapline.mailets.trap;

import java.util.Collection;
import java.util.Locale;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.trapline.mailets.MailAttributes;

/**
 * {@code RCPT TO:<postmaster>}, without a domain: RFC 5321 4.5.1 says every SMTP server must accept it.
 * Trapline keeps such mail as evidence like any trap hit, but it is addressed to the MX's operator, not
 * to a trap, so it never counts for a strike against a subscriber.
 *
 * <p>James's addresses need a domain; a domainless recipient is given {@link #DOMAIN}, a name under the
 * {@code .invalid} top-level domain that no real address can have (RFC 2606). So the recipient is recorded
 * as {@code postmaster@domainless.invalid}, in the spool (a replay after a crash rebuilds it from there) and
 * in the evidence store, and a hit whose recipients are all such carries {@link #ATTRIBUTE}.
 */
public final class DomainlessPostmaster {
    /** The domain a recipient given without one is recorded with. */
    public static final String DOMAIN = "domainless.invalid";
    /** Mail attribute (String {@code "true"}): every recipient of the mail is the domainless postmaster. */
    public static final String ATTRIBUTE = "trapline.domainless-postmaster";

    private DomainlessPostmaster() {
    }

    /** Whether the recipient is {@code <postmaster>} given without a domain (any case, as RFC 5321 allows). */
    public static boolean is(MailAddress rcpt) {
        return rcpt.getLocalPart().toLowerCase(Locale.ROOT).equals("postmaster") && isDomainless(rcpt);
    }

    /** Whether the recipient was given without a domain. */
    public static boolean isDomainless(MailAddress rcpt) {
        return rcpt.getDomain().asString().equalsIgnoreCase(DOMAIN);
    }

    /** Whether the recipients are there and all the domainless postmaster. */
    public static boolean onlyRecipient(Collection<MailAddress> recipients) {
        return !recipients.isEmpty() && recipients.stream().allMatch(DomainlessPostmaster::is);
    }

    /** Sets {@link #ATTRIBUTE} on a mail addressed only to the domainless postmaster. */
    public static void mark(Mail mail) {
        if (onlyRecipient(mail.getRecipients())) {
            MailAttributes.set(mail, ATTRIBUTE, "true");
        }
    }

    /**
     * Whether the mail went only to the domainless postmaster: its {@link #ATTRIBUTE}, or (for a mail
     * replayed from the spool, which keeps the envelope but not the attributes) its recipients.
     */
    public static boolean only(Mail mail) {
        return MailAttributes.string(mail, ATTRIBUTE).map("true"::equals).orElse(false) || onlyRecipient(mail.getRecipients());
    }
}
