package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.DeskException;
import org.trapline.desk.view.Json;
import org.trapline.desk.view.SearchView;
import org.trapline.evidence.search.Facets;
import org.trapline.evidence.search.SearchHit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trapline search [--json] [--limit N] [--facets] [--after CURSOR] QUERY}: find trap hits, newest first. */
@Command(mixinStandardHelpOptions = true, name = "search", description = {
        "Find trap hits, newest first.",
        "QUERY: words and \"phrases\" plus from: to: reply-to: subject: url: domain: ip:ADDR[/BITS] subscriber: trap:",
        "session: status: before:DATE after:DATE has:attachment|url|subscriber|raw msgid: sha: helo: attachment:,",
        "combined with AND, OR, NOT (or -) and parentheses. Dates are UTC (2026-11-20 or 2026-11-20T03:12)."})
public final class SearchCommand extends DeskCommand {
    @Option(names = "--json", description = "Print {\"total\": N, \"hits\": [{id, time, subscriber, origin_ip, trap, subject, sha256}...], "
            + "\"next\": CURSOR or null}.")
    boolean json;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Most hits to list (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--facets", description = "Also count hits per subscriber, top URL domains and top origin IPs over all matches.")
    boolean facets;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "Values per facet (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--after", paramLabel = "CURSOR", description = "The next page: the \"next\" value --json printed for the page before.")
    String after;

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "The query; several words are joined with spaces.")
    List<String> query = new ArrayList<>();

    public SearchCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        if (limit < 0 || limit > Desk.MAX_LIMIT) {
            err().println("--limit must be between 0 and " + Desk.MAX_LIMIT);
            return BAD_INPUT;
        }
        if (top < 1 || top > Desk.MAX_FACET_VALUES) {
            err().println("--top must be between 1 and " + Desk.MAX_FACET_VALUES);
            return BAD_INPUT;
        }
        SearchView result;
        try {
            result = desk.search(String.join(" ", query), limit, facets ? top : 0, after);
        } catch (DeskException e) {
            // "bad query: ..." says it all; the query is the staff's own words
            err().println(safe(e.getMessage()));
            return exitCode(e);
        }
        if (json) {
            out().println(Json.write(result));
        } else {
            printText(result);
        }
        out().flush();
        return OK;
    }

    private void printText(SearchView result) {
        for (SearchHit h : result.hits()) {
            out().printf("#%-8d %s  %-16s %-39s %-30s %s%n", h.id(), TIME.format(h.time()), safe(h.subscriber()),
                    safe(h.originIp()), safe(h.trap()), safe(h.subject()));
            if (!h.snippet().isBlank()) {
                out().printf("          %s%n", safe(h.snippet()));
            }
        }
        out().printf("%d hit%s%s%n", result.total(), result.total() == 1 ? "" : "s",
                result.total() > result.hits().size() ? (after == null ? " (showing the newest " : " (showing the next ")
                        + result.hits().size() + ")" : "");
        if (result.facets() != null) {
            printFacet("hits per subscriber", result.facets().subscribers());
            printFacet("top URL domains", result.facets().urlDomains());
            printFacet("top origin IPs", result.facets().originIps());
            printFacet("top origin networks", result.facets().originNets());
            printFacet("trap domains", result.facets().trapDomains());
            printFacet("attribution status", result.facets().statuses());
            printFacet("days (UTC)", result.facets().days());
        }
    }

    private void printFacet(String title, List<Facets.Count> counts) {
        out().printf("%n%s:%n", title);
        if (counts.isEmpty()) {
            out().println("  (none)");
        }
        for (Facets.Count c : counts) {
            out().printf("  %8d  %s%n", c.count(), safe(c.value()));
        }
    }
}
