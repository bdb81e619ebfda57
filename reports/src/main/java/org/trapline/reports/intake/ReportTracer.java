package org.trapline.reports.intake;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.trapline.common.net.IpPrefix;
import org.trapline.origin.Networks;
import org.trapline.origin.OriginHop;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.Relay;
import org.trapline.origin.Trace;
import org.trapline.origin.TrustPolicy;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.Statement;

/**
 * Traces the message a report quotes with origin's tracer, the reporter's MX as the trust boundary: its
 * newest Received header is the reporter's own, and every relay outside our
 * {@code attribution.subscriber-networks} is believed, so the origin is the hop where the spam left one
 * of our subscriber networks (or an authenticated submission before it). Then decides which source
 * counts: the report's statement, unless it states no address or the quoted headers contradict it (the
 * stated address is neither that hop's client nor any relay above it), where the trace decides.
 *
 * <p>The walk believes headers a spammer outside our networks could forge: a chain that names one of
 * our subscribers below forged lines is traced to that subscriber. That is why a statement the
 * headers do not contradict always wins, and why the trace's answer is recorded beside it.
 */
public final class ReportTracer {
    private final List<IpPrefix> subscriberNetworks;
    private final OriginTracer tracer;

    /** @param subscriberNetworks {@code attribution.subscriber-networks}; empty means every address is ours */
    public ReportTracer(List<IpPrefix> subscriberNetworks) {
        this.subscriberNetworks = List.copyOf(subscriberNetworks);
        Networks outside = SubscriberBoundary.outside(this.subscriberNetworks);
        this.tracer = new OriginTracer(new TrustPolicy(outside, Networks.NONE, Networks.NONE, List.of()));
    }

    public TracedReport trace(Report report) {
        Decision d = decide(report);
        return new TracedReport(report, d.tracedIp(), d.tracedTime(), d.decidedBy(), d.source(), d.note(),
                disposition(report, d.source()));
    }

    private record Decision(String tracedIp, OffsetDateTime tracedTime, DecidedBy decidedBy, Statement source, String note) {
    }

    private Disposition disposition(Report report, Statement source) {
        if (report.kind() == ReportKind.UNKNOWN || source.ip() == null) {
            return Disposition.QUARANTINE;
        }
        return SubscriberBoundary.isOurs(subscriberNetworks, source.ip()) ? Disposition.EVIDENCE : Disposition.NOT_OURS;
    }

    private Decision decide(Report report) {
        Statement stated = report.stated();
        Trace trace = report.reported() == null ? null : tracer.trace(report.reported().bytes(), null);
        Optional<OriginHop> origin = trace == null ? Optional.empty() : trace.origin()
                .filter(o -> SubscriberBoundary.isOurs(subscriberNetworks, o.ip()));
        String tracedIp = origin.map(OriginHop::ip).orElse(null);
        OffsetDateTime tracedTime = origin.map(OriginHop::time).orElse(null);
        if (!stated.hasIp()) {
            if (tracedIp == null) {
                return new Decision(null, null, DecidedBy.TRACE, Statement.NONE,
                        report.reported() == null ? "the report states no source and quotes no headers"
                                : "the report states no source and its headers never leave our subscriber networks");
            }
            return new Decision(tracedIp, tracedTime, DecidedBy.TRACE, new Statement(tracedIp, null, tracedTime),
                    "the report states no source");
        }
        if (tracedIp != null && !tracedIp.equals(stated.ip()) && !relayed(trace, stated.ip())) {
            return new Decision(tracedIp, tracedTime, DecidedBy.TRACE, new Statement(tracedIp, null, tracedTime),
                    "the quoted headers contradict the stated source " + stated.ip());
        }
        OffsetDateTime time = stated.time() != null ? stated.time() : timeOf(trace, stated.ip());
        return new Decision(tracedIp, tracedTime, DecidedBy.REPORT, new Statement(stated.ip(), stated.port(), time),
                time == null ? "the report states no time and its headers date no hop from " + stated.ip() : null);
    }

    /** Whether the address is the client of a believed relay above the origin (e.g. our own smarthost). */
    private static boolean relayed(Trace trace, String ip) {
        return trace != null && trace.trusted().stream().anyMatch(r -> ip.equals(r.ip()));
    }

    /** The time a believed hop from this address was recorded, for a report that states none. */
    private static OffsetDateTime timeOf(Trace trace, String ip) {
        if (trace == null) {
            return null;
        }
        if (trace.origin().isPresent() && ip.equals(trace.origin().get().ip())) {
            return trace.origin().get().time();
        }
        return trace.trusted().stream().filter(r -> ip.equals(r.ip())).map(Relay::time)
                .filter(t -> t != null).findFirst().orElse(null);
    }
}
