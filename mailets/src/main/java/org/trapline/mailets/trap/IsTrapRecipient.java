package org.trapline.mailets.trap;

import java.util.Collection;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches the recipients that are trap addresses (any local part at a configured trap domain), and the
 * domainless postmaster ({@link DomainlessPostmaster}), whose mail is kept as evidence the same way.
 *
 * <pre>{@code
 * <mailet match="org.trapline.mailets.trap.IsTrapRecipient" class="ToProcessor">
 *   <processor>trap</processor>
 * </mailet>
 * }</pre>
 */
public class IsTrapRecipient extends GenericMatcher {
    private final TrapDomains trapDomains;

    @Inject
    public IsTrapRecipient(TrapDomains trapDomains) {
        this.trapDomains = trapDomains;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getRecipients().stream()
                .filter(rcpt -> trapDomains.isTrapDomain(rcpt.getDomain().asString()) || DomainlessPostmaster.is(rcpt))
                .collect(Collectors.toList());
    }
}
