package org.trapline.reports.intake;

import java.util.ArrayList;
import java.util.List;

import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;
import org.trapline.origin.Networks;

/**
 * Everything outside our subscriber networks, as networks: the reporter's MX and every relay between
 * it and us are outside them, so a trust walk that trusts this set walks down the quoted Received chain
 * until the hop whose client is one of our subscribers: the hop where the spam left our networks. The
 * complement of n prefixes needs at most 32n (IPv4) or 128n (IPv6) prefixes.
 */
final class SubscriberBoundary {

    private SubscriberBoundary() {
    }

    /** The networks outside {@code ours}, IPv4 and IPv6; empty when {@code ours} is empty (every address is ours). */
    static Networks outside(List<IpPrefix> ours) {
        if (ours.isEmpty()) {
            return Networks.NONE;
        }
        List<IpPrefix> out = new ArrayList<>();
        complement(IpPrefix.of(new byte[4], 0), ours, out);
        complement(IpPrefix.of(new byte[16], 0), ours, out);
        return new Networks(out);
    }

    private static void complement(IpPrefix root, List<IpPrefix> ours, List<IpPrefix> out) {
        boolean overlaps = false;
        for (IpPrefix p : ours) {
            if (p.isIpv4() != root.isIpv4()) {
                continue;
            }
            if (p.length() <= root.length() && p.contains(root.network())) {
                return; // all of root is ours
            }
            if (root.contains(p.network())) {
                overlaps = true;
            }
        }
        if (!overlaps) {
            out.add(root);
            return;
        }
        int bits = root.isIpv4() ? 32 : 128;
        if (root.length() == bits) {
            return;
        }
        byte[] low = root.network().bytes();
        byte[] high = low.clone();
        int bit = root.length();
        high[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        complement(IpPrefix.of(low, root.length() + 1), ours, out);
        complement(IpPrefix.of(high, root.length() + 1), ours, out);
    }

    /** Whether the address is in one of the prefixes (every address, when there are none). */
    static boolean isOurs(List<IpPrefix> ours, String ip) {
        IpAddress a = IpAddress.parseOrNull(ip);
        if (a == null) {
            return false;
        }
        return ours.isEmpty() || ours.stream().anyMatch(p -> p.contains(a));
    }
}
