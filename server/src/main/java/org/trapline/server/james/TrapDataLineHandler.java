package org.trapline.server.james;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the frames of a DATA transfer (runs of lines, see {@link SmtpFramer}) into the message exactly as
 * the client sent them (after dot-unstuffing), of any length and with any line ending, as
 * {@link DataTransfer} reads them; at the end
 * of the data it lets James build the mail and run the message hooks, as James's own handler does.
 * A message over the size limit is not kept and answered {@code 552 5.3.4}; one that cannot be written is
 * answered {@code 451 4.3.0}: a 250 is only ever given for every byte that was sent.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of James's {@code DataLineJamesMessageHookHandler}, which
 * ends a session at the first line without CRLF ({@code 500 line delimiter must be CRLF}) and counts on
 * James's 8 KB frames; the size limit is enforced here instead of in {@code MailSizeEsmtpExtension}, whose
 * line counting took any 3-byte line starting with a period for the end of the data.
 */
public class TrapDataLineHandler extends DataLineJamesMessageHookHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TrapDataLineHandler.class);
    /** The end of data in the form James's handler recognises. */
    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        DataTransfer transfer = session.getAttachment(DataTransfer.KEY, ProtocolSession.State.Transaction).orElse(null);
        if (transfer == null) {
            // Started by another DATA handler than ours: James's own rules apply.
            return super.onLine(session, line, next);
        }
        MimeMessageInputStreamSource message = ((ExtendedSMTPSession) session).getMimeMessageWriter();
        int got;
        try {
            got = transfer.accept(line, message.getWritableOutputStream());
        } catch (IOException e) {
            LOG.error("Cannot write the message from {} to its temporary store: {}; it will be answered 451",
                    session.getRemoteAddress(), e.toString());
            return null;
        }
        if (got != DataTransfer.END) {
            return null;
        }
        session.removeAttachment(DataTransfer.KEY, ProtocolSession.State.Transaction);
        if (transfer.tooBig()) {
            return discard(session, new SMTPResponse(SMTPRetCode.QUOTA_EXCEEDED, "5.3.4 Message size exceeds fixed maximum message size"));
        }
        if (transfer.writeFailed()) {
            return discard(session, new SMTPResponse(SMTPRetCode.LOCAL_ERROR, "4.3.0 Temporary failure storing the message, try again later"));
        }
        return super.onLine(session, END_OF_DATA, next);
    }

    /** Ends the transaction without a mail: the message is dropped, the client hears {@code response}. */
    private static Response discard(SMTPSession session, SMTPResponse response) {
        // James's session disposes of the message written so far with the transaction.
        session.resetState();
        session.popLineHandler();
        return response;
    }
}
