package org.trapline.server.james;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;

/**
 * James's EHLO command with a well-formed first reply line, {@code 250-<host> Hello <name> [<ip>]}:
 * James's ends in a stray {@code ")"}. The extensions follow as in James.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of {@code EhloCmdHandler}.
 */
public class TrapEhloCmdHandler extends EhloCmdHandler {
    private List<EhloExtension> extensions = List.of();

    @Inject
    public TrapEhloCmdHandler(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void wireExtensions(Class<?> interfaceName, List<?> extension) {
        super.wireExtensions(interfaceName, extension);
        if (EhloExtension.class.equals(interfaceName)) {
            extensions = (List<EhloExtension>) extension;
        }
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
        session.setAttachment(SMTPSession.CURRENT_HELO_MODE, "EHLO", ProtocolSession.State.Connection);
        SMTPResponse response = new SMTPResponse(SMTPRetCode.MAIL_OK, greeting(session, parameters));
        for (EhloExtension extension : extensions) {
            List<String> lines = extension.getImplementedEsmtpFeatures(session);
            if (lines != null) {
                lines.forEach(response::appendLine);
            }
        }
        return response;
    }

    /** {@code <host> Hello <name> [<ip>]}, the first line of the EHLO and the HELO reply. */
    static String greeting(SMTPSession session, String clientName) {
        return session.getConfiguration().getHelloName() + " Hello " + clientName + " ["
                + session.getRemoteAddress().getAddress().getHostAddress() + "]";
    }
}
