package org.trapline.attribution.detail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.AccountingStatus;

/**
 * Reads FreeRADIUS {@code detail} files: records of a ctime header line, tab-indented
 * {@code Attribute = value} lines and a blank line. A record that cannot be read is reported with
 * file and line and skipped; the rest of the file is still read.
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

    /** Standard and FreeRADIUS-internal attributes; any other name is a vendor's and is kept as written. */
    private static final Set<String> NOT_VENDOR = Set.of("User-Name", "NAS-IP-Address", "NAS-IPv6-Address", "NAS-Port",
            "NAS-Port-Type", "NAS-Port-Id", "NAS-Identifier", "Service-Type", "Framed-Protocol", "Framed-IP-Address",
            "Framed-IP-Netmask", "Framed-IPv6-Prefix", "Framed-IPv6-Address", "Delegated-IPv6-Prefix", "Framed-Interface-Id",
            "Framed-IPv6-Pool", "Framed-Pool", "Class", "Session-Timeout", "Idle-Timeout", "Called-Station-Id",
            "Calling-Station-Id", "Acct-Status-Type", "Acct-Delay-Time", "Acct-Input-Octets", "Acct-Output-Octets",
            "Acct-Session-Id", "Acct-Authentic", "Acct-Session-Time", "Acct-Input-Packets", "Acct-Output-Packets",
            "Acct-Terminate-Cause", "Acct-Multi-Session-Id", "Acct-Link-Count", "Acct-Input-Gigawords",
            "Acct-Output-Gigawords", "Event-Timestamp", "Acct-Interim-Interval", "Connect-Info", "Acct-Unique-Session-Id",
            "Timestamp", "Acct-Input-Octets64", "Acct-Output-Octets64", "Proxy-State", "Packet-Src-IP-Address",
            "Packet-Src-IPv6-Address", "Packet-Dst-IP-Address", "Packet-Dst-IPv6-Address", "Packet-Src-Port",
            "Packet-Dst-Port", "Packet-Original-Timestamp", "Packet-Transmit-Counter", "Stripped-User-Name", "Realm",
            "Tunnel-Type", "Tunnel-Medium-Type", "Tunnel-Client-Endpoint", "Tunnel-Server-Endpoint", "Message-Authenticator");

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
        byte[] line = new byte[256];
        int lineLen = 0;
        long offset = from.offset();
        long lineNo = from.line();
        Position committed = from;
        List<String> record = new ArrayList<>(24);
        long recordLine = lineNo;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                offset++;
                if (b != '\n') {
                    if (lineLen == line.length) {
                        line = java.util.Arrays.copyOf(line, line.length * 2);
                    }
                    line[lineLen++] = b;
                    continue;
                }
                String text = new String(line, 0, lineLen, StandardCharsets.UTF_8);
                lineLen = 0;
                if (text.isBlank()) {
                    if (!record.isEmpty()) {
                        parse(record, recordLine, sink);
                        record.clear();
                    }
                    lineNo++;
                    committed = new Position(offset, lineNo);
                    recordLine = lineNo;
                } else {
                    if (record.isEmpty()) {
                        recordLine = lineNo;
                    }
                    record.add(text);
                    lineNo++;
                }
            }
        }
        if (complete) {
            if (lineLen > 0) {
                record.add(new String(line, 0, lineLen, StandardCharsets.UTF_8));
                lineNo++;
            }
            if (!record.isEmpty()) {
                parse(record, recordLine, sink);
            }
            return new Position(offset, lineNo);
        }
        return committed;
    }

    private void parse(List<String> lines, long firstLine, Sink sink) {
        try {
            sink.record(toEvent(lines, firstLine));
        } catch (BadRecord e) {
            sink.problem(new DetailProblem(fileName, e.line, e.getMessage()));
        }
    }

    private static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;
        final long line;

        BadRecord(long line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private AccountingEvent toEvent(List<String> lines, long firstLine) throws BadRecord {
        AccountingEvent.Builder b = AccountingEvent.builder(null, null);
        int start = 0;
        String header = null;
        String first = lines.get(0);
        if (!first.isEmpty() && !Character.isWhitespace(first.charAt(0))) {
            start = 1;
            header = first;
        }
        Long inOctets = null, outOctets = null, inGiga = null, outGiga = null, in64 = null, out64 = null;
        Instant received = null;
        String nasV4 = null, nasV6 = null, packetSource = null, sessionId = null, uniqueId = null;
        for (int i = start; i < lines.size(); i++) {
            long lineNo = firstLine + i;
            String l = lines.get(i).strip();
            int eq = l.indexOf(" = ");
            if (eq <= 0 && l.startsWith("#")) {
                continue;
            }
            if (eq <= 0) {
                throw new BadRecord(lineNo, "expected 'Attribute = value', got '" + abbreviate(l) + "'");
            }
            String name = l.substring(0, eq);
            String value;
            try {
                value = DetailValues.unquote(l.substring(eq + 3).strip());
                switch (name) {
                    case "Acct-Status-Type" -> b.status(AccountingStatus.ofName(value));
                    case "User-Name" -> b.userName(value);
                    case "Acct-Session-Id" -> sessionId = value;
                    case "Acct-Unique-Session-Id" -> uniqueId = value;
                    case "NAS-IP-Address" -> nasV4 = value;
                    case "NAS-IPv6-Address" -> nasV6 = value;
                    case "Packet-Src-IP-Address", "Packet-Src-IPv6-Address" -> packetSource = value;
                    case "Framed-IP-Address" -> b.framedIpAddress(value);
                    case "Framed-IPv6-Address" -> b.framedIpv6Address(value);
                    case "Framed-IPv6-Prefix" -> b.framedIpv6Prefix(value);
                    case "Delegated-IPv6-Prefix" -> b.delegatedIpv6Prefix(value);
                    case "Calling-Station-Id" -> b.callingStationId(value);
                    case "Called-Station-Id" -> b.calledStationId(value);
                    case "NAS-Port-Id" -> b.nasPortId(value);
                    case "Class" -> b.acctClass(value);
                    case "Acct-Terminate-Cause" -> b.terminateCause(value);
                    case "Event-Timestamp" -> b.eventTimestamp(DetailValues.eventTimestamp(value));
                    case "Timestamp" -> received = Instant.ofEpochSecond(Long.parseLong(value.trim()));
                    case "Acct-Delay-Time" -> b.delaySeconds(Long.parseLong(value.trim()));
                    case "Acct-Session-Time" -> b.sessionTime(Long.parseLong(value.trim()));
                    case "Acct-Input-Octets" -> inOctets = Long.parseLong(value.trim());
                    case "Acct-Output-Octets" -> outOctets = Long.parseLong(value.trim());
                    case "Acct-Input-Gigawords" -> inGiga = Long.parseLong(value.trim());
                    case "Acct-Output-Gigawords" -> outGiga = Long.parseLong(value.trim());
                    case "Acct-Input-Octets64" -> in64 = Long.parseLong(value.trim());
                    case "Acct-Output-Octets64" -> out64 = Long.parseLong(value.trim());
                    default -> {
                        if (!NOT_VENDOR.contains(name)) {
                            b.vendorAttribute(l);
                        }
                    }
                }
            } catch (NumberFormatException e) {
                throw new BadRecord(lineNo, name + ": not a number: '" + abbreviate(l.substring(eq + 3)) + "'");
            } catch (IllegalArgumentException e) {
                throw new BadRecord(lineNo, name + ": " + e.getMessage());
            }
        }
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
        if (received == null && header != null) {
            // Read only when needed: with Timestamp present the header adds nothing.
            try {
                received = DetailValues.header(header, headerZone);
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

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
