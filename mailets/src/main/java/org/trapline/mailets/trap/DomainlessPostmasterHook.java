package org.trapline.mailets.trap;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * Accepts {@code RCPT TO:<postmaster>} without a domain (RFC 5321 4.5.1) and refuses every other
 * recipient given without one with {@code 550 5.1.3}. Needs the RCPT command to record domainless
 * recipients with {@link DomainlessPostmaster#DOMAIN} (Trapline's {@code TrapRcptCmdHandler} does), and
 * comes before {@code TrapRecipientHook}, which would refuse that domain as not a trap:
 *
 * <pre>{@code
 * <handler class="org.trapline.mailets.trap.DomainlessPostmasterHook"/>
 * <handler class="org.trapline.mailets.trap.TrapRecipientHook"/>
 * }</pre>
 */
public class DomainlessPostmasterHook implements RcptHook {
    private static final HookResult NEEDS_A_DOMAIN = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("550")
            .smtpDescription("5.1.3 A recipient needs a domain; only <postmaster> may go without (RFC 5321 4.5.1)")
            .build();

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (!DomainlessPostmaster.isDomainless(rcpt)) {
            return HookResult.DECLINED;
        }
        return DomainlessPostmaster.is(rcpt) ? HookResult.OK : NEEDS_A_DOMAIN;
    }
}
