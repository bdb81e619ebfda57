package org.trapline.reports;

import java.time.OffsetDateTime;

import org.trapline.common.net.IpAddress;

/**
 * What a report says about where and when the spam came from: ARF's Source-IP, Source-Port and
 * Arrival-Date, SpamCop's "Email from IP / date", X-ARF's Source, Port and Date. Any part may be
 * missing (null); the address is canonical (common's {@code IpAddress}) or null when the report gave
 * none or gave something that is not an address.
 */
public record Statement(String ip, Integer port, OffsetDateTime time) {
    public static final Statement NONE = new Statement(null, null, null);

    /**
     * A statement from the report's own text: the address with brackets or an IPv6 "IPv6:" tag
     * dropped, read by common's one parser (anything else is no address), the port when it is a number
     * from 1 to 65535.
     */
    public static Statement read(String ipText, String portText, OffsetDateTime time) {
        return new Statement(address(ipText), port(portText), time);
    }

    static String address(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.length() > 100) {
            return null;
        }
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.regionMatches(true, 0, "IPv6:", 0, 5)) {
            t = t.substring(5);
        }
        return IpAddress.canonicalOrNull(t);
    }

    static Integer port(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.isEmpty() || t.length() > 5 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int p = Integer.parseInt(t);
        return p >= 1 && p <= 65535 ? p : null;
    }

    public boolean hasIp() {
        return ip != null;
    }
}
