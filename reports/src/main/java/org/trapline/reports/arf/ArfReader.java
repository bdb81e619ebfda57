package org.trapline.reports.arf;

import java.util.List;
import java.util.Locale;

import org.trapline.origin.MessageHeaders;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.ReportedMessage;
import org.trapline.reports.Statement;
import org.trapline.reports.mime.ContentType;
import org.trapline.reports.mime.MailDate;
import org.trapline.reports.mime.MimeEntity;

/**
 * Reads an ARF feedback report (RFC 5965): a {@code multipart/report; report-type=feedback-report}
 * whose {@code message/feedback-report} part states Feedback-Type, Source-IP, Source-Port (RFC 6692),
 * Arrival-Date (or the historic Received-Date of the drafts), Original-Rcpt-To, Reported-Domain and
 * Original-Mail-From, with the spam as {@code message/rfc822} or only its headers as
 * {@code text/rfc822-headers}.
 */
public final class ArfReader {

    /** Whether this is an ARF report: the report type says so, or a part is a feedback report. */
    public boolean recognises(MimeEntity mail) {
        ContentType ct = mail.contentType();
        if (ct.is("multipart/report") && "feedback-report".equalsIgnoreCase(ct.parameter("report-type"))) {
            return true;
        }
        return ct.isMultipart() && mail.parts().list().stream().anyMatch(p -> p.contentType().is("message/feedback-report"));
    }

    public Report read(MimeEntity mail) {
        MimeEntity.Parts parts = mail.parts();
        MimeEntity feedback = null;
        MimeEntity original = null;
        for (MimeEntity p : parts.list()) {
            ContentType ct = p.contentType();
            if (feedback == null && ct.is("message/feedback-report")) {
                feedback = p;
            } else if (original == null && (ct.is("message/rfc822") || ct.is("text/rfc822-headers"))) {
                original = p;
            }
        }
        if (feedback == null) {
            return Report.unknown(parts.more() ? "ARF report with more than " + MimeEntity.MAX_PARTS
                    + " parts before its message/feedback-report part"
                    : !parts.closed() ? "ARF report cut off before its message/feedback-report part"
                    : "ARF report without a message/feedback-report part");
        }
        MessageHeaders fields = MessageHeaders.parse(feedback.decodedBody());
        String arrival = first(fields, "Arrival-Date");
        if (arrival == null) {
            arrival = first(fields, "Received-Date");
        }
        Statement stated = Statement.read(first(fields, "Source-IP"), first(fields, "Source-Port"), MailDate.parse(arrival));
        String feedbackType = first(fields, "Feedback-Type");
        ReportedMessage reported = original == null ? null
                : ReportedMessage.of(original.decodedBody(), original.contentType().is("text/rfc822-headers"));
        String note = null;
        if (original == null) {
            note = "ARF report without the reported message or its headers";
        } else if (!parts.closed()) {
            note = "ARF report cut off: its last part ends where the input ends";
        }
        return new Report(ReportKind.ARF, feedbackType == null ? null : feedbackType.strip().toLowerCase(Locale.ROOT),
                stated, address(first(fields, "Original-Rcpt-To")), first(fields, "Reported-Domain"),
                address(first(fields, "Original-Mail-From")), reported, note);
    }

    private static String first(MessageHeaders fields, String name) {
        List<String> v = fields.values(name);
        return v.isEmpty() || v.get(0).isBlank() ? null : v.get(0).strip();
    }

    /** "&lt;user@example.com&gt;" as user@example.com. */
    static String address(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.startsWith("<") && v.endsWith(">")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v.isEmpty() ? null : v;
    }
}
