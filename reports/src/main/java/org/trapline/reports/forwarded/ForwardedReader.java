package org.trapline.reports.forwarded;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.ReportedMessage;
import org.trapline.reports.Statement;
import org.trapline.reports.mime.MimeEntity;

/**
 * Reads spam someone forwarded to the abuse mailbox: attached as message/rfc822 (or
 * text/rfc822-headers), or pasted inline, its header block starting at the first Received line
 * (with the header fields just above it, such as Return-Path), quoted with "> " or not. A forward
 * states no source: the trace decides.
 */
public final class ForwardedReader {

    public boolean recognises(MimeEntity mail) {
        return attached(mail) != null || inline(mail) != null;
    }

    public Report read(MimeEntity mail) {
        ReportedMessage reported = attached(mail);
        if (reported == null) {
            reported = inline(mail);
        }
        if (reported == null) {
            return Report.unknown("forwarded mail without an attached message or inline Received headers");
        }
        return new Report(ReportKind.FORWARDED, "abuse", Statement.NONE, null, null, null, reported, null);
    }

    private static ReportedMessage attached(MimeEntity mail) {
        for (MimeEntity p : mail.descendants()) {
            if (p != mail && (p.contentType().is("message/rfc822") || p.contentType().is("text/rfc822-headers"))) {
                return ReportedMessage.of(p.decodedBody(), p.contentType().is("text/rfc822-headers"));
            }
        }
        return null;
    }

    private static ReportedMessage inline(MimeEntity mail) {
        String text = null;
        if (mail.contentType().isMultipart()) {
            for (MimeEntity p : mail.descendants()) {
                if (p.contentType().is("text/plain")) {
                    text = p.text();
                    break;
                }
            }
        } else if (mail.contentType().is("text/plain")) {
            text = mail.text();
        }
        return text == null ? null : quotedHeaders(text);
    }

    /** The pasted message from its header block on, or null when the text has no Received line. */
    static ReportedMessage quotedHeaders(String text) {
        List<String> lines = text.lines().map(ForwardedReader::unquoted).toList();
        int received = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).regionMatches(true, 0, "Received:", 0, 9)) {
                received = i;
                break;
            }
        }
        if (received < 0) {
            return null;
        }
        int start = received;
        while (start > 0 && isField(lines.get(start - 1))) {
            start--;
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines.subList(start, lines.size())) {
            out.append(l).append("\r\n");
        }
        return ReportedMessage.of(out.toString().getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static boolean isField(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || colon > 76) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private static String unquoted(String line) {
        if (line.startsWith("> ")) {
            return line.substring(2);
        }
        return line.startsWith(">") ? line.substring(1) : line;
    }
}
