package org.trapline.server.james;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.HeloCmdHandler;

/**
 * James's HELO command answered {@code 250 <host> Hello <name> [<ip>]}, without James's stray {@code ")"}.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of {@code HeloCmdHandler}.
 */
public class TrapHeloCmdHandler extends HeloCmdHandler {
    @Inject
    public TrapHeloCmdHandler(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
        session.setAttachment(SMTPSession.CURRENT_HELO_MODE, "HELO", ProtocolSession.State.Connection);
        return new SMTPResponse(SMTPRetCode.MAIL_OK, TrapEhloCmdHandler.greeting(session, parameters));
    }
}
