package org.trapline.attribution.accounting;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.AccountingStatus;
import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;

/**
 * Checks and reads an Accounting-Request datagram (RFC 2866) before anything trusts it: length and
 * attribute framing, then the request authenticator, and only then the attributes. Reading is done
 * here rather than by TinyRadius's decoder because that decoder parses attributes before checking
 * the authenticator and loops forever on a Vendor-Specific sub-attribute of length 0.
 */
public final class AccountingPacket {
    static final int ACCOUNTING_REQUEST = 4;
    static final int HEADER = 20;
    private static final byte ACCOUNTING_RESPONSE = 5;
    private static final int PROXY_STATE = 33;
    private static final byte[] ZERO_AUTHENTICATOR = new byte[16];

    /** Why a datagram was refused. */
    public enum Problem { MALFORMED, NOT_ACCOUNTING_REQUEST, BAD_AUTHENTICATOR }

    /** A refused datagram. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        Refused(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private static final String[] TERMINATE_CAUSES = {null, "User-Request", "Lost-Carrier", "Lost-Service", "Idle-Timeout",
            "Session-Timeout", "Admin-Reset", "Admin-Reboot", "Port-Error", "NAS-Error", "NAS-Request", "NAS-Reboot",
            "Port-Unneeded", "Port-Preempted", "Port-Suspended", "Service-Unavailable", "Callback", "User-Error",
            "Host-Request", "Supplicant-Restart", "Reauthentication-Failure", "Port-Reinitialized", "Port-Administratively-Disabled"};

    private final byte[] data;
    private final int length;

    private AccountingPacket(byte[] data, int length) {
        this.data = data;
        this.length = length;
    }

    public int identifier() {
        return data[1] & 0xff;
    }

    public byte[] authenticator() {
        byte[] a = new byte[16];
        System.arraycopy(data, 4, a, 0, 16);
        return a;
    }

    /**
     * Verifies framing and authenticator of {@code data[0..received)}.
     *
     * @throws Refused saying why the datagram cannot be accepted
     */
    public static AccountingPacket verify(byte[] data, int received, byte[] secret, MessageDigest md5) throws Refused {
        if (received < HEADER) {
            throw new Refused(Problem.MALFORMED, "datagram of " + received + " bytes is shorter than a RADIUS header");
        }
        if ((data[0] & 0xff) != ACCOUNTING_REQUEST) {
            throw new Refused(Problem.NOT_ACCOUNTING_REQUEST, "packet code " + (data[0] & 0xff) + " is not Accounting-Request");
        }
        int length = framedLength(data, received);
        md5.reset();
        md5.update(data, 0, 4);
        md5.update(ZERO_AUTHENTICATOR);
        md5.update(data, HEADER, length - HEADER);
        md5.update(secret);
        byte[] expected = md5.digest();
        int diff = 0;
        for (int i = 0; i < 16; i++) {
            diff |= expected[i] ^ data[4 + i];
        }
        if (diff != 0) {
            throw new Refused(Problem.BAD_AUTHENTICATOR, "request authenticator does not match the shared secret");
        }
        return new AccountingPacket(data, length);
    }

    /**
     * The packet's length field, checked against what was received, and its attributes' framing: what any
     * RADIUS packet must pass before a byte of it is read.
     *
     * @throws Refused (MALFORMED) saying where the framing breaks
     */
    static int framedLength(byte[] data, int received) throws Refused {
        if (received < HEADER) {
            throw new Refused(Problem.MALFORMED, "datagram of " + received + " bytes is shorter than a RADIUS header");
        }
        int length = ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        if (length < HEADER || length > received || length > 4096) {
            throw new Refused(Problem.MALFORMED, "length field " + length + " does not fit the " + received + " bytes received");
        }
        for (int pos = HEADER; pos < length; ) {
            if (pos + 2 > length) {
                throw new Refused(Problem.MALFORMED, "attribute header cut off at byte " + pos);
            }
            int alen = data[pos + 1] & 0xff;
            if (alen < 2 || pos + alen > length) {
                throw new Refused(Problem.MALFORMED, "attribute at byte " + pos + " has bad length " + alen);
            }
            pos += alen;
        }
        return length;
    }

