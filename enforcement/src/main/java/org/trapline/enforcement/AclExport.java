package org.trapline.enforcement;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders the addresses blocked right now as router configuration: a Cisco IOS extended ACL, a MikroTik
 * address-list script, or an nftables set. Output is deterministic for the same blocks and clock:
 * addresses sorted numerically (IPv4 before IPv6), one line per address, remaining time rounded up to
 * whole seconds. Each script first clears what an earlier paste left, so it can be re-applied.
 */
public final class AclExport {

    /** Router dialect. */
    public enum Format {
        CISCO, MIKROTIK, NFTABLES;

        /** {@code cisco}, {@code mikrotik} or {@code nftables}. */
        public static Format parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown ACL format '" + text.strip() + "' (use cisco, mikrotik or nftables)");
            }
        }
    }

    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private AclExport() {}

    /** One address to block, until when (null: no end). */
    private record Entry(InetAddress address, String text, Instant until) {}

    public static String render(Format format, String name, List<BlockedAddress> blocked, Instant now) {
        List<String> rejected = new ArrayList<>();
        List<Entry> entries = entries(blocked, now, rejected);
        List<Entry> v4 = entries.stream().filter(e -> e.address().getAddress().length == 4).toList();
        List<Entry> v6 = entries.stream().filter(e -> e.address().getAddress().length == 16).toList();
        StringBuilder out = new StringBuilder();
        String comment = format == Format.CISCO ? "!" : "#";
        out.append(comment).append(" Trapline SMTP block list ").append(name).append(": ").append(entries.size())
                .append(entries.size() == 1 ? " address" : " addresses").append(", as of ").append(now).append('\n');
        for (String r : rejected) out.append(comment).append(" skipped, not an IP address: ").append(r).append('\n');
        switch (format) {
            case CISCO -> cisco(out, name, v4, v6);
            case MIKROTIK -> mikrotik(out, name, v4, v6, now);
            case NFTABLES -> nftables(out, name, v4, v6, now);
        }
        return out.toString();
    }

    private static void cisco(StringBuilder out, String name, List<Entry> v4, List<Entry> v6) {
        out.append("no ip access-list extended ").append(name).append('\n');
        out.append("ip access-list extended ").append(name).append('\n');
        for (Entry e : v4) out.append(" deny tcp host ").append(e.text()).append(" any eq smtp\n");
        out.append(" permit ip any any\n");
        if (!v6.isEmpty()) {
            out.append("no ipv6 access-list ").append(name).append("-v6\n");
            out.append("ipv6 access-list ").append(name).append("-v6\n");
            for (Entry e : v6) out.append(" deny tcp host ").append(e.text()).append(" any eq smtp\n");
            out.append(" permit ipv6 any any\n");
        }
    }

    private static void mikrotik(StringBuilder out, String name, List<Entry> v4, List<Entry> v6, Instant now) {
        mikrotikList(out, "/ip firewall address-list", name, v4, "", now);
        if (!v6.isEmpty()) mikrotikList(out, "/ipv6 firewall address-list", name, v6, "/128", now);
    }

    private static void mikrotikList(StringBuilder out, String menu, String name, List<Entry> entries, String suffix, Instant now) {
        out.append(menu).append('\n');
        out.append("remove [find where list=\"").append(name).append("\" and comment=\"trapline\"]\n");
        for (Entry e : entries) {
            out.append("add list=").append(name).append(" address=").append(e.text()).append(suffix);
            if (e.until() != null) out.append(" timeout=").append(span(now, e.until()));
            out.append(" comment=\"trapline\"\n");
        }
    }

    private static void nftables(StringBuilder out, String name, List<Entry> v4, List<Entry> v6, Instant now) {
        String set = name.replace('-', '_');
        out.append("add table inet trapline\n");
        nftSet(out, set + "_v4", "ipv4_addr", v4, now);
        nftSet(out, set + "_v6", "ipv6_addr", v6, now);
    }

    private static void nftSet(StringBuilder out, String set, String type, List<Entry> entries, Instant now) {
        out.append("add set inet trapline ").append(set).append(" { type ").append(type).append("; flags timeout; }\n");
        out.append("flush set inet trapline ").append(set).append('\n');
        if (entries.isEmpty()) return;
        out.append("add element inet trapline ").append(set).append(" {");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            out.append(i == 0 ? " " : ", ").append(e.text());
            if (e.until() != null) out.append(" timeout ").append(span(now, e.until()));
        }
        out.append(" }\n");
    }

    /** Remaining time as {@code 1d2h3m4s}, rounded up to a second so an entry never ends early. */
    static String span(Instant now, Instant until) {
        Duration d = Duration.between(now, until);
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        if (s < 1) s = 1;
        StringBuilder b = new StringBuilder();
        long days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60, seconds = s % 60;
        if (days > 0) b.append(days).append('d');
        if (hours > 0) b.append(hours).append('h');
        if (minutes > 0) b.append(minutes).append('m');
        if (seconds > 0) b.append(seconds).append('s');
        return b.toString();
    }

    private static List<Entry> entries(List<BlockedAddress> blocked, Instant now, List<String> rejected) {
        // One line per address: if two subscribers' blocks name it, the longer block wins.
        Map<String, Entry> byAddress = new TreeMap<>();
        for (BlockedAddress b : blocked) {
            if (b.until() != null && !b.until().isAfter(now)) continue;
            InetAddress address = literal(b.address());
            if (address == null) {
                rejected.add(b.address() == null ? "(none)" : b.address().replaceAll("[^\\x21-\\x7e]", "?"));
                continue;
            }
            String text = address.getAddress().length == 16 ? compact(address.getAddress()) : address.getHostAddress();
            Entry e = new Entry(address, text, b.until());
            byAddress.merge(text, e, (x, y) -> x.until() == null ? x : y.until() == null ? y : x.until().isAfter(y.until()) ? x : y);
        }
        List<Entry> out = new ArrayList<>(byAddress.values());
        out.sort(Comparator.comparingInt((Entry e) -> e.address().getAddress().length)
                .thenComparing((x, y) -> Arrays.compareUnsigned(x.address().getAddress(), y.address().getAddress())));
        rejected.sort(null);
        return out;
    }

    /** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as {@code ::}. */
    static String compact(byte[] v6) {
        return org.trapline.common.net.IpAddress.of(v6).toString();
    }

    /** Parses an IP literal, never a host name (no DNS from an export); null if it is not one. */
    private static InetAddress literal(String text) {
        if (text == null) return null;
        String t = text.strip();
        boolean v4 = V4.matcher(t).matches();
        if (!(v4 || (t.contains(":") && V6.matcher(t).matches()))) return null;
        // An out-of-range dotted quad is not a literal to Java and would be looked up in DNS.
        if (v4 && Arrays.stream(t.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) return null;
        try {
            // ::ffff:a.b.c.d comes back as IPv4, which is what a router needs.
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
