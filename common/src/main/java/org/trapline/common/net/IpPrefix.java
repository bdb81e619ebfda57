package org.trapline.common.net;

/**
 * An IPv4 or IPv6 network (CIDR prefix), Trapline's one network type. Bits beyond the length are always
 * zero, so two prefixes that cover the same network are equal and print the same ({@code 10.0.0.0/8},
 * {@code 2001:db8:ff00:2300::/56}, as FreeRADIUS writes prefixes). An IPv4-mapped IPv6 prefix of /96 or
 * longer is the IPv4 prefix ({@code ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}), as {@link IpAddress}
 * makes the mapped address the IPv4 one; an IPv6 prefix never contains an IPv4 address.
 *
 * <p>Text with bits set beyond its length is either refused ({@link #parse}: in a list that decides
 * what is spared or trusted, {@code 10.1.2.3/8} is more likely a typo of {@code 10.1.2.3/32} than a way to
 * write {@code 10.0.0.0/8}) or masked ({@link #parseMaskingHostBits}); each caller says which it wants.
 */
public final class IpPrefix {
    private final IpAddress network;
    /** Of the 128-bit form: an IPv4 prefix /n is the mapped prefix /96+n. */
    private final int bits;
    private final long maskHigh;
    private final long maskLow;

    private IpPrefix(long high, long low, int bits) {
        this.bits = bits;
        this.maskHigh = maskHigh(bits);
        this.maskLow = maskLow(bits);
        this.network = IpAddress.of(high & maskHigh, low & maskLow);
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code [2001:db8::]/32}, a bare address (a /32 or
     * /128 of that host) or an IPv4-mapped prefix of /96 or longer; refuses bits set beyond the length.
     *
     * @throws HostBitsSet if bits beyond the length are set (it carries the masked prefix, to suggest)
     * @throws IllegalArgumentException naming the text for anything else that is not a network
     */
    public static IpPrefix parse(String text) {
        return parse(text, false);
    }

    /** As {@link #parse}, but bits beyond the length are cleared: {@code 10.1.2.3/8} is {@code 10.0.0.0/8}. */
    public static IpPrefix parseMaskingHostBits(String text) {
        return parse(text, true);
    }

    private static IpPrefix parse(String text, boolean maskHostBits) {
        String t = text.trim();
        int slash = t.indexOf('/');
        long[] bits = new long[2];
        int read = AddressText.read(t, 0, slash < 0 ? t.length() : slash, bits);
        if (read == 0) {
            throw new IllegalArgumentException("'" + t + "' is not an IP address or CIDR network");
        }
        boolean ipv4 = IpAddress.isMapped(bits[0], bits[1]);
        int length = ipv4 ? 32 : 128;
        if (slash >= 0) {
            length = decimal(t, slash + 1);
            if (length < 0) {
                throw new IllegalArgumentException("'" + t + "' has a bad prefix length");
            }
            if (ipv4 && (read & AddressText.IPV6_TEXT) != 0) {
                // ::ffff:a.b.c.d/120 means a.b.c.d/24; shorter prefixes reach outside the mapped range
                if (length < 96) {
                    throw new IllegalArgumentException("'" + t + "': a mapped IPv4 prefix must be /96 or longer");
                }
                length -= 96;
            }
            int max = ipv4 ? 32 : 128;
            if (length > max) {
                throw new IllegalArgumentException("'" + t + "' has a prefix longer than /" + max);
            }
        }
        IpPrefix p = new IpPrefix(bits[0], bits[1], ipv4 ? 96 + length : length);
        if (!maskHostBits && (p.network.high() != bits[0] || p.network.low() != bits[1])) {
            throw new HostBitsSet(t, p);
        }
        return p;
    }

    /** One to three ASCII digits, with blanks around them, from {@code from} to the end; -1 otherwise. */
    private static int decimal(String t, int from) {
        int to = t.length();
        while (from < to && t.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && t.charAt(to - 1) <= ' ') {
            to--;
        }
        if (to == from || to - from > 3) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The prefix of {@code length} bits (0 to 32, or 0 to 128) that contains {@code address}. */
    public static IpPrefix of(IpAddress address, int length) {
        checkLength(length, address.bitLength());
        return new IpPrefix(address.high(), address.low(), address.isIpv4() ? 96 + length : length);
    }

    /**
     * The prefix of {@code length} bits of {@code network} (4 or 16 bytes, as RADIUS carries a prefix);
     * bits beyond the length are cleared. 16 bytes of an IPv4-mapped network of /96 or longer give the
     * IPv4 prefix, as the same network in text does.
     */
    public static IpPrefix of(byte[] network, int length) {
        IpAddress a = IpAddress.of(network);
        checkLength(length, network.length * 8);
        return new IpPrefix(a.high(), a.low(), network.length == 4 ? 96 + length : length);
    }

    private static void checkLength(int length, int max) {
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + max + " bits");
        }
    }

    /** The /32 or /128 of one host. */
    public static IpPrefix host(IpAddress address) {
        return of(address, address.bitLength());
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
        if (length > 128) {
            return false;
        }
        long[] bits = new long[2];
        int read = AddressText.read(text, 0, slash, bits);
        // Canonical IPv6 text is never a mapped address, which prints as a dotted quad.
        int wanted = AddressText.CANONICAL | AddressText.IPV6_TEXT;
        if ((read & wanted) != wanted) {
            return false;
        }
        return (bits[0] & ~maskHigh(length)) == 0 && (bits[1] & ~maskLow(length)) == 0;
    }

    /** The network bits of a prefix of {@code bits} (0 to 128) among the high 64 of an address. */
    private static long maskHigh(int bits) {
        return bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
    }

    private static long maskLow(int bits) {
        return bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
    }

    /** The first address of the network. */
    public IpAddress network() {
        return network;
    }

    /** Bits of the prefix: 0 to 32 for IPv4, 0 to 128 for IPv6. */
    public int length() {
        return isIpv4() ? bits - 96 : bits;
    }

    public boolean isIpv4() {
        return network.isIpv4();
    }

    public boolean isIpv6() {
        return !isIpv4();
    }

    public boolean contains(IpAddress address) {
        return address.isIpv4() == isIpv4() && ((address.high() ^ network.high()) & maskHigh) == 0
                && ((address.low() ^ network.low()) & maskLow) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.bits == bits && p.network.equals(network);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + bits;
    }

    /** {@code 100.64.0.0/10}, {@code 2001:db8:ff00:2300::/56}. */
    @Override
    public String toString() {
        return network + "/" + length();
    }

    /** Text whose address has bits set beyond its length: refused by {@link #parse}, with what was likely meant. */
    public static final class HostBitsSet extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final transient IpPrefix masked;

        HostBitsSet(String text, IpPrefix masked) {
            super("'" + text + "' has bits set beyond its length; did you mean " + masked + "?");
            this.masked = masked;
        }

        /** The network the text's length gives, its host bits cleared. */
        public IpPrefix masked() {
            return masked;
        }
    }
}
