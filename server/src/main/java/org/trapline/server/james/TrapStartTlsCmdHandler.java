package org.trapline.server.james;

import javax.inject.Inject;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.StartTlsCmdHandler;

/**
 * James's STARTTLS command, with one rate-limited line in the log ({@link ClientEventLog}) when a client
 * asks for it while it is not offered (no certificate configured); the client hears James's 500 and the
 * session goes on in plaintext, so what the bot sends next is still recorded.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of {@code StartTlsCmdHandler}.
 */
public class TrapStartTlsCmdHandler extends StartTlsCmdHandler {
    private final ClientEventLog events;

    @Inject
    public TrapStartTlsCmdHandler(ClientEventLog events) {
        this.events = events;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (!session.isStartTLSSupported()) {
            events.note(ClientEventLog.Kind.STARTTLS_NOT_OFFERED, session.getRemoteAddress(), "");
        }
        return super.onCommand(session, request);
    }
}
