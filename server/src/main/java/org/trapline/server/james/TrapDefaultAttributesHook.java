package org.trapline.server.james;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MailImpl;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The attributes James gives every received mail (client address, session id, HELO name, the
 * authenticated user and relay flag where they apply), with the client's address as its host name.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of James's {@code AddDefaultAttributesMessageHook}, which
 * takes the host name from a reverse DNS lookup of the client address on the thread that serves the
 * session: James's I/O thread, shared with the other sessions, which a zombie's unanswered PTR query would
 * hold up for the resolver's timeout. A trap names the client by its address only (as the Received
 * header and a replayed spool record do).
 */
public class TrapDefaultAttributesHook implements JamesMessageHook {
    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (mail instanceof MailImpl impl) {
            String address = session.getRemoteAddress().getAddress().getHostAddress();
            impl.setRemoteHost(address);
            impl.setRemoteAddr(address);
        }
        mail.setAttribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of(session.getSessionID())));
        session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection)
                .ifPresent(helo -> mail.setAttribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of(helo))));
        if (session.getUsername() != null) {
            mail.setAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(session.getUsername().asString())));
        }
        if (session.isRelayingAllowed()) {
            mail.setAttribute(Attribute.convertToAttribute(AddDefaultAttributesMessageHook.SMTP_AUTH_NETWORK_NAME, true));
        }
        return HookResult.DECLINED;
    }
}
