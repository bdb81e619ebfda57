package org.trapline.server.james;

import java.util.Collection;
import java.util.Set;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * {@code AUTH} answered {@code 502 5.5.1}: a trap has no users and never offers SMTP AUTH (RFC 4954), so
 * there is nothing to try credentials against. James's {@code AuthCmdHandler} processed an unannounced
 * AUTH all the same (a LOGIN prompt, credentials checked against an empty user store).
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of {@code AuthCmdHandler} and {@code UsersRepositoryAuthHook}.
 */
public class AuthNotOffered implements CommandHandler<SMTPSession> {
    private static final Response NOT_OFFERED =
            new SMTPResponse("502", "5.5.1 AUTH not available: this server offers no authentication").immutable();

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        return NOT_OFFERED;
    }

    @Override
    public Collection<String> getImplCommands() {
        return Set.of("AUTH");
    }
}
