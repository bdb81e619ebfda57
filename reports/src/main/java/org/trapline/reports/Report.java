package org.trapline.reports;

import java.util.Objects;

/**
 * One abuse report as read, before any trace: its format, what it states and the spam it is about.
 *
 * @param kind             the format; {@link ReportKind#UNKNOWN} when no reader could read it
 * @param feedbackType     ARF's Feedback-Type (abuse, fraud, ...), X-ARF's Report-Type, XARF's type;
 *                         "abuse" for SpamCop and forwarded spam; null for unknown
 * @param stated           where and when the report says the spam came from
 * @param originalRcptTo   ARF's Original-Rcpt-To, or null
 * @param reportedDomain   ARF's Reported-Domain, or null
 * @param originalMailFrom ARF's Original-Mail-From (XARF's smtp_from), or null
 * @param reported         the reported message or its headers, or null when the report carries neither
 * @param reason           for an unknown report, one line saying why it could not be read; otherwise
 *                         null or a note on what of it could not be read
 */
public record Report(ReportKind kind, String feedbackType, Statement stated, String originalRcptTo,
                     String reportedDomain, String originalMailFrom, ReportedMessage reported, String reason) {

    public Report {
        Objects.requireNonNull(kind, "kind");
        stated = Objects.requireNonNullElse(stated, Statement.NONE);
    }

    /** A report no reader could read, with the one-line reason. */
    public static Report unknown(String reason) {
        return new Report(ReportKind.UNKNOWN, null, Statement.NONE, null, null, null, null, reason);
    }
}
