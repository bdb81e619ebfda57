package org.trapline.attribution.detail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.AccountingStatus;

/**
 * Reads FreeRADIUS {@code detail} files: records of a ctime header line, tab-indented
 * {@code Attribute = value} lines and a blank line. A record that cannot be read is reported with
 * file and line and skipped; the rest of the file is still read.
 *
 * <p>Lines are read as bytes: a plain ASCII line (nearly every line FreeRADIUS writes) is taken apart
 * in place, without a String for the line or the attribute name, and numbers and Event-Timestamps are
 * read straight from the bytes; a line with other bytes is decoded as UTF-8 and read as text. Both
 * give the same result for the same line (Unicode whitespace is stripped only by the text path, which
 * is why it takes every non-ASCII line).
 */
public final class DetailReader {
    /** Where reading stopped: the byte after the last complete record, and the line number there. */
    public record Position(long offset, long line) {
        public static final Position START = new Position(0, 1);
    }

    /** Receives what the reader finds. */
    public interface Sink {
        void record(AccountingEvent event);

        void problem(DetailProblem problem);
    }

    /** What an attribute line sets; an attribute not named here is a vendor's and is kept as written. */
    private enum Field {
        STATUS, USER_NAME, SESSION_ID, UNIQUE_ID, NAS_IPV4, NAS_IPV6, PACKET_SOURCE, FRAMED_IP, FRAMED_IPV6_ADDRESS,
        FRAMED_IPV6_PREFIX, DELEGATED_IPV6_PREFIX, CALLING_STATION, CALLED_STATION, NAS_PORT_ID, CLASS, TERMINATE_CAUSE,
        EVENT_TIMESTAMP, TIMESTAMP(true), DELAY(true), SESSION_TIME(true), IN_OCTETS(true), OUT_OCTETS(true),
        IN_GIGAWORDS(true), OUT_GIGAWORDS(true), IN_OCTETS64(true), OUT_OCTETS64(true),
        /** Standard and FreeRADIUS-internal attributes the store does not keep. */
        IGNORED;

        final boolean number;

        Field() {
            this(false);
        }

        Field(boolean number) {
            this.number = number;
        }
    }

    private static final Map<String, Field> FIELDS = fields();
    /** {@link #FIELDS} as an open-addressing table keyed by the names' bytes, so an ASCII name is found without a String. */
    private static final NameTable NAMES = new NameTable(FIELDS);

    private static Map<String, Field> fields() {
        Map<String, Field> m = new HashMap<>();
        m.put("Acct-Status-Type", Field.STATUS);
        m.put("User-Name", Field.USER_NAME);
        m.put("Acct-Session-Id", Field.SESSION_ID);
        m.put("Acct-Unique-Session-Id", Field.UNIQUE_ID);
        m.put("NAS-IP-Address", Field.NAS_IPV4);
        m.put("NAS-IPv6-Address", Field.NAS_IPV6);
        m.put("Packet-Src-IP-Address", Field.PACKET_SOURCE);
        m.put("Packet-Src-IPv6-Address", Field.PACKET_SOURCE);
        m.put("Framed-IP-Address", Field.FRAMED_IP);
        m.put("Framed-IPv6-Address", Field.FRAMED_IPV6_ADDRESS);
        m.put("Framed-IPv6-Prefix", Field.FRAMED_IPV6_PREFIX);
        m.put("Delegated-IPv6-Prefix", Field.DELEGATED_IPV6_PREFIX);
        m.put("Calling-Station-Id", Field.CALLING_STATION);
        m.put("Called-Station-Id", Field.CALLED_STATION);
        m.put("NAS-Port-Id", Field.NAS_PORT_ID);
        m.put("Class", Field.CLASS);
        m.put("Acct-Terminate-Cause", Field.TERMINATE_CAUSE);
        m.put("Event-Timestamp", Field.EVENT_TIMESTAMP);
        m.put("Timestamp", Field.TIMESTAMP);
        m.put("Acct-Delay-Time", Field.DELAY);
        m.put("Acct-Session-Time", Field.SESSION_TIME);
        m.put("Acct-Input-Octets", Field.IN_OCTETS);
        m.put("Acct-Output-Octets", Field.OUT_OCTETS);
        m.put("Acct-Input-Gigawords", Field.IN_GIGAWORDS);
        m.put("Acct-Output-Gigawords", Field.OUT_GIGAWORDS);
        m.put("Acct-Input-Octets64", Field.IN_OCTETS64);
        m.put("Acct-Output-Octets64", Field.OUT_OCTETS64);
        for (String name : new String[] {"NAS-Port", "NAS-Port-Type", "NAS-Identifier", "Service-Type", "Framed-Protocol",
                "Framed-IP-Netmask", "Framed-Interface-Id", "Framed-IPv6-Pool", "Framed-Pool", "Session-Timeout", "Idle-Timeout",
                "Acct-Authentic", "Acct-Input-Packets", "Acct-Output-Packets", "Acct-Multi-Session-Id", "Acct-Link-Count",
                "Acct-Interim-Interval", "Connect-Info", "Proxy-State", "Packet-Dst-IP-Address", "Packet-Dst-IPv6-Address",
                "Packet-Src-Port", "Packet-Dst-Port", "Packet-Original-Timestamp", "Packet-Transmit-Counter",
                "Stripped-User-Name", "Realm", "Tunnel-Type", "Tunnel-Medium-Type", "Tunnel-Client-Endpoint",
                "Tunnel-Server-Endpoint", "Message-Authenticator"}) {
            m.put(name, Field.IGNORED);
        }
        return Map.copyOf(m);
    }

