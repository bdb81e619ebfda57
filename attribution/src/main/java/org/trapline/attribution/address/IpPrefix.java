package org.trapline.attribution.address;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network: address bits beyond {@code length} are always zero, so two prefixes that
 * cover the same network are equal and print the same (RFC 5952 text, as FreeRADIUS writes it).
 */
public record IpPrefix(byte[] network, int length) {

    public IpPrefix {
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + network.length);
        }
        if (length < 0 || length > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + network.length * 8 + " bits");
        }
        network = mask(network.clone(), length);
    }

    /** The prefix of {@code length} bits that contains {@code address}. */
    public static IpPrefix of(InetAddress address, int length) {
        return new IpPrefix(Addresses.bytes(address), length);
    }

    /** A single host: /32 or /128. */
    public static IpPrefix host(InetAddress address) {
        byte[] b = Addresses.bytes(address);
        return new IpPrefix(b, b.length * 8);
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/56} or a bare address (a host prefix).
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static IpPrefix parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        InetAddress address = Addresses.parseLiteral(slash < 0 ? t : t.substring(0, slash));
        byte[] bytes = Addresses.bytes(address);
        if (slash < 0) {
            return new IpPrefix(bytes, bytes.length * 8);
        }
        int len;
        try {
            len = Integer.parseInt(t.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new IpPrefix(bytes, len);
    }

    /**
     * Whether {@code text} is an IPv6 prefix spelled as {@link #toString()} prints it (the address in
     * canonical spelling, no host bits set, the length in plain decimal): {@code parse(text).toString()}
     * would give it back, so a value already stored that way (what FreeRADIUS writes) need not be parsed.
     */
    public static boolean isCanonicalIpv6(String text) {
        int slash = text.indexOf('/');
        int digits = text.length() - slash - 1;
        if (slash < 0 || digits < 1 || digits > 3 || digits > 1 && text.charAt(slash + 1) == '0') {
            return false;
        }
        int length = 0;
        for (int i = slash + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            length = length * 10 + (c - '0');
        }
        int[] groups = length <= 128 ? Addresses.canonicalIpv6Groups(text, 0, slash) : null;
        if (groups == null) {
            return false;
        }
        for (int g = 0; g < 8; g++) {
            int networkBits = Math.max(0, Math.min(16, length - g * 16));
            if ((groups[g] & (0xffff >> networkBits)) != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    public boolean contains(InetAddress address) {
        byte[] b = Addresses.bytes(address);
        if (b.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(b, length), network);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + length;
    }

    /** {@code 100.64.0.0/10}, {@code 2001:db8:ff00:2300::/56}. */
    @Override
    public String toString() {
        return Addresses.format(network) + "/" + length;
    }

    private static byte[] mask(byte[] b, int length) {
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            b[i] &= (byte) (0xff00 >> keep);
        }
        return b;
    }
}
