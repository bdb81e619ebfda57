package org.trapline.common.net;

/**
 * Address text in the grammar {@link IpAddress} describes, read in a single pass: the 128 bits it names
 * (IPv4 as its IPv4-mapped form, so a mapped IPv6 spelling and the dotted quad are one address), whether it
 * was written in IPv6 notation (a prefix length then counts 128 bits), and whether the text is already
 * spelled exactly as {@link IpAddress#toString()} prints it, so a caller that keeps text can keep this text.
 * Static and allocation-free, since the detail importer and the Received parser call it for nearly every
 * value they read.
 */
final class AddressText {
    /** Longer than any literal with a sensible zone: refused before it is scanned. */
    static final int MAX_LENGTH = 64;

    /** Flags {@link #read} returns; 0 means no address. */
    static final int ADDRESS = 1, CANONICAL = 2, IPV6_TEXT = 4;

    private static final long NOT_IPV4 = -1;
    /** Set beside the 32 bits {@link #ipv4} returns when an octet has a leading zero. */
    private static final long LEADING_ZERO = 1L << 32;

    private AddressText() {
    }

    /**
     * Reads {@code s[from, to)}: 0 when it is no address, else {@link #ADDRESS} with {@link #CANONICAL} and
     * {@link #IPV6_TEXT} as they apply. The 128 bits go to {@code bits[0]} (high) and {@code bits[1]} (low)
     * unless {@code bits} is null.
     */
    static int read(String s, int from, int to, long[] bits) {
        int start = from;
        int end = to;
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        if (to - from >= 2 && s.charAt(from) == '[' && s.charAt(to - 1) == ']') {
            from++;
            to--;
        }
        if (to == from || to - from > MAX_LENGTH) {
            return 0;
        }
        char first = s.charAt(from);
        if ((first == 'I' || first == 'i') && to - from > 5 && s.regionMatches(true, from, "IPv6:", 0, 5)) {
            from += 5;
        }
        int plain = from == start && to == end ? CANONICAL : 0;
        long v4 = ipv4(s, from, to);
        if (v4 != NOT_IPV4) {
            if (bits != null) {
                bits[0] = 0;
                bits[1] = IpAddress.MAPPED | (v4 & 0xffffffffL);
            }
            return ADDRESS | ((v4 & LEADING_ZERO) == 0 ? plain : 0);
        }
        // Text that is no dotted quad can only be IPv6 text, which has a colon, so any '%' starts a zone.
        int zone = s.indexOf('%', from);
        if (zone >= 0 && zone < to) {
            to = zone;
            plain = 0;
        }
        return ipv6(s, from, to, plain, bits);
    }

    /** Exactly four decimal octets: their 32 bits, with {@link #LEADING_ZERO} if an octet has one; else {@link #NOT_IPV4}. */
    private static long ipv4(String s, int from, int to) {
        long value = 0;
        long leadingZero = 0;
        int octets = 0;
        int i = from;
        while (true) {
            int begin = i;
            int octet = 0;
            while (i < to && i - begin < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - begin;
            if (digits == 0 || digits > 3 || octet > 255) {
                return NOT_IPV4;
            }
            if (digits > 1 && s.charAt(begin) == '0') {
                leadingZero = LEADING_ZERO;
            }
            value = value << 8 | octet;
            if (++octets == 4) {
                return i == to ? value | leadingZero : NOT_IPV4;
            }
            if (i == to || s.charAt(i) != '.') {
                return NOT_IPV4;
            }
            i++;
        }
    }

    private static int ipv6(String s, int from, int to, int plain, long[] bits) {
        // The groups read so far, the latest lowest; the gap's zero groups are put in at the end.
        long high = 0;
        long low = 0;
        int n = 0;
        int gap = -1;
        boolean canonical = plain != 0;
        int i = from;
        if (to - i >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
        }
        while (i < to) {
            int begin = i;
            int value = 0;
            while (i < to && i - begin < 5) {
                char c = s.charAt(i);
                int d;
                if (c >= '0' && c <= '9') {
                    d = c - '0';
                } else if (c >= 'a' && c <= 'f') {
                    d = c - 'a' + 10;
                } else if (c >= 'A' && c <= 'F') {
                    d = c - 'A' + 10;
                    canonical = false;
                } else {
                    break;
                }
                value = value << 4 | d;
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // A dotted quad ends the text and fills the last two groups; IPv6 text never prints one.
                long v4 = n > 6 ? NOT_IPV4 : ipv4(s, begin, to);
                if (v4 == NOT_IPV4) {
                    return 0;
                }
                high = high << 32 | low >>> 32;
                low = low << 32 | (v4 & 0xffffffffL);
                n += 2;
                canonical = false;
                break;
            }
            int digits = i - begin;
            if (digits == 0 || digits > 4 || n == 8) {
                return 0;
            }
            if (digits > 1 && s.charAt(begin) == '0') {
                canonical = false;
            }
            high = high << 16 | low >>> 48;
            low = low << 16 | value;
            n++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':' || ++i == to) {
                return 0;
            }
            if (s.charAt(i) == ':') {
                if (gap >= 0) {
                    return 0;
                }
                gap = n;
                i++;
            }
        }
        if (gap < 0 ? n != 8 : n > 7) {
            return 0;
        }
        if (gap >= 0) {
            // Move the groups before the gap up by the zero groups it stands for.
            int tailBits = 16 * (n - gap);
            int shift = 16 * (8 - n);
            long tailHigh = tailBits >= 64 ? high & (tailBits == 64 ? 0 : -1L >>> (128 - tailBits)) : 0;
            long tailLow = tailBits >= 64 ? low : low & ((1L << tailBits) - 1);
            long headHigh = high & ~tailHigh;
            long headLow = low & ~tailLow;
            if (shift >= 64) {
                headHigh = headLow << (shift - 64);
                headLow = 0;
            } else if (shift > 0) {
                headHigh = headHigh << shift | headLow >>> (64 - shift);
                headLow <<= shift;
            }
            high = headHigh | tailHigh;
            low = headLow | tailLow;
        }
        if (bits != null) {
            bits[0] = high;
            bits[1] = low;
        }
        if (canonical) {
            long run = compressedRun(high, low);
            int bestStart = (int) (run >> 32);
            int bestLength = (int) run;
            boolean compressedAsPrinted = gap < 0 ? bestStart < 0 : bestStart == gap && bestLength == 8 - n;
            // A mapped address prints as its dotted quad.
            canonical = compressedAsPrinted && !IpAddress.isMapped(high, low);
        }
        return ADDRESS | IPV6_TEXT | (canonical ? CANONICAL : 0);
    }

    /** Group {@code g} (0 to 7, 0 the highest) of the 128 bits. */
    static int group(long high, long low, int g) {
        return (int) ((g < 4 ? high : low) >>> (48 - 16 * (g & 3))) & 0xffff;
    }

    /**
     * The zero groups RFC 5952 writes as {@code ::} among the eight of an IPv6 address: the first longest
     * run of two or more. Its start in the high 32 bits (-1 when there is none), its length in the low.
     */
    static long compressedRun(long high, long low) {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(high, low, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(high, low, j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        return ((long) bestStart << 32) | bestLen;
    }
}
