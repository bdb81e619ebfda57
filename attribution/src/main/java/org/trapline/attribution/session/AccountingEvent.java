package org.trapline.attribution.session;

import java.time.Instant;
import java.util.Objects;

import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;

/**
 * One accounting record as received (from a RADIUS packet or a detail file), already reduced to what
 * the session store keeps. {@code eventTime} follows the RADIUS rule: Event-Timestamp when the NAS
 * sent one, else receive time minus Acct-Delay-Time ({@link #eventTime(Instant, Instant, Long)}).
 *
 * @param vendorAttributes vendor-specific attributes as received, one per line (packets: {@code 0x}
 *                         hex of the whole attribute; detail files: the line FreeRADIUS wrote), or null
 */
public record AccountingEvent(
        AccountingStatus status,
        Instant eventTime,
        Instant receivedAt,
        String nasIpAddress,
        String acctSessionId,
        String userName,
        String framedIpAddress,
        String framedIpv6Address,
        String framedIpv6Prefix,
        String delegatedIpv6Prefix,
        String callingStationId,
        String calledStationId,
        String nasPortId,
        String acctClass,
        Long sessionTime,
        Long inputOctets,
        Long outputOctets,
        String terminateCause,
        String vendorAttributes) {

    public AccountingEvent {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(nasIpAddress, "nasIpAddress");
        if (!status.closesNas() && status != AccountingStatus.OTHER && (acctSessionId == null || acctSessionId.isEmpty())) {
            throw new IllegalArgumentException(status + " without Acct-Session-Id");
        }
        // Lookups compare text, so addresses are stored in one spelling; a value that is no address is refused.
        nasIpAddress = canonicalAddress("NAS-IP-Address", nasIpAddress);
        framedIpAddress = canonicalAddress("Framed-IP-Address", framedIpAddress);
        framedIpv6Address = canonicalAddress("Framed-IPv6-Address", framedIpv6Address);
        framedIpv6Prefix = canonicalPrefix("Framed-IPv6-Prefix", framedIpv6Prefix);
        delegatedIpv6Prefix = canonicalPrefix("Delegated-IPv6-Prefix", delegatedIpv6Prefix);
        // RADIUS attributes hold at most 253 octets; longer text (a hostile detail file) is refused
        // here with a clear message rather than failing a whole batch in the database.
        checkLength("Acct-Session-Id", acctSessionId, 253);
        checkLength("User-Name", userName, 253);
        checkLength("Calling-Station-Id", callingStationId, 253);
        checkLength("Called-Station-Id", calledStationId, 253);
        checkLength("NAS-Port-Id", nasPortId, 253);
        checkLength("Class", acctClass, 512);
        checkLength("Acct-Terminate-Cause", terminateCause, 64);
        checkLength("vendor attributes", vendorAttributes, 65535);
    }

    private static void checkLength(String attribute, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(attribute + " is " + value.length() + " characters long, more than " + max);
        }
    }

    private static String canonicalAddress(String attribute, String text) {
        if (text == null) {
            return null;
        }
        try {
            return IpAddress.canonical(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(attribute + ": " + e.getMessage());
        }
    }

    private static String canonicalPrefix(String attribute, String text) {
        if (text == null || IpPrefix.isCanonicalIpv6(text)) {
            return text;
        }
        try {
            IpPrefix p = IpPrefix.parseMaskingHostBits(text);
            if (!p.isIpv6()) {
                throw new IllegalArgumentException("not an IPv6 prefix: '" + text + "'");
            }
            return p.toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(attribute + ": " + e.getMessage());
        }
    }

    /** Event-Timestamp if present, else receive time minus Acct-Delay-Time (RFC 2866 section 5.2). */
    public static Instant eventTime(Instant eventTimestamp, Instant receivedAt, Long delaySeconds) {
        if (eventTimestamp != null) {
            return eventTimestamp;
        }
        return delaySeconds == null ? receivedAt : receivedAt.minusSeconds(delaySeconds);
    }

    /** A builder, since most records carry only some of the attributes. */
    public static Builder builder(AccountingStatus status, String nasIpAddress) {
        return new Builder(status, nasIpAddress);
    }

    /** Mutable collector used while decoding a packet or a detail record. */
    public static final class Builder {
        private AccountingStatus status;
        private Instant eventTimestamp;
        private Instant receivedAt;
        private Long delay;
        private String nasIpAddress;
        private String acctSessionId, userName, framedIp, framedIpv6Address, framedIpv6Prefix, delegatedIpv6Prefix;
        private String callingStationId, calledStationId, nasPortId, acctClass, terminateCause;
        private Long sessionTime, inputOctets, outputOctets, inputGigawords, outputGigawords;
        private StringBuilder vendor;

        private Builder(AccountingStatus status, String nasIpAddress) {
            this.status = status;
            this.nasIpAddress = nasIpAddress;
        }

        public Builder status(AccountingStatus v) { status = v; return this; }
        public Builder eventTimestamp(Instant v) { eventTimestamp = v; return this; }
        public Builder receivedAt(Instant v) { receivedAt = v; return this; }
        public Builder delaySeconds(Long v) { delay = v; return this; }
        public Builder nasIpAddress(String v) { nasIpAddress = v; return this; }
        public Builder acctSessionId(String v) { acctSessionId = v; return this; }
        public Builder userName(String v) { userName = v; return this; }
        public Builder framedIpAddress(String v) { framedIp = v; return this; }
        public Builder framedIpv6Address(String v) { framedIpv6Address = v; return this; }
        public Builder framedIpv6Prefix(String v) { framedIpv6Prefix = v; return this; }
        public Builder delegatedIpv6Prefix(String v) { delegatedIpv6Prefix = v; return this; }
        public Builder callingStationId(String v) { callingStationId = v; return this; }
        public Builder calledStationId(String v) { calledStationId = v; return this; }
        public Builder nasPortId(String v) { nasPortId = v; return this; }
        public Builder acctClass(String v) { acctClass = v; return this; }
        public Builder terminateCause(String v) { terminateCause = v; return this; }
        public Builder sessionTime(Long v) { sessionTime = v; return this; }
        public Builder inputOctets(Long v) { inputOctets = v; return this; }
        public Builder outputOctets(Long v) { outputOctets = v; return this; }
        public Builder inputGigawords(Long v) { inputGigawords = v; return this; }
        public Builder outputGigawords(Long v) { outputGigawords = v; return this; }

        public Builder vendorAttribute(String raw) {
            if (vendor == null) {
                vendor = new StringBuilder();
            } else {
                vendor.append('\n');
            }
            vendor.append(raw);
            return this;
        }

        public AccountingStatus status() { return status; }
        public String nasIpAddress() { return nasIpAddress; }
        public Instant receivedAt() { return receivedAt; }

        public AccountingEvent build() {
            Instant received = receivedAt == null ? Instant.now() : receivedAt;
            return new AccountingEvent(status, eventTime(eventTimestamp, received, delay), received, nasIpAddress,
                    acctSessionId, userName, framedIp, framedIpv6Address, framedIpv6Prefix, delegatedIpv6Prefix,
                    callingStationId, calledStationId, nasPortId, acctClass, sessionTime,
                    octets(inputOctets, inputGigawords), octets(outputOctets, outputGigawords), terminateCause,
                    vendor == null ? null : vendor.toString());
        }

        private static Long octets(Long low, Long giga) {
            if (low == null) {
                return giga == null ? null : giga << 32;
            }
            return giga == null ? low : (giga << 32) + low;
        }
    }
}
