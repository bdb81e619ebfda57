package org.trapline.origin;

import java.util.ArrayList;
import java.util.List;

/** A set of networks, e.g. the trusted networks; immutable. */
public record Networks(List<Cidr> cidrs) {

    /** The empty set. */
    public static final Networks NONE = new Networks(List.of());

    public Networks {
        cidrs = List.copyOf(cidrs);
    }

    /**
     * Parses a comma- or whitespace-separated list such as {@code "10.0.0.0/8, 2001:db8::/32"};
     * null or blank gives the empty set.
     *
     * @throws IllegalArgumentException naming the first entry that is not an address or network
     */
    public static Networks parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<Cidr> out = new ArrayList<>();
        for (String item : list.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                out.add(Cidr.parse(item));
            }
        }
        return new Networks(out);
    }

    /** Parses each element of a list as {@link #parse(String)} does. */
    public static Networks parse(List<String> items) {
        return parse(String.join(",", items));
    }

    /** True when the address (any literal {@link IpAddresses} accepts) lies in one of the networks. */
    public boolean contains(String ip) {
        byte[] bytes = IpAddresses.parse(ip);
        return bytes != null && contains(bytes);
    }

    /** True when the address bytes lie in one of the networks. */
    public boolean contains(byte[] address) {
        for (Cidr c : cidrs) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** True when there are no networks. */
    public boolean isEmpty() {
        return cidrs.isEmpty();
    }

    /** The union of both sets. */
    public Networks plus(Networks other) {
        List<Cidr> all = new ArrayList<>(cidrs);
        for (Cidr c : other.cidrs) {
            if (!all.contains(c)) {
                all.add(c);
            }
        }
        return new Networks(all);
    }

    @Override
    public String toString() {
        return cidrs.toString();
    }
}
