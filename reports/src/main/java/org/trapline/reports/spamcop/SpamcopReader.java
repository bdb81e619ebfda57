package org.trapline.reports.spamcop;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.ReportedMessage;
import org.trapline.reports.Statement;
import org.trapline.reports.mime.MailDate;
import org.trapline.reports.mime.MimeEntity;

/**
 * Reads a SpamCop report: the line {@code Email from 192.0.2.1 / Sun, 11 Aug 2002 00:11:15 -0700}
 * names the source SpamCop traced and when, and the offending message follows
 * {@code Offending message:}, as plain lines or quoted with "> ", or comes as a message/rfc822 part.
 */
public final class SpamcopReader {
    private static final String EMAIL_FROM = "Email from ";
    private static final String OFFENDING = "Offending message:";

    /** Whether the text has SpamCop's "Email from IP / date" line and names SpamCop or its offending message. */
    public boolean recognises(MimeEntity mail) {
        String text = reportText(mail);
        return emailFromLine(text) != null && (text.contains("SpamCop") || text.contains(OFFENDING));
    }

    public Report read(MimeEntity mail) {
        String text = reportText(mail);
        String line = emailFromLine(text);
        if (line == null) {
            return Report.unknown("SpamCop report without an \"Email from IP / date\" line");
        }
        String rest = line.substring(EMAIL_FROM.length());
        String ip;
        String date;
        if (rest.startsWith("/ ")) {
            ip = ""; // SpamCop found no source it would name
            date = rest.substring(2);
        } else {
            int slash = rest.indexOf(" / ");
            ip = slash < 0 ? rest : rest.substring(0, slash);
            date = slash < 0 ? null : rest.substring(slash + 3);
        }
        Statement stated = Statement.read(ip, null, MailDate.parse(date));
        ReportedMessage reported = attached(mail);
        if (reported == null) {
            reported = quoted(text);
        }
        String note = stated.hasIp() ? null : "SpamCop's \"Email from\" line names no address: '" + ip.strip() + "'";
        return new Report(ReportKind.SPAMCOP, "abuse", stated, null, null, null, reported, note);
    }

    private static ReportedMessage attached(MimeEntity mail) {
        for (MimeEntity p : mail.descendants()) {
            if (p != mail && (p.contentType().is("message/rfc822") || p.contentType().is("text/rfc822-headers"))) {
                return ReportedMessage.of(p.decodedBody(), p.contentType().is("text/rfc822-headers"));
            }
        }
        return null;
    }

    /** The lines after "Offending message:", one level of "> " quoting taken off when every line has it. */
    static ReportedMessage quoted(String text) {
        int at = text.indexOf(OFFENDING);
        if (at < 0) {
            return null;
        }
        List<String> lines = text.substring(at + OFFENDING.length()).lines().toList();
        int first = 0;
        while (first < lines.size() && unquoted(lines.get(first)).isBlank()) {
            first++;
        }
        if (first == lines.size()) {
            return null;
        }
        boolean allQuoted = lines.subList(first, lines.size()).stream().allMatch(l -> l.isEmpty() || l.startsWith(">"));
        StringBuilder out = new StringBuilder();
        for (String l : lines.subList(first, lines.size())) {
            out.append(allQuoted ? unquoted(l) : l).append("\r\n");
        }
        return ReportedMessage.of(out.toString().getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static String unquoted(String line) {
        if (line.startsWith("> ")) {
            return line.substring(2);
        }
        return line.startsWith(">") ? line.substring(1) : line;
    }

    private static String emailFromLine(String text) {
        int from = 0;
        while (true) {
            int at = text.indexOf(EMAIL_FROM, from);
            if (at < 0) {
                return null;
            }
            if (at == 0 || text.charAt(at - 1) == '\n') {
                int nl = text.indexOf('\n', at);
                String line = (nl < 0 ? text.substring(at) : text.substring(at, nl)).strip();
                if (line.contains(" / ")) {
                    return line;
                }
            }
            from = at + EMAIL_FROM.length();
        }
    }

    /** The report's own text: its first text/plain part, or its body. */
    static String reportText(MimeEntity mail) {
        if (mail.contentType().isMultipart()) {
            for (MimeEntity p : mail.descendants()) {
                if (p.contentType().is("text/plain")) {
                    return p.text();
                }
            }
            return "";
        }
        return mail.text();
    }
}
