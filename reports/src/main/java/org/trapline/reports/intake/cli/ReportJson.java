package org.trapline.reports.intake.cli;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionJson;
import org.trapline.reports.Report;
import org.trapline.reports.Statement;
import org.trapline.reports.intake.TracedReport;

/**
 * The one JSON line {@code import-report --dry-run --json} prints per report, in issue 18's field order:
 * {@code file, kind, feedback_type, source_ip, source_port, time, decided_by, traced_ip, traced_time,
 * attribution, reported_message_sha256}, then {@code incident} (the reported message's SHA-256, so the
 * same spam from two feedback loops is one incident), {@code duplicate}, {@code disposition} (evidence, not_ours or quarantine: what storing
 * it will do), what the report {@code stated},
 * and {@code reason} when there is one.
 */
final class ReportJson {
    /** Origin's spelling: seconds always, the offset always numeric. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private ReportJson() {
    }

    static Map<String, Object> line(String file, TracedReport traced, Attribution attribution, boolean duplicate) {
        Report r = traced.report();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("kind", r.kind().jsonName());
        m.put("feedback_type", r.feedbackType());
        Statement source = traced.source();
        m.put("source_ip", source.ip());
        m.put("source_port", source.port());
        m.put("time", time(source.time()));
        m.put("decided_by", traced.decidedBy().jsonName());
        m.put("traced_ip", traced.tracedIp());
        m.put("traced_time", time(traced.tracedTime()));
        m.put("attribution", attribution == null ? null : AttributionJson.toMap(attribution));
        String sha = r.reported() == null ? null : r.reported().sha256();
        m.put("reported_message_sha256", sha);
        m.put("incident", sha);
        m.put("duplicate", duplicate);
        m.put("disposition", traced.disposition().jsonName());
        Map<String, Object> stated = new LinkedHashMap<>();
        stated.put("ip", r.stated().ip());
        stated.put("port", r.stated().port());
        stated.put("time", time(r.stated().time()));
        m.put("stated", stated);
        m.put("original_rcpt_to", r.originalRcptTo());
        m.put("reported_domain", r.reportedDomain());
        m.put("original_mail_from", r.originalMailFrom());
        String reason = joined(r.reason(), traced.note());
        if (reason != null) {
            m.put("reason", reason);
        }
        return m;
    }

    /** A line for a report that could not even be read from its file. */
    static Map<String, Object> unreadable(String file, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("kind", "unknown");
        for (String k : new String[] {"feedback_type", "source_ip", "source_port", "time"}) {
            m.put(k, null);
        }
        m.put("decided_by", null);
        for (String k : new String[] {"traced_ip", "traced_time", "attribution", "reported_message_sha256", "incident"}) {
            m.put(k, null);
        }
        m.put("duplicate", false);
        m.put("disposition", "quarantine");
        m.put("reason", reason);
        return m;
    }

    private static String joined(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + "; " + b;
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : TIME.format(t);
    }
}