    /**
     * The Accounting-Response (RFC 2866 section 3): same identifier, the request's Proxy-State attributes
     * echoed in order, response authenticator MD5(code, identifier, length, request authenticator,
     * attributes, secret).
     */
    public byte[] response(byte[] secret, MessageDigest md5) {
        int size = HEADER;
        for (int pos = HEADER; pos < length; pos += data[pos + 1] & 0xff) {
            if ((data[pos] & 0xff) == PROXY_STATE) {
                size += data[pos + 1] & 0xff;
            }
        }
        byte[] out = new byte[size];
        out[0] = ACCOUNTING_RESPONSE;
        out[1] = data[1];
        out[2] = (byte) (size >> 8);
        out[3] = (byte) size;
        System.arraycopy(data, 4, out, 4, 16);
        int at = HEADER;
        for (int pos = HEADER; pos < length; pos += data[pos + 1] & 0xff) {
            if ((data[pos] & 0xff) == PROXY_STATE) {
                int alen = data[pos + 1] & 0xff;
                System.arraycopy(data, pos, out, at, alen);
                at += alen;
            }
        }
        md5.reset();
        md5.update(out);
        md5.update(secret);
        byte[] digest = md5.digest();
        System.arraycopy(digest, 0, out, 4, 16);
        return out;
    }

