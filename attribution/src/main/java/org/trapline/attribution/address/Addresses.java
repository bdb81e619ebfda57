package org.trapline.attribution.address;

import org.trapline.origin.IpAddresses;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address literals without DNS: parsing never resolves a name, formatting follows RFC 5952. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * Parses an IPv4 or IPv6 literal. {@code ::ffff:a.b.c.d} becomes the IPv4 address, so an origin
     * written in mapped form finds the IPv4 session.
     *
     * @throws IllegalArgumentException if the text is not an address literal (host names are refused)
     */
    public static InetAddress parseLiteral(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (t.indexOf(':') < 0) {
            byte[] v4 = ipv4(t);
            if (v4 == null) {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
            try {
                return InetAddress.getByAddress(v4);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
            }
        }
        try {
            // Only hex digits, colons and dots: never looked up in DNS.
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
    }

    /**
     * {@link #format(InetAddress) format}({@link #parseLiteral parseLiteral}(text)): the one spelling an
     * address is stored and compared in. A text already in that spelling (what a NAS and FreeRADIUS
     * write) is returned as it is, without building an address to print it again.
     *
     * @throws IllegalArgumentException as {@link #parseLiteral}
     */
    public static String canonical(String text) {
        if (scanIpv4(text, null) == CANONICAL_IPV4 || canonicalIpv6Groups(text, 0, text.length()) != null) {
            return text;
        }
        return format(parseLiteral(text));
    }

    /**
     * The eight groups of {@code text[from, to)} if it is an IPv6 address (not IPv4-mapped, which is stored as
     * IPv4) spelled exactly as {@link #format(byte[])} prints it: lower-case hex without leading zeros, the
     * first longest run of two or more zero groups written {@code ::}, no embedded dotted quad. Null for any
     * other text, which the full parse then decides on.
     */
    static int[] canonicalIpv6Groups(String text, int from, int to) {
        int[] groups = new int[8];
        int n = 0;
        int gap = -1;
        int i = from;
        if (to - from >= 2 && text.charAt(i) == ':' && text.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
        }
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                char c = text.charAt(i);
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d < 0) {
                    break;
                }
                value = value * 16 + d;
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || digits > 1 && text.charAt(start) == '0' || n == 8) {
                return null;
            }
            groups[n++] = value;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != ':' || ++i == to) {
                return null;
            }
            if (text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = n;
                i++;
            }
        }
        if (gap < 0 ? n != 8 : n > 6) {
            return null;
        }
        if (gap >= 0) {
            int zeros = 8 - n;
            System.arraycopy(groups, gap, groups, gap + zeros, n - gap);
            Arrays.fill(groups, gap, gap + zeros, 0);
        }
        long run = IpAddresses.compressedRun(groups);
        int bestStart = (int) (run >> 32);
        int bestLength = (int) run;
        boolean compressedAsFormatDoes = gap < 0 ? bestStart < 0 : bestStart == gap && bestLength == 8 - n;
        boolean mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff;
        return compressedAsFormatDoes && !mapped ? groups : null;
    }

    private static final int NOT_IPV4 = 0, IPV4 = 1, CANONICAL_IPV4 = 2;

    /** Dotted quad to 4 bytes, or null if it is not exactly four decimal octets. */
    private static byte[] ipv4(String t) {
        byte[] out = new byte[4];
        return scanIpv4(t, out) == NOT_IPV4 ? null : out;
    }

    /**
     * Reads exactly four decimal octets into {@code out} (when not null): {@link #NOT_IPV4}, {@link #IPV4}, or
     * {@link #CANONICAL_IPV4} when no octet has a leading zero, so the text is already the stored spelling.
     */
    private static int scanIpv4(String t, byte[] out) {
        int part = 0, value = 0, digits = 0;
        boolean canonical = true;
        for (int i = 0; i <= t.length(); i++) {
            char c = i < t.length() ? t.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                canonical &= digits > 0 || c != '0' || i + 1 == t.length() || t.charAt(i + 1) == '.';
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return NOT_IPV4;
                }
            } else if (c == '.') {
                if (digits == 0 || part > 3) {
                    return NOT_IPV4;
                }
                if (out != null) {
                    out[part] = (byte) value;
                }
                part++;
                value = 0;
                digits = 0;
            } else {
                return NOT_IPV4;
            }
        }
        return part != 4 ? NOT_IPV4 : canonical ? CANONICAL_IPV4 : IPV4;
    }

    /** 4 bytes for IPv4 (including IPv4-mapped IPv6), 16 for IPv6. */
    public static byte[] bytes(InetAddress address) {
        return address.getAddress();
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as {@code ::}). */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** RFC 5952 text (IPv4 dotted quad); one implementation serves origin, attribution and exports. */
    public static String format(byte[] b) {
        return IpAddresses.format(b);
    }

    public static boolean isIpv4(InetAddress a) {
        return a instanceof Inet4Address;
    }

    public static boolean isIpv6(InetAddress a) {
        return a instanceof Inet6Address;
    }
}
