package org.trapline.origin;

import java.util.ArrayList;
import java.util.List;

import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;

/** A set of networks, e.g. the trusted networks; immutable. */
public record Networks(List<IpPrefix> prefixes) {

    /** The empty set. */
    public static final Networks NONE = new Networks(List.of());

    public Networks {
        prefixes = List.copyOf(prefixes);
    }

    /**
     * Parses a comma- or whitespace-separated list such as {@code "10.0.0.0/8, 2001:db8::/32"};
     * null or blank gives the empty set. Bits beyond a prefix's length are cleared, as SpamAssassin does.
     *
     * @throws IllegalArgumentException naming the first entry that is not an address or network
     */
    public static Networks parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<IpPrefix> out = new ArrayList<>();
        for (String item : list.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                out.add(IpPrefix.parseMaskingHostBits(item));
            }
        }
        return new Networks(out);
    }

    /** Parses each element of a list as {@link #parse(String)} does. */
    public static Networks parse(List<String> items) {
        return parse(String.join(",", items));
    }

    /** True when the address (any literal {@link IpAddress} accepts) lies in one of the networks. */
    public boolean contains(String ip) {
        IpAddress address = IpAddress.parseOrNull(ip);
        return address != null && contains(address);
    }

    /** True when the address lies in one of the networks. */
    public boolean contains(IpAddress address) {
        for (IpPrefix p : prefixes) {
            if (p.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** True when there are no networks. */
    public boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** The union of both sets. */
    public Networks plus(Networks other) {
        List<IpPrefix> all = new ArrayList<>(prefixes);
        for (IpPrefix p : other.prefixes) {
            if (!all.contains(p)) {
                all.add(p);
            }
        }
        return new Networks(all);
    }

    @Override
    public String toString() {
        return prefixes.toString();
    }
}