    /**
     * The accounting record. NAS-IP-Address names the NAS, else NAS-IPv6-Address, else the source address.
     *
     * <p>An attribute read here whose length is wrong for its type (an address that is not 4 or 16
     * bytes, an integer or time that is not 4, an IPv6 prefix whose bytes do not hold its length) makes
     * the whole record malformed: stored without it, the session would lose its address or its times,
     * and an answer would tell the NAS the record was taken. Attributes not read are not checked.
     *
     * @throws Refused (MALFORMED) for such an attribute, or a record of a session without Acct-Session-Id
     *                 or without Acct-Status-Type
     */
    public AccountingEvent toEvent(InetAddress source, Instant receivedAt) throws Refused {
        AccountingEvent.Builder b = AccountingEvent.builder(null, null).receivedAt(receivedAt);
        String nasV4 = null, nasV6 = null;
        boolean hasStatus = false;
        for (int pos = HEADER; pos < length; ) {
            int type = data[pos] & 0xff;
            int alen = data[pos + 1] & 0xff;
            int v = pos + 2, vlen = alen - 2;
            int expected = fixedLength(type);
            if (expected >= 0 && vlen != expected) {
                throw new Refused(Problem.MALFORMED, NAMES.get(type) + " (" + type + ") of " + vlen + " bytes, not " + expected);
            }
            switch (type) {
                case 1 -> b.userName(text(v, vlen));
                case 4 -> nasV4 = address(v, 4);
                case 8 -> b.framedIpAddress(address(v, 4));
                case 25 -> b.acctClass(printableOrHex(v, vlen));
                case 26 -> b.vendorAttribute("0x" + HexFormat.of().formatHex(data, pos, pos + alen));
                case 30 -> b.calledStationId(text(v, vlen));
                case 31 -> b.callingStationId(text(v, vlen));
                case 40 -> {
                    b.status(AccountingStatus.ofCode((int) integer(v, vlen)));
                    hasStatus = true;
                }
                case 41 -> b.delaySeconds(integer(v, vlen));
                case 42 -> b.inputOctets(integer(v, vlen));
                case 43 -> b.outputOctets(integer(v, vlen));
                case 44 -> b.acctSessionId(text(v, vlen));
                case 46 -> b.sessionTime(integer(v, vlen));
                case 49 -> b.terminateCause(terminateCause(integer(v, vlen)));
                case 52 -> b.inputGigawords(integer(v, vlen));
                case 53 -> b.outputGigawords(integer(v, vlen));
                case 55 -> b.eventTimestamp(Instant.ofEpochSecond(integer(v, vlen)));
                case 87 -> b.nasPortId(text(v, vlen));
                case 95 -> nasV6 = address(v, 16);
                case 97 -> b.framedIpv6Prefix(ipv6Prefix(type, v, vlen));
                case 123 -> b.delegatedIpv6Prefix(ipv6Prefix(type, v, vlen));
                case 168 -> b.framedIpv6Address(address(v, 16));
                default -> {
                    // Other attributes do not bear on who held an address.
                }
            }
            pos += alen;
        }
        if (!hasStatus) {
            throw new Refused(Problem.MALFORMED, "no Acct-Status-Type");
        }
        b.nasIpAddress(nasV4 != null ? nasV4 : nasV6 != null ? nasV6 : IpAddress.of(source).toString());
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Refused(Problem.MALFORMED, e.getMessage());
        }
    }

    private String text(int off, int len) {
        return new String(data, off, len, StandardCharsets.UTF_8);
    }

    private String printableOrHex(int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (data[i] < 0x20 || data[i] == 0x7f) {
                return "0x" + HexFormat.of().formatHex(data, off, off + len);
            }
        }
        return text(off, len);
    }

    private long integer(int off, int len) {
        long n = 0;
        for (int i = 0; i < Math.min(len, 4); i++) {
            n = (n << 8) | (data[off + i] & 0xff);
        }
        return n;
    }

    private String address(int off, int len) {
        return IpAddress.of(Arrays.copyOfRange(data, off, off + len)).toString();
    }

    /** Value bytes of the attributes read here that have a fixed size (RFC 2865, 2866, 2869, 3162, 6911), else -1. */
    private static int fixedLength(int type) {
        return switch (type) {
            case 4, 8, 40, 41, 42, 43, 46, 49, 52, 53, 55 -> 4;
            case 95, 168 -> 16;
            default -> -1;
        };
    }

    /** Names of the attributes whose length is checked, for the log line. */
    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(4, "NAS-IP-Address"),
            Map.entry(8, "Framed-IP-Address"), Map.entry(40, "Acct-Status-Type"), Map.entry(41, "Acct-Delay-Time"),
            Map.entry(42, "Acct-Input-Octets"), Map.entry(43, "Acct-Output-Octets"), Map.entry(46, "Acct-Session-Time"),
            Map.entry(49, "Acct-Terminate-Cause"), Map.entry(52, "Acct-Input-Gigawords"), Map.entry(53, "Acct-Output-Gigawords"),
            Map.entry(55, "Event-Timestamp"), Map.entry(95, "NAS-IPv6-Address"), Map.entry(97, "Framed-IPv6-Prefix"),
            Map.entry(123, "Delegated-IPv6-Prefix"), Map.entry(168, "Framed-IPv6-Address"));

    /**
     * RFC 3162 / RFC 8044: reserved byte, prefix length (0 to 128), then at least as many prefix bytes as
     * the length needs and at most 16. Bits beyond the length are cleared.
     */
    private String ipv6Prefix(int type, int off, int len) throws Refused {
        if (len < 2 || len > 18) {
            throw new Refused(Problem.MALFORMED, NAMES.get(type) + " (" + type + ") of " + len + " bytes, not 2 to 18");
        }
        int bits = data[off + 1] & 0xff;
        if (bits > 128 || (bits + 7) / 8 > len - 2) {
            throw new Refused(Problem.MALFORMED, NAMES.get(type) + " (" + type + ") of length /" + bits + " in "
                    + (len - 2) + " bytes of prefix");
        }
        byte[] net = new byte[16];
        System.arraycopy(data, off + 2, net, 0, len - 2);
        return IpPrefix.of(net, bits).toString();
    }

    private static String terminateCause(long code) {
        return code > 0 && code < TERMINATE_CAUSES.length ? TERMINATE_CAUSES[(int) code] : Long.toString(code);
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
