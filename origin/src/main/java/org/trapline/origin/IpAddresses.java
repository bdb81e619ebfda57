package org.trapline.origin;

import java.util.Locale;

/**
 * Address literals as they appear in Received headers and settings, parsed without any DNS lookup
 * (java.net.InetAddress would resolve names, and a header is attacker-written text).
 *
 * <p>Canonical form: IPv4 dotted quad; IPv6 in RFC 5952 form (lower case, longest zero run
 * compressed). IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4}) becomes the plain IPv4 address so one
 * host never has two spellings in a trust decision.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * Canonical form of an address literal, or null when the text is not one. Accepts an optional
     * {@code IPv6:} prefix (RFC 5321 address literal) and a {@code %zone} suffix on IPv6.
     */
    public static String canonical(String text) {
        byte[] bytes = parse(text);
        return bytes == null ? null : format(bytes);
    }

    /** 4 or 16 bytes for an address literal (mapped IPv6 returns 4 bytes), or null. */
    public static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.length() > 64 || s.isEmpty()) {
            return null;
        }
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        if (s.indexOf(':') < 0) {
            return parseV4(s);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        byte[] v6 = parseV6(s);
        if (v6 == null) {
            return null;
        }
        return isMappedV4(v6) ? java.util.Arrays.copyOfRange(v6, 12, 16) : v6;
    }

    static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return null;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
            } else if (c == '.') {
                if (value < 0 || value > 255 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] parseV6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head, doubleColon < 0);
        if (headGroups == null) {
            return null;
        }
        int[] tailGroups = doubleColon >= 0 ? groups(tail, true) : new int[0];
        if (tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /** Hex groups of one side of "::"; the last group may be an embedded IPv4 address. */
    private static int[] groups(String side, boolean mayEndInV4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        if (parts.length > 8) {
            return null;
        }
        int extra = 0;
        String last = parts[parts.length - 1];
        byte[] v4 = null;
        if (last.indexOf('.') >= 0) {
            if (!mayEndInV4) {
                return null;
            }
            v4 = parseV4(last);
            if (v4 == null) {
                return null;
            }
            extra = 1;
        }
        int[] out = new int[parts.length + extra];
        for (int i = 0; i < parts.length - (v4 == null ? 0 : 1); i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = v;
        }
        if (v4 != null) {
            out[parts.length - 1] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
            out[parts.length] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        }
        return out;
    }

    private static boolean isMappedV4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /**
     * The zero groups RFC 5952 writes as {@code ::} among the eight of an IPv6 address: the first longest
     * run of two or more. Its start in the high 32 bits (-1 when there is none), its length in the low.
     */
    public static long compressedRun(int[] groups) {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        return ((long) bestStart << 32) | bestLen;
    }

    /** Canonical text of 4 or 16 address bytes. */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        long run = compressedRun(g);
        int bestStart = (int) (run >> 32);
        int bestLen = (int) run;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** True for loopback addresses (127.0.0.0/8, ::1), which are always trusted. */
    public static boolean isLoopback(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 1;
    }
}
