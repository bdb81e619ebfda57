package org.trapline.mailets.trapcase;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.mailets.MailAttributes;
import org.trapline.mailets.spool.IntakeKeys;
import org.trapline.mailets.trap.DomainlessPostmaster;

/**
 * Opens the {@link TrapCase} of a trap hit from what the intake put on the mail (the spool's intake key,
 * acceptance time and reserved hit id, the envelope, our MX's view of the client), for the mailets after
 * it. The same attributes come from a replay of the spool at start, so a replayed hit gets the same case.
 * The acceptance time is parsed here, once.
 *
 * <p>A mail without an intake key, or with an unreadable acceptance time or hit id, fails to the
 * {@code error} processor, which quarantines it. A mail without an acceptance time (none is made so
 * today) is taken as accepted now, with a warning.
 *
 * <p>Configuration: {@code <caseAttribute>} names the mail attribute the case is written to, default
 * {@value CaseAttribute#DEFAULT}; the mailets after it must name the same one.
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.trapcase.OpenTrapCase">
 *   <caseAttribute>trapline.case</caseAttribute>
 * </mailet>
 * }</pre>
 */
public class OpenTrapCase extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(OpenTrapCase.class);

    private CaseAttribute caseAttribute;

    @Override
    public void init() {
        caseAttribute = CaseAttribute.configured(this);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String key = IntakeKeys.of(mail).orElseThrow(() -> new MessagingException("mail " + mail.getName() + " has no intake key"));
        Instant receivedAt;
        long reservedHitId;
        try {
            Optional<Instant> recorded = IntakeKeys.receivedAt(mail);
            if (recorded.isEmpty()) {
                LOG.warn("trap hit {} has no acceptance time from the intake; taking the time it reached the pipeline", key);
            }
            receivedAt = recorded.orElseGet(Instant::now);
            reservedHitId = IntakeKeys.reservedHitId(mail);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new MessagingException("trap hit " + key + " has an unreadable intake record: " + e.getMessage(), e);
        }
        caseAttribute.write(mail, TrapCase.opened(key, receivedAt, reservedHitId, mail.getMaybeSender().asString(""),
                mail.getRecipients().stream().map(MailAddress::asString).toList(), DomainlessPostmaster.only(mail),
                mail.getRemoteAddr(), MailAttributes.string(mail, Mail.SMTP_HELO.asString()).orElse("")));
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: open the trap case of a hit from its intake record";
    }
}
