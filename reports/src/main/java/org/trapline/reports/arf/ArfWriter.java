package org.trapline.reports.arf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

import org.trapline.reports.out.Incident;
import org.trapline.reports.out.Reporter;

/**
 * Writes an RFC 5965 feedback report about one spam our trap received: a
 * {@code multipart/report; report-type=feedback-report} with a human-readable part, the
 * {@code message/feedback-report} part (with RFC 6692's Source-Port when the port is known) and the
 * original as {@code message/rfc822} byte for byte.
 *
 * <p>message/rfc822 allows no base64 or quoted-printable (RFC 2046 5.2.1), so the original is never
 * re-encoded: it is labelled 7bit when it is plain ASCII with lines of at most 998 octets, 8bit when it
 * also has octets above 127, and binary when it holds NUL, a CR not followed by LF, or a longer line;
 * the human-readable part then says so, because a relay without BINARYMIME may alter such a message.
 * Every value taken from the spam is reduced to printable ASCII on one line before it enters our
 * headers, so it cannot add a header field or end the header section.
 */
public final class ArfWriter {
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final int MAX_VALUE = 900;

    private final SecureRandom random = new SecureRandom();

    /** How the original may be labelled without altering a byte of it. */
    public enum Encoding {
        SEVEN_BIT("7bit"), EIGHT_BIT("8bit"), BINARY("binary");

        final String label;

        Encoding(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param to  the abuse contact the report is addressed to, or null for none (an export)
     * @param now the report's Date
     */
    public byte[] write(Incident incident, Reporter reporter, String to, Instant now) {
        byte[] original = incident.original();
        String boundary = boundary(original);
        Encoding encoding = encodingOf(original);
        StringBuilder head = new StringBuilder();
        header(head, "From", "<" + safe(reporter.contact()) + ">");
        if (to != null) {
            header(head, "To", "<" + safe(to) + ">");
        }
        header(head, "Date", RFC5322.format(now));
        header(head, "Subject", "Abuse report: spam" + (incident.sourceIp() == null ? "" : " from " + safe(incident.sourceIp())));
        header(head, "Message-ID", "<" + HexFormat.of().formatHex(randomBytes(12)) + "@" + safe(reporter.domain()) + ">");
        header(head, "MIME-Version", "1.0");
        header(head, "Content-Type", "multipart/report; report-type=feedback-report; boundary=\"" + boundary + "\"");
        head.append("\r\n");
        head.append("This is a multi-part message in MIME format.\r\n");

        head.append("\r\n--").append(boundary).append("\r\n");
        header(head, "Content-Type", "text/plain; charset=US-ASCII");
        header(head, "Content-Transfer-Encoding", "7bit");
        head.append("\r\n");
        head.append("This is an abuse report (RFC 5965) about a message received by the spamtrap of ")
                .append(safe(reporter.org())).append(".\r\n")
                .append("It came from ").append(incident.sourceIp() == null ? "an unknown address" : safe(incident.sourceIp()))
                .append(incident.sourcePort() > 0 ? " port " + incident.sourcePort() : "")
                .append(" at ").append(RFC5322.format(incident.arrival())).append(".\r\n")
                .append("The original message follows unaltered (SHA-256 ").append(safe(incident.sha256())).append(").\r\n");
        if (encoding == Encoding.BINARY) {
            head.append("It holds NUL, a bare CR or a line over 998 octets, so it is attached as binary;\r\n")
                    .append("a relay that does not support BINARYMIME may alter it.\r\n");
        }

        head.append("\r\n--").append(boundary).append("\r\n");
        header(head, "Content-Type", "message/feedback-report");
        head.append("\r\n");
        header(head, "Feedback-Type", "abuse");
        header(head, "User-Agent", safe(reporter.userAgent()));
        header(head, "Version", "1");
        if (incident.sourceIp() != null) {
            header(head, "Source-IP", safe(incident.sourceIp()));
        }
        if (incident.sourcePort() > 0) {
            header(head, "Source-Port", Integer.toString(incident.sourcePort()));
        }
        header(head, "Arrival-Date", RFC5322.format(incident.arrival()));
        if (incident.mailFrom() != null) {
            header(head, "Original-Mail-From", "<" + safe(unbracket(incident.mailFrom())) + ">");
        }
        for (String rcpt : incident.rcptTo()) {
            header(head, "Original-Rcpt-To", "<" + safe(unbracket(rcpt)) + ">");
        }
        if (incident.reportedDomain() != null && !safe(incident.reportedDomain()).isEmpty()) {
            header(head, "Reported-Domain", safe(incident.reportedDomain()));
        }
        header(head, "Incidents", "1");

        head.append("\r\n--").append(boundary).append("\r\n");
        header(head, "Content-Type", "message/rfc822");
        header(head, "Content-Disposition", "inline");
        header(head, "Content-Transfer-Encoding", encoding.label());
        head.append("\r\n");

        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length + head.length() + 200);
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(original);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The label under which the original travels unaltered. */
    public static Encoding encodingOf(byte[] m) {
        boolean high = false;
        int lineLength = 0;
        for (int i = 0; i < m.length; i++) {
            int b = m[i] & 0xff;
            if (b == 0 || b == '\r' && (i + 1 == m.length || m[i + 1] != '\n')) {
                return Encoding.BINARY;
            }
            if (b == '\n') {
                lineLength = 0;
                continue;
            }
            if (b != '\r' && ++lineLength > 998) {
                return Encoding.BINARY;
            }
            high |= b > 127;
        }
        return high ? Encoding.EIGHT_BIT : Encoding.SEVEN_BIT;
    }

    /**
     * Hostile text as one header value: every octet outside printable ASCII (CR, LF, other controls,
     * non-ASCII) becomes {@code ?}, and the value is cut to {@value #MAX_VALUE} characters.
     */
    static String safe(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(Math.min(value.length(), MAX_VALUE));
        for (int i = 0; i < value.length() && s.length() < MAX_VALUE; i++) {
            char c = value.charAt(i);
            s.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.toString().strip();
    }

    private static String unbracket(String address) {
        String a = address.strip();
        return a.startsWith("<") && a.endsWith(">") ? a.substring(1, a.length() - 1).strip() : a;
    }

    private static void header(StringBuilder head, String name, String value) {
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private String boundary(byte[] original) {
        while (true) {
            String b = "trapline-arf-" + HexFormat.of().formatHex(randomBytes(12));
            if (!contains(original, b.getBytes(StandardCharsets.US_ASCII))) {
                return b;
            }
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
