package org.trapline.server.james;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.apache.james.smtpserver.JamesDataCmdHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's DATA command, which also starts Trapline's {@link DataTransfer}: it remembers the line ending
 * of the DATA command line (which {@link SmtpFramer} noted), the rule for the end of the data follows from
 * it. While the transfer is under way the framer lets lines of any length through. The message starts with
 * our {@link ReceivedHeader}, in the client's line ending.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of {@code JamesDataCmdHandler}; pairs with
 * {@link TrapDataLineHandler}, which reads the lines.
 */
public class TrapDataCmdHandler extends JamesDataCmdHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TrapDataCmdHandler.class);

    private final Clock clock;

    @Inject
    public TrapDataCmdHandler(MetricFactory metricFactory, Clock clock) {
        super(metricFactory);
        this.clock = clock;
    }

    @Override
    protected SMTPResponse doDATA(SMTPSession session, String argument) {
        SMTPResponse response = super.doDATA(session, argument);
        if (!SMTPRetCode.DATA_READY.equals(response.getRetCode())) {
            return response;
        }
        boolean crlf = session.getAttachment(SmtpFramer.COMMAND_ENDED_WITH_CRLF, ProtocolSession.State.Connection).orElse(true);
        DataTransfer transfer = new DataTransfer(crlf, session.getConfiguration().getMaxMessageSize());
        MimeMessageInputStreamSource message = ((ExtendedSMTPSession) session).getMimeMessageWriter();
        try {
            message.getWritableOutputStream().write(ReceivedHeader.of(session, message.getSourceId(), clock.instant(), transfer.lineEnding())
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.error("Cannot start a message from {} in its temporary store: {}; answering 451", session.getRemoteAddress(), e.toString());
            session.popLineHandler();
            session.resetState();
            return new SMTPResponse(SMTPRetCode.LOCAL_ERROR, "4.3.0 Temporary failure storing the message, try again later");
        }
        session.setAttachment(DataTransfer.KEY, transfer, ProtocolSession.State.Transaction);
        return response;
    }
}
