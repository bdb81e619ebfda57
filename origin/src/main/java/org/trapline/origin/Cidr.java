package org.trapline.origin;

/**
 * One network: an address and a prefix length, IPv4 or IPv6. A bare address is a host network
 * (/32 or /128). An IPv4-mapped IPv6 network of /96 or longer is stored as the IPv4 network, the
 * same normalisation {@link IpAddresses} applies to addresses.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network must be 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code 2001:db8::/32}, {@code [2001:db8::1]}.
     *
     * @throws IllegalArgumentException naming the text when it is not an address or network
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        boolean written6 = addr.indexOf(':') >= 0;
        byte[] bytes = IpAddresses.parse(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not an IP address or CIDR network");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1).trim();
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text.trim() + "' has a bad prefix length");
            }
            prefix = Integer.parseInt(p);
            if (written6 && bytes.length == 4) {
                // ::ffff:a.b.c.d/120 means a.b.c.d/24; shorter prefixes reach outside the mapped range
                if (prefix < 96) {
                    throw new IllegalArgumentException("'" + text.trim() + "': a mapped IPv4 prefix must be /96 or longer");
                }
                prefix -= 96;
            }
            if (prefix > max) {
                throw new IllegalArgumentException("'" + text.trim() + "' has a prefix longer than /" + max);
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** True when the address bytes (4 or 16) lie in this network. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefix;
    }
}
