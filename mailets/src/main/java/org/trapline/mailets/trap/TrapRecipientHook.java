package org.trapline.mailets.trap;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * Accepts any local part at a trap domain and refuses everything else with 550, so the MX can never
 * relay. Replaces James's {@code ValidRcptHandler} (traps have no user accounts) and answers before
 * James's own relay check. Place it after {@code MaxRcptHandler}: an OK here ends the RCPT hooks.
 *
 * <pre>{@code
 * <handlerchain>
 *   <handler class="org.apache.james.smtpserver.fastfail.MaxRcptHandler"><maxRcpt>100</maxRcpt></handler>
 *   <handler class="org.trapline.mailets.trap.TrapRecipientHook"/>
 *   ...
 * }</pre>
 */
public class TrapRecipientHook implements RcptHook {
    private final TrapDomains trapDomains;

    @Inject
    public TrapRecipientHook(TrapDomains trapDomains) {
        this.trapDomains = trapDomains;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        // IP literals ([192.0.2.1]) never match a trap domain, so they are refused here too.
        return trapDomains.check(rcpt.getLocalPart(), rcpt.getDomain().asString())
                .map(TrapRecipientHook::deny)
                .orElse(HookResult.OK);
    }

    private static HookResult deny(TrapDomains.Refusal refusal) {
        return HookResult.builder()
                .hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("550")
                .smtpDescription(refusal.reply())
                .build();
    }
}
