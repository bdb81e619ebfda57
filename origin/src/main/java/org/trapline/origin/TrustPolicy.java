package org.trapline.origin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.trapline.common.net.IpAddress;

/**
 * Which relays' Received headers are believed, after SpamAssassin's trusted/internal/msa networks.
 *
 * <ul>
 *   <li>{@code trusted}: hosts whose headers are believed (our MX nodes, relays, submission servers);
 *       127.0.0.0/8 and ::1 are always trusted.</li>
 *   <li>{@code internal}: our own networks, a subset of the trusted ones. As in SpamAssassin, when
 *       only one of trusted/internal is set it serves as both, and internal networks are always
 *       trusted.</li>
 *   <li>{@code msa}: submission servers; the client a header written by one of them names is treated
 *       as authenticated submission. MSAs are trusted.</li>
 *   <li>{@code extraHopHeaders}: headers such as {@code X-Originating-IP} that a webmail front end
 *       writes with the browser's address; each present one becomes a pseudo-hop older than every
 *       Received header, believed only if every hop above it was.</li>
 * </ul>
 */
public record TrustPolicy(Networks trusted, Networks internal, Networks msa, List<String> extraHopHeaders) {

    /** Settings key: comma-separated trusted networks. */
    public static final String TRUSTED_KEY = "origin.trusted-networks";
    /** Settings key: comma-separated internal networks. */
    public static final String INTERNAL_KEY = "origin.internal-networks";
    /** Settings key: comma-separated MSA networks. */
    public static final String MSA_KEY = "origin.msa-networks";
    /** Settings key: comma-separated header names read as extra (oldest) hops. */
    public static final String EXTRA_HOP_HEADERS_KEY = "origin.extra-hop-headers";

    /** Default for {@link #EXTRA_HOP_HEADERS_KEY}: SpamAssassin's originating_ip_headers. */
    public static final List<String> DEFAULT_EXTRA_HOP_HEADERS = List.of("X-Yahoo-Post-IP", "X-Originating-IP",
            "X-Apparently-From", "X-SenderIP");

    private static final Networks LOOPBACK = Networks.parse("127.0.0.0/8, ::1");

    public TrustPolicy {
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(internal, "internal");
        Objects.requireNonNull(msa, "msa");
        extraHopHeaders = List.copyOf(extraHopHeaders);
    }

    /** Only loopback trusted, no extra hop headers. */
    public static TrustPolicy loopbackOnly() {
        return new TrustPolicy(Networks.NONE, Networks.NONE, Networks.NONE, List.of());
    }

    /**
     * Reads the {@code origin.*} keys; absent keys take their defaults (no networks; SpamAssassin's
     * four webmail headers for {@code origin.extra-hop-headers}, which an empty value turns off).
     *
     * @throws IllegalArgumentException naming the key and the entry that is not a network
     */
    public static TrustPolicy fromProperties(Properties p) {
        Networks trusted = networks(p, TRUSTED_KEY);
        Networks internal = networks(p, INTERNAL_KEY);
        Networks msa = networks(p, MSA_KEY);
        String extra = p.getProperty(EXTRA_HOP_HEADERS_KEY);
        List<String> headers = extra == null ? DEFAULT_EXTRA_HOP_HEADERS : splitNames(extra);
        return new TrustPolicy(trusted, internal, msa, headers);
    }

    private static Networks networks(Properties p, String key) {
        try {
            return Networks.parse(p.getProperty(key, ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** Splits a comma-separated list of header names. */
    public static List<String> splitNames(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** A copy with other trusted networks. */
    public TrustPolicy withTrusted(Networks n) {
        return new TrustPolicy(n, internal, msa, extraHopHeaders);
    }

    /** A copy with other internal networks. */
    public TrustPolicy withInternal(Networks n) {
        return new TrustPolicy(trusted, n, msa, extraHopHeaders);
    }

    /** A copy with other MSA networks. */
    public TrustPolicy withMsa(Networks n) {
        return new TrustPolicy(trusted, internal, n, extraHopHeaders);
    }

    /** A copy with other extra hop headers. */
    public TrustPolicy withExtraHopHeaders(List<String> names) {
        return new TrustPolicy(trusted, internal, msa, names);
    }

    /** True when a host at this address writes headers we believe. */
    public boolean isTrusted(String ip) {
        IpAddress a = IpAddress.parseOrNull(ip);
        if (a == null) {
            return false;
        }
        return a.isLoopback() || effectiveTrusted().contains(a) || effectiveInternal().contains(a)
                || msa.contains(a);
    }

    /** True when the address is inside our own networks. */
    public boolean isInternal(String ip) {
        IpAddress a = IpAddress.parseOrNull(ip);
        return a != null && (a.isLoopback() || effectiveInternal().contains(a));
    }

    /** True when the address is one of our submission servers. */
    public boolean isMsa(String ip) {
        IpAddress a = IpAddress.parseOrNull(ip);
        return a != null && msa.contains(a);
    }

    private Networks effectiveTrusted() {
        return trusted.isEmpty() ? internal : trusted;
    }

    private Networks effectiveInternal() {
        return internal.isEmpty() ? trusted : internal;
    }
}
