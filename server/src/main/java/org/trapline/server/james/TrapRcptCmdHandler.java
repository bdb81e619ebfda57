package org.trapline.server.james;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.RcptCmdHandler;
import org.trapline.mailets.trap.DomainlessPostmaster;
import org.trapline.mailets.trap.DomainlessPostmasterHook;

/**
 * James's RCPT command, with a recipient given without a domain recorded at
 * {@link DomainlessPostmaster#DOMAIN} rather than at James's default domain, where it could not be told
 * from one the client wrote out; {@link DomainlessPostmasterHook} then accepts {@code <postmaster>} and
 * refuses the rest. The client hears {@code Recipient <postmaster> OK}, as it wrote it.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of {@code JamesRcptCmdHandler}.
 */
public class TrapRcptCmdHandler extends RcptCmdHandler {
    @Inject
    public TrapRcptCmdHandler(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    protected String getDefaultDomain() {
        return DomainlessPostmaster.DOMAIN;
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
        MailAddress rcpt = session.getAttachment(CURRENT_RECIPIENT, ProtocolSession.State.Transaction).orElse(null);
        Response response = super.doCoreCmd(session, command, parameters);
        if (rcpt != null && DomainlessPostmaster.is(rcpt)) {
            return new SMTPResponse(SMTPRetCode.MAIL_OK, "2.1.5 Recipient <" + rcpt.getLocalPart() + "> OK");
        }
        return response;
    }
}
