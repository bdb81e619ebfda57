package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.util.Optional;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.CaseNote;
import org.trapline.desk.view.CaseStatus;
import org.trapline.desk.view.CaseView;
import org.trapline.desk.view.Json;
import org.trapline.evidence.CaseSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trapline case SUBSCRIBER}: the case summary the desk opens a conversation with. */
@Command(mixinStandardHelpOptions = true, name = "case", description = "Summarise one subscriber's trap hits: totals, hits by day, the sessions they fell in, the actions taken.")
public final class CaseCommand extends DeskCommand {
    /** Width of the longest bar of the hits-by-day chart. */
    private static final int BAR = 40;

    @Parameters(paramLabel = "SUBSCRIBER", description = "Subscriber name exactly as attributed (e.g. the RADIUS User-Name).")
    String subscriber;

    @Option(names = "--json", description = "Print one JSON object: subscriber, hits, first, last, days [{day, hits}], "
            + "sessions [{session_id, nas_ip, hits, first, last}], standing (strikes, blocked, ...; null when the policy never "
            + "counted a hit), actions [as actions --json prints them].")
    boolean json;

    public CaseCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        Optional<CaseView> found = desk.caseOf(subscriber);
        if (found.isEmpty()) {
            err().println("no trap hits for subscriber " + safe(subscriber));
            return NOT_FOUND;
        }
        if (json) {
            out().println(Json.write(found.get()));
            out().flush();
            return OK;
        }
        CaseSummary c = found.get().summary();
        out().printf("subscriber %s: %d trap hit%s from %s to %s%n", safe(c.subscriber()), c.hits(), c.hits() == 1 ? "" : "s",
                TIME.format(c.first()), TIME.format(c.last()));
        CaseStatus st = found.get().status();
        out().println("status: " + st.state().text() + (st.at() == null ? "" : " (set by " + safe(st.staff()) + " at " + TIME.format(st.at())
                + (st.reason().isEmpty() ? "" : ": " + safe(st.reason())) + ")"));
        out().println();
        out().println("hits by day (UTC):");
        long max = c.days().stream().mapToLong(CaseSummary.Day::hits).max().orElse(1);
        for (CaseSummary.Day d : c.days()) {
            int bar = (int) Math.max(1, Math.round((double) BAR * d.hits() / max));
            out().printf("  %s %7d  %s%n", d.day(), d.hits(), "#".repeat(bar));
        }
        out().println();
        out().println("sessions:");
        out().printf("  %-28s %-16s %-39s %7s  %-20s  %-20s%n", "session", "NAS", "address", "hits", "first", "last");
        for (CaseSummary.Session s : c.sessions()) {
            out().printf("  %-28s %-16s %-39s %7d  %-20s  %-20s%n", safe(s.sessionId()), safe(s.nasIp()), safe(s.address()), s.hits(),
                    TIME.format(s.first()), TIME.format(s.last()));
        }
        out().println();
        out().println("actions:" + (found.get().actions().isEmpty() ? " none" : ""));
        for (ActionView a : found.get().actions()) {
            out().println("  " + ActionText.line(a.action()));
        }
        if (!found.get().notes().isEmpty()) {
            out().println();
            out().println("notes, newest first:");
            for (CaseNote n : found.get().notes()) {
                out().println("  " + TIME.format(n.at()) + " " + safe(n.staff()) + ": " + safe(n.text()));
            }
        }
        out().flush();
        return OK;
    }
}
