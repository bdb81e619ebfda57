package org.trapline.server.james;

import java.util.List;

import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.api.handler.CommandHandlerResultLogger;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.ExpnCmdHandler;
import org.apache.james.protocols.smtp.core.HelpCmdHandler;
import org.apache.james.protocols.smtp.core.NoopCmdHandler;
import org.apache.james.protocols.smtp.core.QuitCmdHandler;
import org.apache.james.protocols.smtp.core.RsetCmdHandler;
import org.apache.james.protocols.smtp.core.UnknownCmdHandler;
import org.apache.james.protocols.smtp.core.VrfyCmdHandler;
import org.apache.james.protocols.smtp.core.log.HookResultLogger;
import org.apache.james.smtpserver.AuthRequiredToRelayRcptHook;
import org.apache.james.smtpserver.JamesMailCmdHandler;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;
import org.apache.james.smtpserver.SendMailHandler;
import org.apache.james.smtpserver.SenderAuthIdentifyVerificationHook;

/**
 * The core SMTP handlers of Trapline's MX: James's {@code CoreCmdHandlerLoader}, in its order, with
 * Trapline's handlers where James's do not fit a trap. Named by smtpserver.xml:
 *
 * <pre>{@code
 * <handlerchain coreHandlersPackage="org.trapline.server.james.TrapSmtpHandlers">
 *   ... the handlers configured there run before these ...
 * </handlerchain>
 * }</pre>
 */
public class TrapSmtpHandlers implements HandlersPackage {
    private static final List<String> HANDLERS = List.of(
            JamesWelcomeMessageHandler.class.getName(),
            CommandDispatcher.class.getName(),
            // 502 to AUTH, which is never offered (James: AuthCmdHandler, UsersRepositoryAuthHook)
            AuthNotOffered.class.getName(),
            // DATA lines of any length and line ending, kept byte for byte below our Received header
            // (James: JamesDataCmdHandler; and ReceivedDataLineFilter, which named "JAMES SMTP Server")
            TrapDataCmdHandler.class.getName(),
            // EHLO and HELO replies without James's stray ")"
            TrapEhloCmdHandler.class.getName(),
            ExpnCmdHandler.class.getName(),
            TrapHeloCmdHandler.class.getName(),
            HelpCmdHandler.class.getName(),
            JamesMailCmdHandler.class.getName(),
            NoopCmdHandler.class.getName(),
            QuitCmdHandler.class.getName(),
            // a recipient without a domain is recorded at domainless.invalid (James: JamesRcptCmdHandler)
            TrapRcptCmdHandler.class.getName(),
            RsetCmdHandler.class.getName(),
            VrfyCmdHandler.class.getName(),
            // SIZE without a DATA line filter (James: MailSizeEsmtpExtension)
            SizeExtension.class.getName(),
            AuthRequiredToRelayRcptHook.class.getName(),
            SenderAuthIdentifyVerificationHook.class.getName(),
            // (James: PostmasterAbuseRcptHook, left out: it accepts postmaster@ and abuse@ at any domain)
            // (James: DataLineJamesMessageHookHandler)
            TrapDataLineHandler.class.getName(),
            // logs an unoffered STARTTLS once per client and minute (James: StartTlsCmdHandler)
            TrapStartTlsCmdHandler.class.getName(),
            // the client named by its address, no reverse DNS on the I/O thread (James: AddDefaultAttributesMessageHook)
            TrapDefaultAttributesHook.class.getName(),
            SendMailHandler.class.getName(),
            UnknownCmdHandler.class.getName(),
            CommandHandlerResultLogger.class.getName(),
            HookResultLogger.class.getName());

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
