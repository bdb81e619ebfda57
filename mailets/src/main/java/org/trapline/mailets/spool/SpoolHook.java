package org.trapline.mailets.spool;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.trapline.mailets.MailAttributes;
import org.trapline.mailets.trap.DomainlessPostmaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every message durable before the client hears 250: appends envelope and raw bytes to the
 * {@link Spool} and tags the mail with its intake key, so {@link ReleaseSpool} can let go of it once the
 * pipeline is done. When the spool cannot be written the client gets 451 and retries later; a message
 * is never acknowledged that a crash could lose. Where {@link DurableReplies} holds the session's replies
 * back, the 250 waits for the spool's fdatasync there and this thread goes on at once; otherwise it waits
 * here. Steps 1 to 4 of the {@link DurableIntake} protocol.
 *
 * <p>Must run before James's {@code SendMailHandler}, so it is placed before {@code CoreCmdHandlerLoader}:
 * <pre>{@code
 * <handlerchain>
 *   <handler class="org.trapline.mailets.spool.SpoolHook"/>
 *   <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 * </handlerchain>
 * }</pre>
 */
public class SpoolHook implements JamesMessageHook {
    /** Mail attribute (String): the intake key of the spooled copy. */
    public static final String INTAKE_KEY = "trapline.intake-key";
    /** Mail attribute (String, ISO-8601 instant): when our MX accepted the message. */
    public static final String RECEIVED_AT = "trapline.received-at";
    /** Mail attribute (String, a number): the hit id reserved for the message and written into its spool record. */
    public static final String RESERVED_HIT_ID = "trapline.reserved-hit-id";

    /** The answer to a message that could not be made durable (here, or by its fdatasync in {@link DurableReplies}). */
    static final String NOT_STORED_CODE = "451";
    static final String NOT_STORED_TEXT = "4.3.0 Temporary failure storing the message, try again later";

    private static final Logger LOG = LoggerFactory.getLogger(SpoolHook.class);

    private final DurableIntake spool;
    private final Clock clock;
    private final HitIdSource hitIds;

    @Inject
    public SpoolHook(Spool spool, Clock clock, HitIdSource hitIds) {
        this.spool = spool;
        this.clock = clock;
        this.hitIds = hitIds;
    }


    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        try {
            byte[] raw = RawMessage.bytesOf(mail);
            List<String> rcpts = mail.getRecipients().stream().map(MailAddress::asString).toList();
            Envelope envelope = new Envelope(
                    mail.getMaybeSender().asString(""),
                    rcpts,
                    session.getRemoteAddress().getAddress().getHostAddress(),
                    session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse(""),
                    clock.instant(),
                    hitIds.next());
            SpooledMessage spooled;
            if (session.getAttachment(DurableReplies.INSTALLED, ProtocolSession.State.Connection).orElse(false)) {
                // The reply waits for the disk, not this thread: it serves other sessions meanwhile.
                DurableIntake.Intake intake = spool.append(envelope, raw);
                session.setAttachment(DurableReplies.AWAITING, new DurableReplies.AwaitedIntake(intake.durable()),
                        ProtocolSession.State.Connection);
                spooled = intake.message();
            } else {
                spooled = spool.write(envelope, raw);
            }
            MailAttributes.set(mail, INTAKE_KEY, spooled.intakeKey());
            DomainlessPostmaster.mark(mail);
            MailAttributes.set(mail, RECEIVED_AT, envelope.receivedAt().toString());
            MailAttributes.set(mail, RESERVED_HIT_ID, Long.toString(envelope.hitId()));
            return HookResult.DECLINED;
        } catch (DurableIntake.SpoolFullException e) {
            LOG.warn("Pipeline backlog full ({}); answering 451 to {}", e.getMessage(), session.getRemoteAddress());
            return HookResult.builder()
                    .hookReturnCode(HookReturnCode.denySoft())
                    .smtpReturnCode("451")
                    .smtpDescription("4.3.2 System busy, try again later")
                    .build();
        } catch (IOException | MessagingException | RuntimeException e) {
            LOG.error("Cannot spool message from {}: {}; answering 451", session.getRemoteAddress(), e.toString());
            return notStored();
        }
    }

    private static HookResult notStored() {
        return HookResult.builder()
                .hookReturnCode(HookReturnCode.denySoft())
                .smtpReturnCode(NOT_STORED_CODE)
                .smtpDescription(NOT_STORED_TEXT)
                .build();
    }
}
