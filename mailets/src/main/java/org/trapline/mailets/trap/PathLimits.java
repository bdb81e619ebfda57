package org.trapline.mailets.trap;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * Refuses sender and recipient paths over RFC 5321's limits (4.5.3.1): a local part of more than 64
 * octets, a domain of more than 255, a path of more than 256 (angle brackets included), answered
 * {@code 501} ("Path too long", the reply 4.5.3.1.10 suggests). No mailbox anywhere can have such an
 * address, and a 5,000-character local part is an attack on whatever stores or shows it later.
 * Place it before {@code TrapRecipientHook}, so an oversized trap address is refused for its size:
 *
 * <pre>{@code
 * <handler class="org.trapline.mailets.trap.PathLimits"/>
 * <handler class="org.trapline.mailets.trap.TrapRecipientHook"/>
 * }</pre>
 */
public class PathLimits implements MailHook, RcptHook {
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return sender.asOptional().flatMap(address -> violation(address)).map(why -> refuse("5.1.7 Sender " + why)).orElse(HookResult.DECLINED);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        return violation(rcpt).map(why -> refuse("5.1.3 Recipient " + why)).orElse(HookResult.DECLINED);
    }

    /** Which limit the address breaks, in words, or empty. */
    static Optional<String> violation(MailAddress address) {
        if (octets(address.getLocalPart()) > MAX_LOCAL_PART) {
            return Optional.of("local part longer than " + MAX_LOCAL_PART + " octets (RFC 5321 4.5.3.1.1)");
        }
        if (octets(address.getDomain().asString()) > MAX_DOMAIN) {
            return Optional.of("domain longer than " + MAX_DOMAIN + " octets (RFC 5321 4.5.3.1.2)");
        }
        if (octets(address.asString()) + 2 > MAX_PATH) {
            return Optional.of("path longer than " + MAX_PATH + " octets (RFC 5321 4.5.3.1.3)");
        }
        return Optional.empty();
    }

    private static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static HookResult refuse(String description) {
        return HookResult.builder()
                .hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("501")
                .smtpDescription(description)
                .build();
    }
}