    private final String fileName;
    private final ZoneId headerZone;

    /**
     * @param headerZone the FreeRADIUS server's zone, used only for a record without {@code Timestamp}
     *                   (its ctime header line then gives the receive time)
     */
    public DetailReader(String fileName, ZoneId headerZone) {
        this.fileName = fileName;
        this.headerZone = headerZone;
    }

    /**
     * Reads records from {@code in}, which is positioned at {@code from}.
     *
     * @param complete true when nothing more will be appended (a last record without a blank line is
     *                 then read too); false while FreeRADIUS may still be writing (it is left for later)
     * @return the position after the last record read
     */
    public Position read(InputStream in, Position from, boolean complete, Sink sink) throws IOException {
        byte[] buf = new byte[1 << 16];
        // A line that continues past the end of buf is gathered here.
        byte[] carry = new byte[256];
        int carryLen = 0;
        boolean carryNonAscii = false;
        long bufOffset = from.offset();
        long lineNo = from.line();
        Position committed = from;
        Record record = new Record(sink);
        int n;
        while ((n = in.read(buf)) > 0) {
            int lineStart = 0;
            for (int i; (i = indexOfNewline(buf, lineStart, n)) >= 0; ) {
                boolean nonAscii = hasNonAscii(buf, lineStart, i);
                boolean blank;
                if (carryLen > 0) {
                    carry = append(carry, carryLen, buf, lineStart, i);
                    blank = record.line(carry, 0, carryLen + i - lineStart, carryNonAscii || nonAscii, lineNo, false);
                    carryLen = 0;
                    carryNonAscii = false;
                } else {
                    blank = record.line(buf, lineStart, i, nonAscii, lineNo, false);
                }
                lineNo++;
                lineStart = i + 1;
                if (blank) {
                    committed = new Position(bufOffset + lineStart, lineNo);
                }
            }
            if (lineStart < n) {
                carry = append(carry, carryLen, buf, lineStart, n);
                carryLen += n - lineStart;
                carryNonAscii |= hasNonAscii(buf, lineStart, n);
            }
            bufOffset += n;
        }
        if (complete) {
            if (carryLen > 0) {
                // A last line without its newline belongs to the record even if it is only whitespace.
                record.line(carry, 0, carryLen, carryNonAscii, lineNo, true);
                lineNo++;
            }
            record.end();
            return new Position(bufOffset, lineNo);
        }
        return committed;
    }

