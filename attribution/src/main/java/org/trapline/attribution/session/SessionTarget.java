package org.trapline.attribution.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The session a CoA or Disconnect acts on, as the NAS knows it (RFC 5176 section 3: session
 * identification attributes). The NAS address is where the request goes unless settings name another
 * CoA address for it. Empty strings are not allowed; absent values are {@code null}.
 *
 * @param nasIp         NAS-IP-Address of the NAS that reported the session (required)
 * @param acctSessionId Acct-Session-Id, or null
 * @param userName      User-Name, or null
 * @param framedIp      Framed-IP-Address (IPv4), or null
 */
public record SessionTarget(String nasIp, String acctSessionId, String userName, String framedIp) {

    public SessionTarget {
        nasIp = required(nasIp, "nasIp");
        acctSessionId = optional(acctSessionId);
        userName = optional(userName);
        framedIp = optional(framedIp);
        if (acctSessionId == null && userName == null && framedIp == null) {
            throw new IllegalArgumentException("a session needs Acct-Session-Id, User-Name or Framed-IP-Address");
        }
    }

    public static SessionTarget of(String nasIp, String acctSessionId, String userName, String framedIp) {
        return new SessionTarget(nasIp, acctSessionId, userName, framedIp);
    }

    /** One line, stable, for journals and logs: {@code nas=10.0.0.1 session=abc user=alice ip=10.0.9.77}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("nas=" + nasIp);
        if (acctSessionId != null) parts.add("session=" + acctSessionId);
        if (userName != null) parts.add("user=" + userName);
        if (framedIp != null) parts.add("ip=" + framedIp);
        return String.join(" ", parts);
    }

    /** Inverse of {@link #describe()}, so a journal row can be re-targeted after a restart. */
    public static SessionTarget parse(String described) {
        String nas = null, session = null, user = null, ip = null;
        for (String part : Objects.requireNonNull(described, "described").trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("not a session target: " + described);
            String value = part.substring(eq + 1);
            switch (part.substring(0, eq)) {
                case "nas" -> nas = value;
                case "session" -> session = value;
                case "user" -> user = value;
                case "ip" -> ip = value;
                default -> throw new IllegalArgumentException("not a session target: " + described);
            }
        }
        return new SessionTarget(nas, session, user, ip);
    }

    private static String required(String value, String name) {
        String v = optional(value);
        if (v == null) throw new IllegalArgumentException(name + " is required");
        return v;
    }

    private static String optional(String value) {
        if (value == null) return null;
        String v = value.trim();
        if (v.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            // describe()/parse() and the journal rely on single tokens; a NAS that sends such values is hostile.
            throw new IllegalArgumentException("whitespace or control characters in session attribute: " + value.strip());
        }
        return v.isEmpty() ? null : v;
    }
}
