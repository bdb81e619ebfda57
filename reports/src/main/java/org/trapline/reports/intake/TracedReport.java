package org.trapline.reports.intake;

import java.time.OffsetDateTime;
import java.util.Objects;

import org.trapline.reports.Report;
import org.trapline.reports.Statement;

/**
 * A report with our own trace of the message it quotes, and the source that decides.
 *
 * @param report     the report as read (its {@link Report#stated()} is what it states)
 * @param tracedIp   the client of the hop where the quoted spam left our subscriber networks, null when
 *                   the report quotes no headers or the chain never touches them
 * @param tracedTime that hop's time as its receiver recorded it, or null
 * @param decidedBy  which of the two named the source
 * @param source     the address, port and time the report is attributed by
 * @param note       why the trace decided, or why nothing could be attributed; null otherwise
 * @param disposition what storing the report does with it
 */
public record TracedReport(Report report, String tracedIp, OffsetDateTime tracedTime, DecidedBy decidedBy,
                           Statement source, String note, Disposition disposition) {
    public TracedReport {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(disposition, "disposition");
    }
}
