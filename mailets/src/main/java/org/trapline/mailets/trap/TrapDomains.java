package org.trapline.mailets.trap;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The domains whose every address is a trap, and the rule for which recipients at them we accept.
 *
 * <p>Any plain local part is a trap address. Local parts that carry a second routing hop
 * ({@code user%other@trap}, {@code "user@other"@trap}, bang paths {@code other!user@trap}) are refused:
 * they are how relay testers probe a server, and accepting them would tell the prober "this MX relays".
 */
public record TrapDomains(Set<String> domains) {

    /** Why a recipient is refused, in words the SMTP client is shown. */
    public enum Refusal {
        NOT_A_TRAP_DOMAIN("5.7.1 Relaying denied: not a local domain"),
        ROUTING_IN_LOCAL_PART("5.7.1 Relaying denied: routing characters in the local part");

        private final String reply;

        Refusal(String reply) {
            this.reply = reply;
        }

        public String reply() {
            return reply;
        }
    }

    public TrapDomains {
        domains = domains.stream().map(TrapDomains::normalize).filter(d -> !d.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Parses the comma-separated {@code trap.domains} setting. */
    public static TrapDomains parse(String commaSeparated) {
        return new TrapDomains(Arrays.stream(commaSeparated == null ? new String[0] : commaSeparated.split(","))
                .map(String::trim).collect(Collectors.toSet()));
    }

    public boolean isTrapDomain(String domain) {
        return domain != null && domains.contains(normalize(domain));
    }

    /** Empty when {@code localPart@domain} is a trap address we accept, else why it is refused. */
    public Optional<Refusal> check(String localPart, String domain) {
        if (!isTrapDomain(domain)) {
            return Optional.of(Refusal.NOT_A_TRAP_DOMAIN);
        }
        if (localPart.indexOf('%') >= 0 || localPart.indexOf('@') >= 0 || localPart.indexOf('!') >= 0
                || localPart.indexOf(':') >= 0) {
            return Optional.of(Refusal.ROUTING_IN_LOCAL_PART);
        }
        return Optional.empty();
    }

    private static String normalize(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
