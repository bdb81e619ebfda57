package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import org.trapline.enforcement.ActionJournal;
import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.cli.ActionsCommand;
import org.trapline.enforcement.cli.PolicyCommand;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.trapline.evidence.CaseSummary;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.cli.StoreCommand;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trapline case SUBSCRIBER}: the case summary the desk opens a conversation with. */
@Command(mixinStandardHelpOptions = true, name = "case", description = "Summarise one subscriber's trap hits: totals, hits by day, the sessions they fell in, the actions taken.")
public final class CaseCommand extends StoreCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "SUBSCRIBER", description = "Subscriber name exactly as attributed (e.g. the RADIUS User-Name).")
    String subscriber;

    @Option(names = "--json", description = "Print one JSON object: subscriber, hits, first, last, days [{day, hits}], "
            + "sessions [{session_id, nas_ip, hits, first, last}], actions [as actions --json prints them].")
    boolean json;

    private final Supplier<ActionJournal> actions;

    /** @param actions the policy's action journal: the case lists the actions taken */
    public CaseCommand(Supplier<EvidenceStore> store, Supplier<ActionJournal> actions) {
        super(store);
        this.actions = actions;
    }

    @Override
    protected int run(EvidenceStore store) throws JsonProcessingException {
        CaseSummary c = store.caseSummary(subscriber);
        if (c.hits() == 0) {
            err().println("no trap hits for subscriber " + safe(subscriber));
            return NOT_FOUND;
        }
        List<ActionRecord> taken = actions.get().forSubscriber(subscriber);
        if (json) {
            out().println(JSON.writeValueAsString(toJson(c, taken)));
            out().flush();
            return OK;
        }
        out().printf("subscriber %s: %d trap hit%s from %s to %s%n", safe(c.subscriber()), c.hits(), c.hits() == 1 ? "" : "s",
                TIME.format(c.first()), TIME.format(c.last()));
        out().println();
        out().println("hits by day (UTC):");
        long max = c.days().stream().mapToLong(CaseSummary.Day::hits).max().orElse(1);
        for (CaseSummary.Day d : c.days()) {
            int bar = (int) Math.max(1, Math.round(40.0 * d.hits() / max));
            out().printf("  %s %7d  %s%n", d.day(), d.hits(), "#".repeat(bar));
        }
        out().println();
        out().println("sessions:");
        out().printf("  %-28s %-16s %7s  %-20s  %-20s%n", "session", "NAS", "hits", "first", "last");
        for (CaseSummary.Session s : c.sessions()) {
            out().printf("  %-28s %-16s %7d  %-20s  %-20s%n", safe(s.sessionId()), safe(s.nasIp()), s.hits(),
                    TIME.format(s.first()), TIME.format(s.last()));
        }
        out().println();
        out().println("actions:" + (taken.isEmpty() ? " none" : ""));
        for (ActionRecord a : taken) {
            out().println("  " + PolicyCommand.line(a));
        }
        out().flush();
        return OK;
    }

    private static Map<String, Object> toJson(CaseSummary c, List<ActionRecord> taken) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscriber", c.subscriber());
        m.put("hits", c.hits());
        m.put("first", c.first().toString());
        m.put("last", c.last().toString());
        m.put("days", c.days().stream().map(d -> Map.of("day", d.day().toString(), "hits", d.hits())).toList());
        m.put("sessions", c.sessions().stream().map(s -> {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("session_id", s.sessionId());
            sm.put("nas_ip", s.nasIp());
            sm.put("hits", s.hits());
            sm.put("first", s.first().toString());
            sm.put("last", s.last().toString());
            return sm;
        }).toList());
        m.put("actions", taken.stream().map(ActionsCommand::toMap).toList());
        return m;
    }
}
