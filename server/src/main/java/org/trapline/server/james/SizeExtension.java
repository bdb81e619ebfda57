package org.trapline.server.james;

import java.util.List;

import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailParametersHook;

/**
 * The SMTP SIZE extension (RFC 1870): {@code SIZE <limit>} in the EHLO reply and {@code MAIL FROM:<...>
 * SIZE=n} refused with {@code 552 5.3.4} when n is over the limit ({@code maxmessagesize}). The message
 * itself is measured by {@link TrapDataLineHandler}.
 *
 * <p>Listed in {@link TrapSmtpHandlers} in place of James's {@code MailSizeEsmtpExtension}, whose DATA line
 * filter cannot be left out on its own.
 */
public class SizeExtension implements MailParametersHook, EhloExtension {
    private static final HookResult BAD_SIZE = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.SYNTAX_ERROR_ARGUMENTS)
            .smtpDescription("5.5.4 Syntax error in the SIZE parameter")
            .build();
    private static final HookResult TOO_BIG = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.QUOTA_EXCEEDED)
            .smtpDescription("5.3.4 Message size exceeds fixed maximum message size")
            .build();

    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        long declared;
        try {
            declared = Long.parseLong(paramValue.trim());
        } catch (NumberFormatException e) {
            return BAD_SIZE;
        }
        if (declared < 0) {
            return BAD_SIZE;
        }
        long max = session.getConfiguration().getMaxMessageSize();
        return max > 0 && declared > max ? TOO_BIG : HookResult.DECLINED;
    }

    @Override
    public String[] getMailParamNames() {
        return new String[] {"SIZE"};
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        long max = session.getConfiguration().getMaxMessageSize();
        return max > 0 ? List.of("SIZE " + max) : List.of();
    }
}