    /** Eight bytes of an array at a time, to look at them as one long. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * Where the first newline in {@code bytes[from, to)} is, or -1; eight bytes per step (a detail file is
     * hundreds of megabytes, and a byte-by-byte scan was the reader's largest cost).
     */
    static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(bytes, i) ^ ('\n' * ONES);
            // The high bit of each byte of x that is zero, and of none before the first such byte
            // (the array is read little-endian, so the first byte is the lowest).
            long zero = (x - ONES) & ~x & HIGH_BITS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether any byte of {@code bytes[from, to)} is outside ASCII. */
    static boolean hasNonAscii(byte[] bytes, int from, int to) {
        long any = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            any |= (long) LONGS.get(bytes, i);
        }
        for (; i < to; i++) {
            any |= bytes[i] & 0xff;
        }
        return (any & HIGH_BITS) != 0;
    }

    private static byte[] append(byte[] to, int len, byte[] from, int start, int end) {
        int need = len + end - start;
        if (need > to.length) {
            to = Arrays.copyOf(to, Math.max(need, to.length * 2));
        }
        System.arraycopy(from, start, to, len, end - start);
        return to;
    }

    private static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;
        final long line;

        BadRecord(long line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    /** As {@link Character#isWhitespace} for an ASCII byte (what String.strip and isBlank remove). */
    private static boolean isSpace(byte b) {
        return b == ' ' || b >= '\t' && b <= '\r' || b >= 0x1c && b <= 0x1f;
    }

    /** The record being read, built line by line; reported to the sink at its end. */
    private final class Record {
        private final Sink sink;
        private final DetailValues.EventTimes eventTimes = new DetailValues.EventTimes();
        private boolean open;
        private long firstLine;
        /** The first problem found: the record is then skipped to its end. */
        private BadRecord bad;
        private AccountingEvent.Builder b;
        private byte[] header = new byte[64];
        private int headerLen = -1;
        private Long inOctets, outOctets, inGiga, outGiga, in64, out64;
        private Instant received;
        private String nasV4, nasV6, packetSource, sessionId, uniqueId;

        Record(Sink sink) {
            this.sink = sink;
        }

        /**
         * One line, {@code bytes[from, to)} without its newline. Returns whether it was blank (which
         * ends a record); {@code content} takes it as part of the record even so.
         */
        boolean line(byte[] bytes, int from, int to, boolean nonAscii, long lineNo, boolean content) {
            if (nonAscii) {
                return line(new String(bytes, from, to - from, StandardCharsets.UTF_8), lineNo, content);
            }
            int s = from, e = to;
            while (s < e && isSpace(bytes[s])) {
                s++;
            }
            if (s == e && !content) {
                end();
                return true;
            }
            boolean first = begin(lineNo);
            if (bad != null) {
                return false;
            }
            if (first && from < to && !isSpace(bytes[from])) {
                if (to - from > header.length) {
                    header = new byte[to - from];
                }
                System.arraycopy(bytes, from, header, 0, to - from);
                headerLen = to - from;
                return false;
            }
            while (e > s && isSpace(bytes[e - 1])) {
                e--;
            }
            int eq = indexOfEquals(bytes, s, e);
            if (eq < 0) {
                if (s < e && bytes[s] == '#') {
                    return false;
                }
                fail(lineNo, "expected 'Attribute = value', got '" + abbreviate(ascii(bytes, s, e)) + "'");
                return false;
            }
            Field field = NAMES.find(bytes, s, eq);
            int vs = eq + 3;
            while (vs < e && isSpace(bytes[vs])) {
                vs++;
            }
            try {
                if (field != null && field.number) {
                    long v = plainNumber(bytes, vs, e);
                    if (v >= 0) {
                        number(field, v);
                        return false;
                    }
                } else if (field == Field.EVENT_TIMESTAMP) {
                    Instant t = eventTimes.parse(bytes, vs, e);
                    if (t != null) {
                        b.eventTimestamp(t);
                        return false;
                    }
                }
                set(field, DetailValues.unquote(ascii(bytes, vs, e)), field == null ? ascii(bytes, s, e) : null);
            } catch (NumberFormatException x) {
                fail(lineNo, ascii(bytes, s, eq) + ": not a number: '" + abbreviate(ascii(bytes, eq + 3, e)) + "'");
            } catch (IllegalArgumentException | DateTimeException x) {
                fail(lineNo, ascii(bytes, s, eq) + ": " + x.getMessage());
            }
            return false;
        }

        /** The same for a line that is not plain ASCII, as text. */
        private boolean line(String text, long lineNo, boolean content) {
            if (text.isBlank() && !content) {
                end();
                return true;
            }
            boolean first = begin(lineNo);
            if (bad != null) {
                return false;
            }
            if (first && !text.isEmpty() && !Character.isWhitespace(text.charAt(0))) {
                byte[] h = text.getBytes(StandardCharsets.UTF_8);
                header = h;
                headerLen = h.length;
                return false;
            }
            String l = text.strip();
            int eq = l.indexOf(" = ");
            if (eq <= 0) {
                if (l.startsWith("#")) {
                    return false;
                }
                fail(lineNo, "expected 'Attribute = value', got '" + abbreviate(l) + "'");
                return false;
            }
            String name = l.substring(0, eq);
            Field field = FIELDS.get(name);
            try {
                set(field, DetailValues.unquote(l.substring(eq + 3).strip()), field == null ? l : null);
            } catch (NumberFormatException x) {
                fail(lineNo, name + ": not a number: '" + abbreviate(l.substring(eq + 3)) + "'");
            } catch (IllegalArgumentException | DateTimeException x) {
                fail(lineNo, name + ": " + x.getMessage());
            }
            return false;
        }

        /** Starts a record at this line if none is open; returns whether it did. */
        private boolean begin(long lineNo) {
            if (open) {
                return false;
            }
            open = true;
            firstLine = lineNo;
            bad = null;
            b = AccountingEvent.builder(null, null);
            headerLen = -1;
            inOctets = outOctets = inGiga = outGiga = in64 = out64 = null;
            received = null;
            nasV4 = nasV6 = packetSource = sessionId = uniqueId = null;
            return true;
        }

        private void fail(long lineNo, String message) {
            bad = new BadRecord(lineNo, message);
        }

        /** Sets what an attribute gives; {@code vendorLine} is the line of an attribute without a field. */
        private void set(Field field, String value, String vendorLine) {
            if (field == null) {
                b.vendorAttribute(vendorLine);
                return;
            }
            if (field.number) {
                number(field, Long.parseLong(value.trim()));
                return;
            }
            switch (field) {
                case STATUS -> b.status(AccountingStatus.ofName(value));
                case USER_NAME -> b.userName(value);
                case SESSION_ID -> sessionId = value;
                case UNIQUE_ID -> uniqueId = value;
                case NAS_IPV4 -> nasV4 = value;
                case NAS_IPV6 -> nasV6 = value;
                case PACKET_SOURCE -> packetSource = value;
                case FRAMED_IP -> b.framedIpAddress(value);
                case FRAMED_IPV6_ADDRESS -> b.framedIpv6Address(value);
                case FRAMED_IPV6_PREFIX -> b.framedIpv6Prefix(value);
                case DELEGATED_IPV6_PREFIX -> b.delegatedIpv6Prefix(value);
                case CALLING_STATION -> b.callingStationId(value);
                case CALLED_STATION -> b.calledStationId(value);
                case NAS_PORT_ID -> b.nasPortId(value);
                case CLASS -> b.acctClass(value);
                case TERMINATE_CAUSE -> b.terminateCause(value);
                case EVENT_TIMESTAMP -> b.eventTimestamp(DetailValues.eventTimestamp(value));
                default -> {
                    // IGNORED: the value was still checked (a bad quoted string makes the record bad).
                }
            }
        }

        private void number(Field field, long v) {
            switch (field) {
                case TIMESTAMP -> received = Instant.ofEpochSecond(v);
                case DELAY -> b.delaySeconds(v);
                case SESSION_TIME -> b.sessionTime(v);
                case IN_OCTETS -> inOctets = v;
                case OUT_OCTETS -> outOctets = v;
                case IN_GIGAWORDS -> inGiga = v;
                case OUT_GIGAWORDS -> outGiga = v;
                case IN_OCTETS64 -> in64 = v;
                case OUT_OCTETS64 -> out64 = v;
                default -> throw new IllegalStateException(field + " is not a number");
            }
        }

        /** Ends the open record, if any: reports it or the problem that spoiled it. */
        void end() {
            if (!open) {
                return;
            }
            open = false;
            try {
                if (bad != null) {
                    throw bad;
                }
                sink.record(toEvent());
            } catch (BadRecord e) {
                sink.problem(new DetailProblem(fileName, e.line, e.getMessage()));
            }
        }

        private AccountingEvent toEvent() throws BadRecord {
            if (b.status() == null) {
                throw new BadRecord(firstLine, "record without Acct-Status-Type");
            }
            String nas = nasV4 != null ? nasV4 : nasV6 != null ? nasV6 : packetSource;
            if (nas == null) {
                throw new BadRecord(firstLine, "record without NAS-IP-Address (nor NAS-IPv6-Address, Packet-Src-IP-Address)");
            }
            b.nasIpAddress(nas);
            // A NAS that sends no Acct-Session-Id leaves FreeRADIUS's hash as the only name of the session.
            b.acctSessionId(sessionId != null ? sessionId : uniqueId);
            if (received == null && headerLen >= 0) {
                // Read only when needed: with Timestamp present the header adds nothing.
                try {
                    received = DetailValues.header(new String(header, 0, headerLen, StandardCharsets.UTF_8), headerZone);
                } catch (IllegalArgumentException e) {
                    throw new BadRecord(firstLine, e.getMessage());
                }
            }
            if (received == null) {
                throw new BadRecord(firstLine, "record without Timestamp nor header date: its time is unknown");
            }
            b.receivedAt(received);
            // FreeRADIUS's 64-bit counters already include the gigawords.
            b.inputOctets(in64 != null ? in64 : inOctets).inputGigawords(in64 != null ? null : inGiga);
            b.outputOctets(out64 != null ? out64 : outOctets).outputGigawords(out64 != null ? null : outGiga);
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw new BadRecord(firstLine, e.getMessage());
            }
        }
    }

    /** Where {@code " = "} first occurs in {@code bytes[from, to)}; -1 when it does not, or only at the start. */
    private static int indexOfEquals(byte[] bytes, int from, int to) {
        for (int i = from + 1; i + 1 < to; i++) {
            if (bytes[i] == '=' && bytes[i - 1] == ' ' && bytes[i + 1] == ' ') {
                return i - 1 > from ? i - 1 : -1;
            }
        }
        return -1;
    }

    /**
     * The value of {@code bytes[from, to)} if it is 1 to 18 decimal digits, bare or quoted; -1 for
     * anything else (signs, spaces, escapes, overflow), which is then read as text.
     */
    private static long plainNumber(byte[] bytes, int from, int to) {
        if (to - from >= 2 && bytes[from] == '"' && bytes[to - 1] == '"') {
            from++;
            to--;
        }
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** Attribute names by their bytes: open addressing on String's own hash of the (ASCII) name. */
    private static final class NameTable {
        private final byte[][] names;
        private final Field[] fields;
        private final int mask;

        NameTable(Map<String, Field> byName) {
            int size = Integer.highestOneBit(byName.size() * 4);
            names = new byte[size][];
            fields = new Field[size];
            mask = size - 1;
            byName.forEach((name, field) -> {
                int i = name.hashCode() & mask;
                while (names[i] != null) {
                    i = (i + 1) & mask;
                }
                names[i] = name.getBytes(StandardCharsets.US_ASCII);
                fields[i] = field;
            });
        }

        /** The field of the name in {@code bytes[from, to)}, or null for a vendor's attribute. */
        Field find(byte[] bytes, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + (bytes[i] & 0xff);
            }
            for (int i = h & mask; names[i] != null; i = (i + 1) & mask) {
                if (Arrays.equals(names[i], 0, names[i].length, bytes, from, to)) {
                    return fields[i];
                }
            }
            return null;
        }
    }
}
