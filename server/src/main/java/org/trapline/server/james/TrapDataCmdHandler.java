package org.trapline.server.james;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.JamesDataCmdHandler;

/**
 * James's DATA command, which also starts Trapline's {@link DataTransfer}: it remembers the line ending
 * of the DATA command line (which {@link SmtpFramer} noted), the rule for the end of the data follows from
 * it. While the transfer is under way the framer lets lines of any length through.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of {@code JamesDataCmdHandler}; pairs with
 * {@link TrapDataLineHandler}, which reads the lines.
 */
public class TrapDataCmdHandler extends JamesDataCmdHandler {
    @Inject
    public TrapDataCmdHandler(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    protected SMTPResponse doDATA(SMTPSession session, String argument) {
        SMTPResponse response = super.doDATA(session, argument);
        if (SMTPRetCode.DATA_READY.equals(response.getRetCode())) {
            boolean crlf = session.getAttachment(SmtpFramer.COMMAND_ENDED_WITH_CRLF, ProtocolSession.State.Connection).orElse(true);
            session.setAttachment(DataTransfer.KEY, new DataTransfer(crlf, session.getConfiguration().getMaxMessageSize()),
                    ProtocolSession.State.Transaction);
        }
        return response;
    }
}
