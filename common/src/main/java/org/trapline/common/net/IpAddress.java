package org.trapline.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address, Trapline's one address type. Parsing never asks DNS (a header, a detail file
 * and a command line are text someone else wrote; {@link InetAddress#getByName} would resolve names). An
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4 address, so one host never has two
 * spellings in a trust decision, a lookup or a stored row.
 *
 * <p>One grammar for every module: optional surrounding whitespace; optionally {@code [...]} around the
 * rest; an optional {@code IPv6:} tag (RFC 5321 address literal, any case); then a dotted quad of four
 * decimal octets (leading zeros allowed, at most three digits), or RFC 4291 text (one to four ASCII hex
 * digits a group, at most one {@code ::}, a dotted quad only as the last two groups) with an optional
 * {@code %zone}, which is dropped (RFC 4007; IPv4 has no zones). At most 64 characters inside the brackets.
 *
 * <p>{@link #toString()} is the canonical spelling: a dotted quad, or RFC 5952 IPv6 text (lower case, no
 * leading zeros, the first longest run of two or more zero groups as {@code ::}), as FreeRADIUS writes it.
 */
public final class IpAddress {
    /** The bits above an IPv4 address in its IPv4-mapped form. */
    static final long MAPPED = 0xffffL << 32;

    private final long high;
    private final long low;

    private IpAddress(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /**
     * Parses an address literal: {@code 192.0.2.1}, {@code 2001:db8::1}, {@code [2001:db8::1]},
     * {@code IPv6:2001:db8::1}, {@code fe80::1%eth0} (the zone is dropped).
     *
     * @throws IllegalArgumentException {@code not an IP address: 'TEXT'}; host names are refused
     */
    public static IpAddress parse(String text) {
        IpAddress a = parseOrNull(text);
        if (a == null) {
            throw notAnAddress(text);
        }
        return a;
    }

    /** As {@link #parse}, but null for text that is no address: for scanning text where most tokens are not. */
    public static IpAddress parseOrNull(String text) {
        long[] bits = new long[2];
        return text != null && AddressText.read(text, 0, text.length(), bits) != 0 ? new IpAddress(bits[0], bits[1]) : null;
    }

    /**
     * {@code parse(text).toString()}: the one spelling an address is stored and compared in. Text already
     * in that spelling (what a NAS, FreeRADIUS and most MTAs write) is returned as it is.
     *
     * @throws IllegalArgumentException as {@link #parse}
     */
    public static String canonical(String text) {
        String c = canonicalOrNull(text);
        if (c == null) {
            throw notAnAddress(text);
        }
        return c;
    }

    /** As {@link #canonical}, but null for text that is no address. */
    public static String canonicalOrNull(String text) {
        if (text == null) {
            return null;
        }
        int read = AddressText.read(text, 0, text.length(), null);
        if ((read & AddressText.CANONICAL) != 0) {
            return text;
        }
        IpAddress a = read == 0 ? null : parseOrNull(text);
        return a == null ? null : a.toString();
    }

    /** The address of 4 or 16 bytes in network order; 16 bytes of an IPv4-mapped address give the IPv4 address. */
    public static IpAddress of(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + bytes.length);
        }
        if (bytes.length == 4) {
            return new IpAddress(0, MAPPED | bigEndian(bytes, 0, 4));
        }
        return new IpAddress(bigEndian(bytes, 0, 8), bigEndian(bytes, 8, 16));
    }

    /** The address a socket gave. */
    public static IpAddress of(InetAddress address) {
        return of(address.getAddress());
    }

    static IpAddress of(long high, long low) {
        return new IpAddress(high, low);
    }

    private static long bigEndian(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("not an IP address: '" + text + "'");
    }

    static boolean isMapped(long high, long low) {
        return high == 0 && (low & 0xffffffff00000000L) == MAPPED;
    }

    public boolean isIpv4() {
        return isMapped(high, low);
    }

    public boolean isIpv6() {
        return !isIpv4();
    }

    /** 32 or 128. */
    public int bitLength() {
        return isIpv4() ? 32 : 128;
    }

    /** 127.0.0.0/8 and ::1, which are always trusted. */
    public boolean isLoopback() {
        return isIpv4() ? (low >>> 24 & 0xff) == 127 : high == 0 && low == 1;
    }

    /** 4 bytes for IPv4, 16 for IPv6, in network order. */
    public byte[] bytes() {
        int n = isIpv4() ? 4 : 16;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int bit = (n - 1 - i) * 8;
            b[i] = (byte) (bit >= 64 ? high >>> (bit - 64) : low >>> bit);
        }
        return b;
    }

    /** For a socket or a library that takes one; built from the bytes, never looked up. */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(bytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }

    /** {@code 192.0.2.1}, {@code 2001:db8::1}. */
    @Override
    public String toString() {
        return format(high, low);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.high == high && a.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String format(long high, long low) {
        char[] out = new char[39];
        int n = 0;
        if (isMapped(high, low)) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                int octet = (int) (low >>> shift) & 0xff;
                if (octet >= 100) {
                    out[n++] = (char) ('0' + octet / 100);
                }
                if (octet >= 10) {
                    out[n++] = (char) ('0' + octet / 10 % 10);
                }
                out[n++] = (char) ('0' + octet % 10);
                if (shift > 0) {
                    out[n++] = '.';
                }
            }
            return new String(out, 0, n);
        }
        long run = AddressText.compressedRun(high, low);
        int bestStart = (int) (run >> 32);
        int bestEnd = bestStart + (int) run;
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out[n++] = ':';
                out[n++] = ':';
                g = bestEnd - 1;
                continue;
            }
            if (n > 0 && out[n - 1] != ':') {
                out[n++] = ':';
            }
            int v = AddressText.group(high, low, g);
            for (int shift = 12; shift > 0; shift -= 4) {
                if (v >>> shift != 0) {
                    out[n++] = HEX[v >>> shift & 0xf];
                }
            }
            out[n++] = HEX[v & 0xf];
        }
        return new String(out, 0, n);
    }
}
